import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";

// Which route answers a path, decided by Remix's own matcher over the build's routes — never by a copied
// regex — and what that route has opted into through its `handle` (decision 014).

/** What a route may declare in `export const handle`. Every flag is a promise the route makes. */
export type RouteHandle = {
  /** Ships JavaScript: the page hydrates (app/root.tsx). */
  hydrate?: boolean;
  /** The HTML is a function of the URL and of the matched routes' loader data: rendered pages are reused. */
  renderCache?: boolean;
  /**
   * For a visitor without a session, the loader data is a function of the URL and of the content alone: the
   * page is kept by URL, sent with an ETag and a Cache-Control a proxy may honour.
   */
  publicCache?: boolean;
  /**
   * The server may call the action itself for a small url-encoded POST, skipping Remix's pipeline. The
   * action writes nothing unless it redirects: any other outcome is run again by Remix, which renders it.
   * Called directly, the action's request has only `url`, `method` and `headers.get`/`has`; its form is read
   * with readForm (server/context.ts, formRequest).
   */
  directAction?: boolean;
  /** The largest request body the action takes, when more than the default (server/limits.ts). */
  maxBodyBytes?: number;
};

type ServerRoutes = ServerBuild["routes"];
export type ServerRoute = ServerRoutes[string];
export type RouteMatch = { chain: ServerRoute[]; params: Record<string, string> };

type TreeRoute = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: TreeRoute[]; route: ServerRoute };

function tree(routes: ServerRoutes, parentId?: string): TreeRoute[] {
  return Object.values(routes)
    .filter((r) => r.parentId === parentId)
    .map((route) => {
      const children = tree(routes, route.id);
      return {
        id: route.id,
        path: route.path,
        index: route.index,
        caseSensitive: route.caseSensitive,
        route,
        children: children.length ? children : undefined,
      };
    });
}

type Matcher = { tree: TreeRoute[]; byPath: Map<string, RouteMatch | null> };
const matchers = new WeakMap<ServerRoutes, Matcher>();
// Matching ranks every route on each call; the hot paths ask for the same few paths again and again.
const REMEMBERED_PATHS = 2000;

/** The routes (root → leaf) that answer this path, with their parameters; null when none does. */
export function matchRoute(routes: ServerRoutes, pathname: string): RouteMatch | null {
  let matcher = matchers.get(routes);
  if (!matcher) {
    matcher = { tree: tree(routes), byPath: new Map() };
    matchers.set(routes, matcher);
  }
  const known = matcher.byPath.get(pathname);
  if (known !== undefined) return known;
  let found: RouteMatch | null = null;
  try {
    const matches = matchRoutes(matcher.tree as Parameters<typeof matchRoutes>[0], pathname) as Array<{
      route: TreeRoute;
      params: Record<string, string | undefined>;
    }> | null;
    if (matches) {
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(matches[matches.length - 1].params)) if (value !== undefined) params[name] = value;
      found = { chain: matches.map((m) => m.route.route), params };
    }
  } catch {
    found = null; // a path the matcher cannot decode: Remix answers it
  }
  if (matcher.byPath.size >= REMEMBERED_PATHS) matcher.byPath.clear();
  matcher.byPath.set(pathname, found);
  return found;
}

export function handleOf(route: ServerRoute): RouteHandle {
  return (route.module.handle as RouteHandle | undefined) ?? {};
}

/** The leaf route's own declaration. */
export function leafHandle(match: RouteMatch): RouteHandle {
  return handleOf(match.chain[match.chain.length - 1]);
}
