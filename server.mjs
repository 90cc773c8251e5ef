// Production server: Express + the Remix request handler (the same pieces remix-serve uses), plus what
// remix-serve cannot do: security headers with a per-request CSP nonce, no per-request logging, and a
// loopback-only default bind. See docs/decisions/001-stack.md.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const BUILD_PATH = path.resolve("build/index.js");
const build = await import(BUILD_PATH);

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1");

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  next();
});
// Cross-site request forgery: every state-changing request must come from one of our own pages.
// Browsers send Origin on form posts; Referer is the fallback for old ones. Neither → refused.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const expected = process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL).origin : `${req.protocol}://${req.get("host")}`;
  let origin = req.get("origin");
  if (!origin && req.get("referer")) {
    try {
      origin = new URL(req.get("referer")).origin;
    } catch {
      origin = undefined;
    }
  }
  if (origin === expected) return next();
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .send("Yêu cầu bị từ chối vì không được gửi từ trang Học vụ số Tây Ninh. Hãy mở lại trang rồi thử lại.");
});

// Bodies larger than any form of ours are refused before they are read.
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
const MAX_UPLOAD_BYTES = 21 * 1024 * 1024; // roster files of ~60,000 officials
app.use((req, res, next) => {
  const limit = req.path === "/quan-tri/nhap-du-lieu" ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
  if (Number(req.get("content-length") ?? 0) > limit) {
    return res.status(413).type("text/plain; charset=utf-8").send("Dữ liệu gửi lên quá lớn.");
  }
  next();
});
app.use(compression());
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV ?? "production",
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  }),
);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
app.listen(port, host, () => {
  console.log(`Học vụ số Tây Ninh đang chạy tại http://${host === "127.0.0.1" ? "localhost" : host}:${port}`);
});
