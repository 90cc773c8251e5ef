import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { operations } from "~/operations/health.server";
import { directActionRoute, runDirectAction } from "~/serving/direct-action.server";
import { publicPage, signedInPage, type CachedPage } from "~/serving/page-cache.server";
import { leafHandle, matchRoute } from "~/serving/routes.server";
import { MAX_FORM_BYTES } from "~/ui/forms.server";
import { fetchRequest, formRequest, loadContext, sameOrigin } from "./context";
import { track } from "./in-flight";
import { closeAfterTooLarge, expressErrorPage, refuseBadAddress, refuseForeignOrigin, refuseMethod, refuseTooLarge, undecodablePath } from "./refusals";
import { allowNoncedScripts, setSecurityHeaders } from "./security";

// The one request pipeline (decision 014). Every request goes through `handle` below, in this order:
//
//   metrics → security headers → undecodable address (400) → /healthz, /readyz, /metrics → method (405)
//   → Origin of a POST (403) → declared body size (413) → page cache (GET) or direct action (POST)
//   → Express: compression, static files, Remix.
//
// Routes opt into the page cache, the direct action and a larger body through their `handle`
// (app/serving/routes.server.ts); nothing here knows a route's path or a cookie's name.

/** Bodies larger than any form of ours are refused without being parsed or kept, unless the route says more. */
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST"]);

export function createRequestListener(build: ServerBuild): RequestListener {
  const remixFetch = createFetchHandler(build, build.mode);
  const expressApp = createExpressApp(build);

  function bodyLimit(pathname: string): number {
    const match = matchRoute(build.routes, pathname);
    return (match && leafHandle(match).maxBodyBytes) || MAX_BODY_BYTES;
  }

  /** The whole body of a request already known to be small. */
  function readBody(req: IncomingMessage, res: ServerResponse, then: (body: Buffer) => void): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => res.destroy());
    req.on("end", () => then(Buffer.concat(chunks)));
  }

  /** Remix, for a request whose body was read already (a direct action that declined). */
  async function remixWithBody(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    try {
      allowNoncedScripts(req, res);
      const response = await remixFetch(fetchRequest(req, body), loadContext(req, res));
      const out = Buffer.from(await response.arrayBuffer());
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) res.setHeader("Set-Cookie", cookies);
      res.setHeader("Content-Length", out.length);
      res.writeHead(response.status);
      res.end(out);
    } catch (error) {
      console.error(error);
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Có lỗi xảy ra. Vui lòng thử lại.");
    }
  }

  /** A small url-encoded POST to a route that declared a direct action; false when it does not apply. */
  function directAction(req: IncomingMessage, res: ServerResponse, { pathname, search }: URL): boolean {
    const declared = Number(req.headers["content-length"]);
    if (!Number.isInteger(declared) || declared > MAX_FORM_BYTES) return false;
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return false;
    const match = search ? null : directActionRoute(build.routes, pathname);
    if (!match) return false;
    readBody(req, res, (body) => {
      track(runDirectAction(match, formRequest(req, body), loadContext(req, res)), `direct ${pathname}`).then(
        (redirect) => {
          if (!redirect) return track(remixWithBody(req, res, body), `remix ${pathname}`);
          const cookies = redirect.headers.getSetCookie();
          if (cookies.length) res.setHeader("Set-Cookie", cookies);
          res.writeHead(redirect.status, { Location: redirect.headers.get("Location")!, "Content-Length": 0 });
          res.end();
        },
        (error) => {
          console.error(error);
          track(remixWithBody(req, res, body), `remix ${pathname}`); // retried by Remix: the route promised that nothing was written
        },
      );
    });
    return true;
  }

  /** A kept page (raw and gzip bytes), in gzip when the browser accepts it; 304 when the browser has it. */
  function sendCached(req: IncomingMessage, res: ServerResponse, page: CachedPage): void {
    const etag = page.headers.etag;
    if (
      etag &&
      String(req.headers["if-none-match"] ?? "")
        .split(/\s*,\s*/)
        .includes(etag)
    ) {
      res.writeHead(304, { etag, "cache-control": page.headers["cache-control"], vary: page.headers.vary });
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const body = gzip ? page.gzip : page.body;
    // X-Cache: for operators and tests, this page came from the page cache.
    res.writeHead(200, { ...page.headers, "x-cache": "hit", "content-length": body.length, ...(gzip ? { "content-encoding": "gzip" } : {}) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  /** A GET the page cache may answer; false when it does not apply (it then goes to Express). */
  function cachedPage(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "/";
    const kept = publicPage(url, req.headers.cookie);
    if (kept) {
      sendCached(req, res, kept);
      return true;
    }
    if (!req.headers.cookie || url.includes("?")) return false;
    track(signedInPage(build.routes, fetchRequest(req), loadContext(req, res)), `signed-in ${url}`).then(
      (page) => (page ? sendCached(req, res, page) : expressApp(req, res)),
      (error) => {
        console.error(error);
        expressApp(req, res);
      },
    );
    return true;
  }

  return function handle(req, res) {
    operations.observe(req, res, build.routes);
    setSecurityHeaders(req, res);
    if (undecodablePath(req.url ?? "/")) return refuseBadAddress(req, res); // before every path: fast, cached or Express
    if (operations.handle(req, res)) return;
    if (!ALLOWED_METHODS.has(req.method ?? "")) return refuseMethod(req, res);
    if (req.method === "POST") {
      if (!sameOrigin(req)) return refuseForeignOrigin(req, res);
      const url = new URL(req.url ?? "/", "http://x");
      if (Number(req.headers["content-length"] ?? 0) > bodyLimit(url.pathname)) return refuseTooLarge(req, res);
      if (req.headers["transfer-encoding"]) closeAfterTooLarge(res);
      if (directAction(req, res, url)) return;
    } else if (cachedPage(req, res)) {
      return;
    }
    expressApp(req, res);
  };
}

function createExpressApp(build: ServerBuild): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Static files only where they live, so page requests never pay for a filesystem lookup.
  app.use("/images", express.static("public/images", { maxAge: "1h" }));
  app.get("/favicon.svg", (_req, res) => res.sendFile(path.resolve("public/favicon.svg"), { maxAge: "1d" }));
  app.use((req, res, next) => {
    allowNoncedScripts(req, res);
    next();
  });
  const remix = createRequestHandler({ build, mode: build.mode, getLoadContext: (req, res) => loadContext(req, res) });
  app.all("*", (req, res, next) => track(remix(req, res, next), `${req.method} ${req.path}`));
  app.use((error: unknown, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    if (res.headersSent) return res.destroy();
    const { status, page } = expressErrorPage(error);
    res.status(status).type("text/html; charset=utf-8").send(page);
  });
  return app;
}
