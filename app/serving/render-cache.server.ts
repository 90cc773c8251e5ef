import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { EntryContext } from "@remix-run/node";

// Render cache for signed-in pages (decision 007).
//
// A route that opts in with `export const handle = { renderCache: true }` promises that its HTML is a pure
// function of the URL and the loader data of the matched routes. Rendering is then the expensive, repeatable
// part: two learners at the same point of the same lesson get identical bytes. The cache key is a hash of
// the path and of exactly the loader data Remix rendered from, taken from Remix's own context after the
// render, so an entry can never hold a page rendered from other data than its key says.
//
// Loaders still run on every request (so a session, a revoked role or new progress is always seen); only
// the React render and Remix's routing are skipped on a hit. The cache lives in this process and content is
// fixed for the life of the process, so there is nothing to invalidate: new data means a new key.

export type RenderedPage = { body: Buffer; gzip: Buffer; headers: Record<string, string> };

const MAX_PAGES = 1000; // ~30 KB each (HTML + gzip): about 30 MB at most
const pages = new Map<string, RenderedPage>();

export type RouteData = Array<[routeId: string, data: unknown]>;

export function renderKey(path: string, routeData: RouteData): string {
  return createHash("sha1").update(path).update("\0").update(JSON.stringify(routeData, compactLongStrings)).digest("base64");
}

// A lesson's HTML (tens of KB, the same string object on every request) would dominate the cost of the key.
// Long strings stand in the key as NUL + their own digest, remembered per string; other strings that start
// with NUL get a second one, so no real value can ever read like a digest.
const LONG = 1024;
const digests = new Map<string, string>();

function compactLongStrings(_key: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value.length > LONG) {
    let digest = digests.get(value);
    if (!digest) {
      if (digests.size >= 10_000) digests.clear();
      digest = createHash("sha1").update(value).digest("base64");
      digests.set(value, digest);
    }
    return `\0${digest}`;
  }
  return value.startsWith("\0") ? `\0${value}` : value;
}

export function findRendered(key: string): RenderedPage | undefined {
  const page = pages.get(key);
  if (page) {
    // Most recently used last, so eviction drops the page nobody has asked for longest.
    pages.delete(key);
    pages.set(key, page);
  }
  return page;
}

type RouteHandle = { renderCache?: boolean } | undefined;

/** Called by entry.server after every document render: keeps the page when it may be reused. */
export function keepRendered(request: Request, status: number, headers: Headers, context: EntryContext, html: string): void {
  const { matches, loaderData, actionData, errors } = context.staticHandlerContext;
  if (request.method !== "GET" || status !== 200 || actionData || errors || headers.has("Set-Cookie")) return;
  if (!matches.every((m) => (context.routeModules[m.route.id]?.handle as RouteHandle)?.renderCache)) return;
  // A page with Remix's scripts carries this request's CSP nonce, so it cannot be replayed to another request.
  // The site's own script (/app/doc.js, decision 025) is external, has no nonce and is the same for everyone.
  if (/<script\b(?![^>]*\bsrc="\/app\/doc\.js")/i.test(html)) return;
  const url = new URL(request.url);
  const key = renderKey(url.pathname + url.search, matches.map((m) => [m.route.id, loaderData[m.route.id] ?? null]));
  const body = Buffer.from(html);
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    kept[name] = value;
  });
  if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
  pages.set(key, { body, gzip: gzipSync(body), headers: kept });
}

/** For tests: how many pages are kept. */
export function renderedPageCount(): number {
  return pages.size;
}
