// Production server: Express + the Remix request handler (the same pieces remix-serve uses), plus what
// remix-serve cannot do: security headers with a per-request CSP nonce, a response cache for anonymous
// reading pages, a method/Origin/body-size gate in front of every action, no per-request logging, and a
// loopback-only default bind. See docs/decisions/001-stack.md and 006-performance-and-faults.md.
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";

const BUILD_PATH = path.resolve("build/index.js");
const build = await import(BUILD_PATH);
const mode = process.env.NODE_ENV ?? "production";

function securityHeaders(nonce) {
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
  };
}

// ---------------------------------------------------------------------------------------------------------
// Response cache for anonymous reading pages. Content is loaded once per process and never changes until the
// next deploy, so the HTML of /khoa-hoc/<course>/<lesson> for a visitor without a session is the same bytes
// every time: render once, keep it (and its gzip) in memory, and serve it without touching Express or Remix.

const CACHEABLE_PATH = /^\/(?:khoa-hoc(?:\/[a-z0-9-]+){0,2}|nang-luc-so|quyen-rieng-tu)?$/;
const MAX_ENTRIES = 2000;
const cache = new Map();
// Remix as a plain Fetch handler, for the paths that skip Express: filling the caches and the requests a fast
// path declined after reading their body.
const remixFetch = createFetchHandler(build, mode);


function cacheable(req) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (!CACHEABLE_PATH.test(req.url)) return false; // no query strings, no other pages
  // A chosen text size (hvs_chu, decision 025) changes the page too: those visitors skip this cache.
  return !/(?:^|;\s*)hvs_(?:session|supervised|chu)=/.test(req.headers.cookie ?? "");
}

async function cachedPage(req) {
  const hit = cache.get(req.url);
  if (hit) return hit;
  const response = await remixFetch(
    new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { headers: { accept: "text/html" } }),
    { cspNonce: "", clientIp: req.socket.remoteAddress ?? "unknown" },
  );
  // Only plain successful pages are kept: never errors, redirects or anything that sets a cookie.
  if (response.status !== 200 || response.headers.has("set-cookie")) return null;
  const body = Buffer.from(await response.arrayBuffer());
  const entry = {
    body,
    gzip: gzipSync(body, { level: 9 }),
    headers: {
      "Content-Type": response.headers.get("content-type") ?? "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
      Vary: "Cookie, Accept-Encoding",
      ETag: `"${randomBytes(8).toString("hex")}"`,
      ...securityHeaders(""),
    },
  };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value);
  cache.set(req.url, entry);
  return entry;
}

function sendCached(req, res, entry) {
  if (req.headers["if-none-match"] === entry.headers.ETag) {
    res.writeHead(304, entry.headers);
    return res.end();
  }
  sendPage(req, res, entry, entry.headers);
}

/** A kept page (raw and gzip bytes), in gzip when the browser accepts it. */
function sendPage(req, res, page, headers) {
  const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  const body = gzip ? page.gzip : page.body;
  res.writeHead(200, { ...headers, "Content-Length": body.length, ...(gzip ? { "Content-Encoding": "gzip" } : {}) });
  res.end(req.method === "HEAD" ? undefined : body);
}

// Cross-site request forgery: every state-changing request must come from one of our own pages.
// Browsers send Origin on form posts; Referer is the fallback for old ones. Neither → refused.
function sameOrigin(req) {
  const expected = process.env.PUBLIC_URL
    ? new URL(process.env.PUBLIC_URL).origin
    : `${process.env.TRUST_PROXY === "1" && String(req.headers["x-forwarded-proto"]).split(",")[0].trim() === "https" ? "https" : "http"}://${req.headers.host}`;
  let origin = req.headers.origin;
  if (!origin && req.headers.referer) {
    try {
      origin = new URL(req.headers.referer).origin;
    } catch {
      origin = undefined;
    }
  }
  return origin === expected;
}

// ---------------------------------------------------------------------------------------------------------
// Malformed requests: answered in Vietnamese, never with Express's English pages or a dropped connection.

const TOO_LARGE = "Dữ liệu gửi lên quá lớn.";
// Past this, a body is not worth reading to the end just to refuse it (same bound as readForm's).
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * 413 for a declared body over the limit. The body is read and thrown away first (up to MAX_DRAIN_BYTES):
 * answering while the client is still sending, then closing, makes the kernel reset the connection and the
 * client sees the reset instead of the answer. Connection: close, so nothing after the body is taken for a
 * request.
 */
