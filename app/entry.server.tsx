import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { getCatalog } from "~/courses/catalog.server";
import { logOncePerBurst, unavailableKind, unavailableResponse, type Unavailable } from "~/operations/errors.server";
import { writesRefused } from "~/operations/metrics.server";
import { keepRendered } from "~/serving/page-cache.server";
import { NonceProvider } from "~/ui/nonce";

// Load, validate and render every course once, when the server starts — never per request.
getCatalog();

// A loader or action that failed because the database could not take a write (locked elsewhere past the
// deadline, or the disk low) is answered 503 "try again in a few minutes", not 500. Remix hands the original
// error only to handleError, with the request's load context, so the cause is noted there.
const unavailableRequests = new WeakMap<object, Unavailable>();

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  const kind = unavailableKind(error);
  if (kind && context) unavailableRequests.set(context, kind);
  if (kind) logOncePerBurst(error, "request");
  else console.error(error);
};

/**
 * Pages are small, use no Suspense and ship no streaming data, so the whole document is rendered in one
 * synchronous pass: cheaper than a streaming render, and each request finishes in arrival order instead of
 * interleaving with the others (which is what made tail latency grow under load).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const unavailable = responseStatusCode >= 500 ? unavailableRequests.get(loadContext) : undefined;
  if (unavailable) {
    writesRefused.inc({ reason: unavailable });
    return unavailableResponse(unavailable);
  }
  const nonce = loadContext.cspNonce;
  const html =
    "<!DOCTYPE html>" +
    renderToString(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
    );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  keepRendered(request, responseStatusCode, responseHeaders, remixContext, html);
  return new Response(html, { headers: responseHeaders, status: responseStatusCode });
}
