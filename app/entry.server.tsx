import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { getCatalog } from "~/courses/catalog.server";
import { keepRendered } from "~/serving/render-cache.server";
import { NonceProvider } from "~/ui/nonce";

// Load, validate and render every course once, when the server starts — never per request.
getCatalog();

// The fast paths server.mjs calls before Remix (decision 007). Exported here because the entry module is the
// one part of the server build a plain Node script can reach.
export { fastPaths } from "~/serving/fast-paths.server";

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
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? "";
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
