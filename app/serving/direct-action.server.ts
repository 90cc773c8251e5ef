import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { logOncePerBurst, unavailableKind } from "~/operations/errors.server";
import { leafHandle, matchRoute, type RouteMatch } from "./routes.server";

// Direct actions (decisions 007 and 014): a route that declares `handle.directAction` lets the server call
// its action itself for a small url-encoded POST, without Remix's document pipeline. This is how a quiz
// submission is stored and acknowledged at thousands per second. The route's own action decides everything
// (who is signed in, a password to change, the form's problems); the server only sends its redirect.

/** The route whose action the server may call for this path, or null. */
export function directActionRoute(routes: ServerBuild["routes"], pathname: string): RouteMatch | null {
  const match = matchRoute(routes, pathname);
  return match && leafHandle(match).directAction && match.chain[match.chain.length - 1].module.action ? match : null;
}

export type Redirect = { status: number; headers: Headers };

/**
 * Runs the action. A redirect (returned or thrown) is the answer; anything else — data for the page, an
 * error page, a failure — returns null and Remix runs the action again and renders it. The route promised
 * that nothing was written in that case.
 */
export async function runDirectAction(match: RouteMatch, request: Request, context: AppLoadContext): Promise<Redirect | null> {
  const action = match.chain[match.chain.length - 1].module.action!;
  let outcome: unknown;
  try {
    outcome = await action({ request, params: match.params, context });
  } catch (thrown) {
    outcome = thrown;
  }
  if (outcome instanceof Response) {
    return outcome.status >= 300 && outcome.status < 400 && outcome.headers.has("Location") ? { status: outcome.status, headers: outcome.headers } : null;
  }
  if (outcome instanceof Error) {
    // Locked elsewhere or disk low: nothing was written. Remix answers it (with the 503 page), and the log
    // gets one line per burst instead of a stack trace per request.
    if (unavailableKind(outcome)) logOncePerBurst(outcome, "direct-action");
    else console.error(outcome);
  }
  return null;
}