function refuseTooLarge(req, res) {
  let drained = 0;
  const answer = () => {
    if (res.headersSent) return;
    res.status(413).set("Connection", "close").type("text/plain; charset=utf-8").send(TOO_LARGE);
  };
  req.on("data", (chunk) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) answer();
  });
  req.on("end", answer);
  req.on("error", () => res.destroy());
}

function closeAfterTooLarge(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    if (status === 413) this.setHeader("Connection", "close");
    return writeHead.call(this, status, ...rest);
  };
}

/** A page in Vietnamese with a way back, for requests that never reach Remix. */
function messagePage(title, message) {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Học vụ số Tây Ninh</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Về trang chủ</a></p></body></html>`;
}

const BAD_ADDRESS = messagePage(
  "Địa chỉ trang không đúng",
  "Địa chỉ có ký tự không đọc được, có thể do bị cắt hoặc chép thiếu. Bạn hãy kiểm tra lại địa chỉ, hoặc về trang chủ.",
);

/** "%ff", "%c3%28" or a lone "%" in the path: Express and Remix cannot decode it (Express answers in English). */
function undecodablePath(url) {
  const query = url.indexOf("?");
  try {
    decodeURIComponent(query === -1 ? url : url.slice(0, query));
    return false;
  } catch {
    return true;
  }
}

function refuseBadAddress(req, res) {
  const body = Buffer.from(BAD_ADDRESS);
  res.writeHead(400, { ...securityHeaders(""), "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length });
  res.end(req.method === "HEAD" ? undefined : body);
}

// ---------------------------------------------------------------------------------------------------------
// Everything else: Express.

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1");

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  for (const [name, value] of Object.entries(securityHeaders(nonce))) res.setHeader(name, value);
  next();
});

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST"]);
app.use((req, res, next) => {
  if (ALLOWED_METHODS.has(req.method)) return next();
  res.status(405).set("Allow", "GET, HEAD, POST").type("text/plain; charset=utf-8").send("Phương thức yêu cầu không được hỗ trợ.");
});

app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || sameOrigin(req)) return next();
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .send("Yêu cầu bị từ chối vì không được gửi từ trang Học vụ số Tây Ninh. Hãy mở lại trang rồi thử lại.");
});

// Bodies larger than any form of ours are refused without being parsed or kept.
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
const MAX_UPLOAD_BYTES = 21 * 1024 * 1024; // roster files of ~60,000 officials
app.use((req, res, next) => {
  const limit = req.path === "/quan-tri/nhap-du-lieu" ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
  const declared = req.get("content-length");
  if (Number(declared ?? 0) > limit) return refuseTooLarge(req, res);
  // A body without a declared length (chunked) is counted as it is read, in readForm (app/ui/forms.server.ts),
  // which reads it to the end before refusing it. Remix keeps only the status of that thrown 413, so the
  // Connection: close is added here, as the headers go out.
  if (req.headers["transfer-encoding"]) closeAfterTooLarge(res);
  next();
});
app.use(compression());
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
// Static files only where they live, so page requests never pay for a filesystem lookup.
app.use("/images", express.static("public/images", { maxAge: "1h" }));
app.get("/favicon.svg", (_req, res) => res.sendFile(path.resolve("public/favicon.svg"), { maxAge: "1d" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  }),
);
// Errors Express itself raises (a static file it cannot decode or read): its default page is English.
// eslint-disable-next-line no-unused-vars
app.use((error, req, res, _next) => {
  if (res.headersSent) return res.destroy();
  const status = Number(error?.status ?? error?.statusCode);
  const clientError = status >= 400 && status < 500;
  if (!clientError) console.error(error);
  const page = clientError
    ? messagePage("Không thực hiện được yêu cầu", "Yêu cầu không hợp lệ. Vui lòng quay lại và thử lại.")
    : messagePage("Xin lỗi, hệ thống đang gặp sự cố", "Bạn vui lòng thử lại sau ít phút. Những gì bạn đã lưu trước đó vẫn được giữ nguyên.");
  res.status(clientError ? status : 500).type("text/html; charset=utf-8").send(page);
});

// ---------------------------------------------------------------------------------------------------------
// Signed-in pages and quiz submissions: fast paths exported by the app's server entry (decision 007). Each
// answers exactly as Remix would or declines (null), and the request continues to Express and Remix.

const { fastPaths } = build.entry.module;
const SESSION_COOKIE = /(?:^|;\s*)hvs_session=/;

function clientIp(req) {
  const forwarded = process.env.TRUST_PROXY === "1" ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0].trim() : "";
  return forwarded || req.socket.remoteAddress || "unknown";
}

function sendRendered(req, res, page) {
  // X-Cache: for operators and tests, this page came from the render cache.
  sendPage(req, res, page, { ...page.headers, ...securityHeaders(""), Vary: "Accept-Encoding", "X-Cache": "hit" });
}

/** What the fast paths need to know of a request. */
function incoming(req) {
  return { path: req.url, host: req.headers.host ?? "localhost", cookie: req.headers.cookie, clientIp: clientIp(req) };
}

function signedInPage(req) {
  if ((req.method !== "GET" && req.method !== "HEAD") || !SESSION_COOKIE.test(req.headers.cookie ?? "")) return null;
  return fastPaths.signedInPage(build.routes, incoming(req));
}

function orRemix(req, res, attempt, send) {
  attempt.then(
    (result) => (result ? send(req, res, result) : app(req, res)),
    (error) => {
      console.error(error);
      app(req, res);
    },
  );
}

// A quiz submission is read here only when the fast path may take it (signed in, same origin, a url-encoded
// body of declared, small length). If the fast path declines, the body has been read already, so Remix gets
// it directly as a Fetch request.
function quizSubmission(req, res) {
  if (req.method !== "POST" || !SESSION_COOKIE.test(req.headers.cookie ?? "")) return false;
  const declared = Number(req.headers["content-length"]);
  if (!Number.isInteger(declared) || !fastPaths.isQuizSubmission(req.url, req.headers["content-type"] ?? "", declared)) return false;
  if (!sameOrigin(req)) return false; // Express refuses it
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("error", () => res.destroy());
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    fastPaths.quizSubmission({ ...incoming(req), contentType: req.headers["content-type"], body }).then(
      (result) => {
        if (!result) return remixWithBody(req, res, body);
        res.writeHead(302, { Location: result.location, ...securityHeaders(""), "Content-Length": 0 });
        res.end();
      },
      (error) => {
        console.error(error);
        remixWithBody(req, res, body); // retried by Remix: the idempotency key makes that safe
      },
    );
  });
  return true;
}

async function remixWithBody(req, res, body) {
  try {
    const nonce = randomBytes(16).toString("base64");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: req.method, headers, body });
    const response = await remixFetch(request, { cspNonce: nonce, clientIp: clientIp(req) });
    const out = Buffer.from(await response.arrayBuffer());
    const responseHeaders = { ...securityHeaders(nonce) };
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") responseHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) responseHeaders["Set-Cookie"] = cookies;
    responseHeaders["Content-Length"] = out.length;
    res.writeHead(response.status, responseHeaders);
    res.end(out);
  } catch (error) {
    console.error(error);
    res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", ...securityHeaders("") });
    res.end("Có lỗi xảy ra. Vui lòng thử lại.");
  }
}

// Operations (decision 013): /healthz, /readyz, /metrics, request metrics, the disk watcher.
const { operations } = build.entry.module;
// An empty or un-migrated database would answer 500s (e.g. "no such table" on sign-up): refuse to start instead.
const startupProblem = await operations.startupProblem();
if (startupProblem) {
  console.error(startupProblem);
  process.exit(1);
}
operations.start();

const server = http.createServer((req, res) => {
  operations.observe(req, res, build.routes);
  if (undecodablePath(req.url)) return refuseBadAddress(req, res); // before every path: fast, cached or Express
  if (operations.handle(req, res)) return;
  if (cacheable(req)) return orRemix(req, res, cachedPage(req), sendCached);
  if (quizSubmission(req, res)) return;
  const page = signedInPage(req);
  if (page) return orRemix(req, res, page, sendRendered);
  app(req, res);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
server.listen(port, host, () => {
  console.log(`Học vụ số Tây Ninh đang chạy tại http://${host === "127.0.0.1" ? "localhost" : host}:${port}`);
});

// Graceful stop: finish the requests in flight (their writes are acknowledged only after commit), then exit.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    // Then fold the WAL into the .db file and truncate it, so a copy of the .db alone is complete (decision 013).
    const exit = () => operations.shutdown().finally(() => process.exit(0));
    server.close(exit);
    server.closeIdleConnections?.();
    setTimeout(exit, 10_000).unref();
  });
}
