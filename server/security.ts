import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";

// Security headers for every response come from here, through helmet (decision 014). The pipeline sets them
// once, first thing, so every answer — a cached page, a 304, a refusal, /healthz, Express, Remix — carries
// them. A page that Remix renders may hydrate, so it gets a fresh CSP nonce instead of the script-less policy.

type ScriptSource = string | ((req: IncomingMessage, res: ServerResponse) => string);

const nonces = new WeakMap<ServerResponse, string>();

function policy(scriptSrc: ScriptSource[]) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc,
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  };
}

function options(): HelmetOptions {
  return {
    contentSecurityPolicy: policy(["'self'"]),
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
    // HSTS only makes sense where the site is served over https; plain-http setups (tests, a LAN) skip it.
    strictTransportSecurity: process.env.PUBLIC_URL?.startsWith("https:") ? undefined : false,
  };
}

const noop = () => {};
let scriptless: ReturnType<typeof helmet> | undefined;
const noncedPolicy = helmet.contentSecurityPolicy(policy(["'self'", (_req, res) => `'nonce-${nonces.get(res) ?? ""}'`]));

/** Every header helmet sets, with a CSP that allows no inline script at all. */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  scriptless ??= helmet(options());
  scriptless(req, res, noop);
}

/** A fresh nonce for a response Remix renders, and the CSP that allows scripts carrying it. */
export function allowNoncedScripts(req: IncomingMessage, res: ServerResponse): string {
  const nonce = randomBytes(16).toString("base64");
  nonces.set(res, nonce);
  noncedPolicy(req, res, noop);
  return nonce;
}

/** The nonce given to this response, or "" when it may carry no script. */
export function nonceOf(res: ServerResponse): string {
  return nonces.get(res) ?? "";
}
