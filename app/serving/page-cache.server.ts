import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { AppLoadContext, EntryContext, ServerBuild } from "@remix-run/node";
import { mayBeSignedIn } from "~/accounts/session.server";
import { contentVersion } from "~/courses/catalog.server";
import { textSizeOf } from "~/reach/text-size";
import { handleOf, matchRoute, type RouteHandle, type ServerRoute } from "./routes.server";

// The one page cache (decisions 007 and 014). A route opts in through its `handle`:
//
// - `renderCache: true` promises that its HTML is a pure function of the URL and of the loader data of the
//   matched routes. Loaders still run on every request (a session, a revoked role or new progress is always
//   seen); only the React render and Remix's routing are skipped. The key is a hash of the path and of exactly
//   the loader data Remix rendered from, taken from Remix's own context after the render.
// - `publicCache: true` promises more, for a visitor without a session: the loader data depends on the URL
//   and the content only. Such a page is kept by URL and served without running anything, with an ETag (the
//   content version) and a Cache-Control that lets a proxy in front hold it too.
//
// Content is fixed for the life of the process, so there is nothing to invalidate: new data, a new key.

export type CachedPage = { body: Buffer; gzip: Buffer; headers: Record<string, string> };

const MAX_PAGES = 1000; // ~30 KB each (HTML + gzip): about 30 MB at most
const rendered = new Map<string, CachedPage>();
const published = new Map<string, CachedPage>();

/** How long a proxy may serve a public page without asking again; browsers always revalidate (a 304). */
const PROXY_SECONDS = 300;

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

function remember(map: Map<string, CachedPage>, key: string, page: CachedPage): void {
  if (map.size >= MAX_PAGES) map.delete(map.keys().next().value!);
  map.set(key, page);
}

function recall(map: Map<string, CachedPage>, key: string): CachedPage | undefined {
  const page = map.get(key);
  if (page) {
    // Most recently used last, so eviction drops the page nobody has asked for longest.
    map.delete(key);
    map.set(key, page);
  }
  return page;
}

/** The public page kept for this path, for a request that carries no session; undefined otherwise. */
export function publicPage(path: string, cookieHeader: string | undefined): CachedPage | undefined {
  if (path.includes("?") || differsByCookie(cookieHeader ?? "")) return undefined;
  return published.get(path);
}

/** The same URL looks different to someone signed in, or who chose a text size (decision 025). */
function differsByCookie(cookieHeader: string): boolean {
  return mayBeSignedIn(cookieHeader) || textSizeOf(cookieHeader) !== "binh-thuong";
}

const everyRoute = (chain: ServerRoute[], flag: keyof RouteHandle) => chain.every((route) => handleOf(route)[flag]);

/**
 * A signed-in GET of a page whose routes opted in to the render cache: runs the same loaders Remix would run
 * and answers with the page rendered earlier from identical data. null — not cached yet, a redirect, an
 * error, anything unusual — means "ask Remix", whose render then fills the cache.
 */
export async function signedInPage(routes: ServerBuild["routes"], request: Request, context: AppLoadContext): Promise<CachedPage | null> {
  const url = new URL(request.url);
  if (url.search) return null;
  const match = matchRoute(routes, url.pathname);
  if (!match || !everyRoute(match.chain, "renderCache")) return null;
  try {
    const data = await Promise.all(match.chain.map((r) => r.module.loader?.({ request, params: match.params, context }) ?? null));
    if (data.some((d) => d instanceof Response)) return null;
    return (
      recall(
        rendered,
        renderKey(
          url.pathname,
          match.chain.map((r, i) => [r.id, data[i]]),
        ),
      ) ?? null
    );
  } catch {
    return null; // a thrown redirect or 404: Remix renders it
  }
}

type EntryRouteHandle = RouteHandle | undefined;

/**
 * The HTTP caching headers of a public page. The ETag changes with each build and each change of content;
 * browsers revalidate every time (a 304 costs almost nothing), a proxy may keep the page a few minutes.
 * Vary: Cookie, because the same URL looks different to someone signed in.
 */
function publicCaching(buildVersion: string): Record<string, string> {
  const version = createHash("sha1").update(buildVersion).update(contentVersion()).digest("base64url").slice(0, 16);
  return { etag: `W/"${version}"`, "cache-control": `public, max-age=0, s-maxage=${PROXY_SECONDS}`, vary: "Cookie, Accept-Encoding" };
}

/**
 * Called by entry.server after every document render: keeps the page when it may be reused, and gives a
 * public page its caching headers (the same ones its cached copies carry).
 */
export function keepRendered(request: Request, status: number, headers: Headers, context: EntryContext, html: string): void {
  const { matches, loaderData, actionData, errors } = context.staticHandlerContext;
  if (request.method !== "GET" || status !== 200 || actionData || errors || headers.has("Set-Cookie")) return;
  // A page with Remix's scripts carries this request's CSP nonce, so it cannot be replayed to another request.
  // The site's own script (/app/doc.js, decision 025) is external, has no nonce and is the same for everyone.
  if (/<script\b(?![^>]*\bsrc="\/app\/doc\.js")/i.test(html)) return;
  const optedIn = (flag: keyof RouteHandle) => matches.every((m) => (context.routeModules[m.route.id]?.handle as EntryRouteHandle)?.[flag]);
  const url = new URL(request.url);
  const isPublic = !url.search && optedIn("publicCache") && !differsByCookie(request.headers.get("Cookie") ?? "");
  const renderable = optedIn("renderCache");
  if (!isPublic && !renderable) return;
  const remixHeaders: Record<string, string> = {};
  headers.forEach((value, name) => {
    remixHeaders[name] = value;
  });
  const body = Buffer.from(html);
  const gzip = gzipSync(body, { level: 9 });
  if (renderable) {
    const key = renderKey(
      url.pathname + url.search,
      matches.map((m) => [m.route.id, loaderData[m.route.id] ?? null]),
    );
    remember(rendered, key, { body, gzip, headers: { ...remixHeaders, vary: "Accept-Encoding" } });
  }
  if (isPublic) {
    const caching = publicCaching(context.manifest.version);
    for (const [name, value] of Object.entries(caching)) headers.set(name, value);
    remember(published, url.pathname, { body, gzip, headers: { ...remixHeaders, ...caching } });
  }
}

/** For tests: how many pages are kept. */
export function renderedPageCount(): number {
  return rendered.size + published.size;
}
