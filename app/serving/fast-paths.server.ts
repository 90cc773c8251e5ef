import { userFromCookies } from "~/accounts/session.server";
import { findCourse } from "~/courses/catalog.server";
import { logOncePerBurst, unavailableKind } from "~/operations/errors.server";
import { submitQuizForm } from "~/learning/quiz-submission.server";
import { MAX_FORM_BYTES, readUrlEncoded } from "~/ui/forms.server";
import { findRendered, renderKey, type RenderedPage } from "./render-cache.server";

// Fast paths that server.mjs tries before handing a request to Remix (decision 007). Each one either answers
// exactly as Remix would, or returns null and lets Remix handle the request; neither ever writes anything
// that Remix would not also write for the same request.

type ServerRoute = {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: { loader?: (args: { request: Request; params: Record<string, string>; context: unknown }) => unknown; handle?: unknown };
};
type ServerRoutes = Record<string, ServerRoute>;
type CachedRoute = { pattern: RegExp; params: string[]; chain: ServerRoute[] };

const compiled = new WeakMap<ServerRoutes, CachedRoute[]>();

const optedIn = (route: ServerRoute) => Boolean((route.module.handle as { renderCache?: boolean } | undefined)?.renderCache);

/** Every route whose whole chain (root → leaf) opted in to the render cache, as a URL pattern. */
function cachedRoutes(routes: ServerRoutes): CachedRoute[] {
  let list = compiled.get(routes);
  if (list) return list;
  list = [];
  const hasChild = new Set(Object.values(routes).map((r) => r.parentId));
  for (const leaf of Object.values(routes)) {
    if (hasChild.has(leaf.id)) continue;
    const chain: ServerRoute[] = [];
    for (let r: ServerRoute | undefined = leaf; r; r = r.parentId ? routes[r.parentId] : undefined) chain.unshift(r);
    if (!chain.every(optedIn)) continue;
    const segments = chain.flatMap((r) => (r.path ?? "").split("/")).filter(Boolean);
    // Only plain segments and :params; anything fancier is left to Remix.
    if (segments.some((s) => s.includes("*") || s.endsWith("?") || /[^a-z0-9:._-]/i.test(s))) continue;
    const params = segments.filter((s) => s.startsWith(":")).map((s) => s.slice(1));
    const source = segments.map((s) => (s.startsWith(":") ? "([^/]+)" : s.replace(/[.]/g, "\\."))).join("/");
    list.push({ pattern: new RegExp(`^/${source}$`), params, chain });
  }
  compiled.set(routes, list);
  return list;
}

export type IncomingPage = { path: string; host: string; cookie: string; clientIp: string };

/**
 * A signed-in GET of a page whose routes opted in to the render cache: runs the same loaders Remix would run
 * (sessions, roles and progress are read fresh every time) and answers with the page rendered earlier from
 * identical data. null — not cached yet, a redirect, an error, anything unusual — means "ask Remix", whose
 * render then fills the cache. Remix's own matching decides the key, so a URL this pattern matches but Remix
 * routes elsewhere (say /khoa-hoc/x/kiem-tra) just never hits.
 */
async function signedInPage(routes: ServerRoutes, incoming: IncomingPage): Promise<RenderedPage | null> {
  if (incoming.path.includes("?")) return null;
  for (const route of cachedRoutes(routes)) {
    const match = route.pattern.exec(incoming.path);
    if (!match) continue;
    const params: Record<string, string> = {};
    try {
      route.params.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
      const request = new Request(`http://${incoming.host}${incoming.path}`, { headers: { Cookie: incoming.cookie, Accept: "text/html" } });
      const context = { cspNonce: "", clientIp: incoming.clientIp };
      const data = await Promise.all(route.chain.map((r) => r.module.loader?.({ request, params, context }) ?? null));
      if (data.some((d) => d instanceof Response)) return null;
      return findRendered(renderKey(incoming.path, route.chain.map((r, i) => [r.id, data[i]]))) ?? null;
    } catch {
      return null; // a thrown redirect or 404: Remix renders it
    }
  }
  return null;
}

const QUIZ_PATH = /^\/khoa-hoc\/([a-z0-9-]+)\/kiem-tra$/;

export type IncomingForm = IncomingPage & { contentType: string; body: Uint8Array };

/** Whether a POST may take the submission fast path; server.mjs reads the body only if so. */
function isQuizSubmission(path: string, contentType: string, declaredLength: number): boolean {
  return QUIZ_PATH.test(path) && contentType.startsWith("application/x-www-form-urlencoded") && declaredLength <= MAX_FORM_BYTES;
}

/**
 * A quiz submission posted by a signed-in learner: graded and stored by the same function the quiz page's
 * action calls, answered with the same redirect to the result. Anything else — not signed in, a password to
 * change, a form with problems, no attempts left — returns null before anything is written, and Remix
 * answers it (with the page and its message).
 */
async function quizSubmission(incoming: IncomingForm): Promise<{ location: string } | null> {
  const course = findCourse(QUIZ_PATH.exec(incoming.path)?.[1] ?? "");
  if (!course || incoming.body.byteLength > MAX_FORM_BYTES) return null;
  let form: URLSearchParams;
  try {
    form = readUrlEncoded(incoming.body);
  } catch {
    return null;
  }
  const user = await userFromCookies(incoming.cookie);
  if (!user || (user.mustChangePassword && !user.supervisedBy)) return null;
  try {
    const outcome = await submitQuizForm(user, course, form);
    return outcome.kind === "recorded" ? { location: outcome.location } : null;
  } catch (error) {
    // Locked elsewhere or disk low: nothing was written. Remix answers it (with the 503 page), and the log
    // gets one line per burst instead of a stack trace per submission.
    if (!unavailableKind(error)) throw error;
    logOncePerBurst(error, "quiz");
    return null;
  }
}

export const fastPaths = { signedInPage, isQuizSubmission, quizSubmission };
