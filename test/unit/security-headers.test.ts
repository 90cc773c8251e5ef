import http from "node:http";
import type { AddressInfo } from "node:net";
import helmet from "helmet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowNoncedScripts, setSecurityHeaders } from "../../server/security";

// The headers are helmet's, recorded once and replayed on each response (decision 035). Each response must
// carry exactly what helmet itself sets when it runs on that request, and the policy a browser enforces.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let server: http.Server;
let handler: Handler = () => {};

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function headersFor(path: string, respond: Handler): Promise<Record<string, string>> {
  handler = (req, res) => {
    respond(req, res);
    res.end("ok");
  };
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const headers = Object.fromEntries(response.headers);
  for (const name of ["date", "connection", "keep-alive", "content-length", "transfer-encoding"]) delete headers[name];
  return headers;
}

const DOCUMENT_POLICY =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'";

describe("security headers", () => {
  it("are, on a page, what helmet sets when it runs on the request, with a policy that allows no inline script", async () => {
    const ours = await headersFor("/khoa-hoc", (req, res) => setSecurityHeaders(req, res));
    const helmets = await headersFor("/khoa-hoc", (req, res) =>
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", "data:"],
            fontSrc: ["'self'"],
            connectSrc: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            baseUri: ["'self'"],
            objectSrc: ["'none'"],
          },
        },
        referrerPolicy: { policy: "same-origin" },
        xFrameOptions: { action: "deny" },
        strictTransportSecurity: false,
      })(req, res, () => {}),
    );
    expect(ours).toEqual(helmets);
    expect(ours["content-security-policy"]).toBe(DOCUMENT_POLICY);
    expect(ours["x-frame-options"]).toBe("DENY");
    expect(ours["referrer-policy"]).toBe("same-origin");
    expect(ours["x-content-type-options"]).toBe("nosniff");
    expect(ours["x-powered-by"]).toBeUndefined();
  });

  it("are the same on every response, and each response gets its own copy", async () => {
    const first = await headersFor("/khoa-hoc/a", (req, res) => setSecurityHeaders(req, res));
    const second = await headersFor("/dang-nhap", (req, res) => {
      setSecurityHeaders(req, res);
      res.setHeader("Content-Security-Policy", "changed on this response only");
    });
    const third = await headersFor("/ca-nhan", (req, res) => setSecurityHeaders(req, res));
    expect(second["content-security-policy"]).toBe("changed on this response only");
    expect(third).toEqual(first);
  });

  it("on a stylesheet or script are only those a browser applies to such a file", async () => {
    const asset = await headersFor("/build/root-ABC.css", (req, res) => setSecurityHeaders(req, res));
    expect(asset["x-content-type-options"]).toBe("nosniff");
    expect(asset["referrer-policy"]).toBe("same-origin");
    expect(asset["content-security-policy"]).toBeUndefined();
    expect(asset["x-frame-options"]).toBeUndefined();
    // The service worker's script keeps the document headers: its policy governs the worker.
    const worker = await headersFor("/sw.js", (req, res) => setSecurityHeaders(req, res));
    expect(worker["content-security-policy"]).toBe(DOCUMENT_POLICY);
  });

  it("let a page Remix renders run only scripts carrying its own nonce", async () => {
    let nonce = "";
    const page = await headersFor("/khoa-hoc", (req, res) => {
      setSecurityHeaders(req, res);
      nonce = allowNoncedScripts(req, res);
    });
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(page["content-security-policy"]).toBe(DOCUMENT_POLICY.replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`));
    const next = await headersFor("/khoa-hoc", (req, res) => {
      setSecurityHeaders(req, res);
      allowNoncedScripts(req, res);
    });
    expect(next["content-security-policy"]).not.toContain(nonce);
  });
});
