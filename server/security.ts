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

/**
 * Headers for a script, stylesheet, image or manifest: the ones a browser applies to such a file (no sniffing,
 * same-origin embedding, referrer, HSTS). The rest only govern documents, and on a phone over 3G a lesson's
 * first visit loads about ten such files, so sending document headers with each cost ~2.5 KB of the 20 KB
 * budget (decision 025). The service worker's script keeps every header: its CSP governs the worker, and an SVG
 * keeps them as it can be opened as a document.
 */
function assetOptions(): HelmetOptions {
  return {
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: process.env.PUBLIC_URL?.startsWith("https:") ? undefined : false,
    contentSecurityPolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

const ASSET = /\.(?:css|js|png|webp|jpe?g|webmanifest|woff2?)$/;
const DOCUMENT_SCRIPTS = /\/sw\.js$/;

/** A file a page loads rather than a page: decided by its path alone (query ignored). */
export function isAsset(url: string): boolean {
  const path = url.split("?")[0];
  return ASSET.test(path) && !DOCUMENT_SCRIPTS.test(path);
}

const noop = () => {};
const noncedPolicy = helmet.contentSecurityPolicy(policy(["'self'", (_req, res) => `'nonce-${nonces.get(res) ?? ""}'`]));

type HeaderChange = { name: string; value?: string | number | readonly string[] };

/**
 * What a helmet middleware does to a response, recorded once. Helmet's options here hold no function of the
 * request, so every response gets the same headers: replaying the recorded list costs a few setHeader calls
 * instead of running a dozen middlewares and building the policy string on every request (a quiz answer is
 * answered thousands of times a second, docs/performance.md).
 */
function recorded(middleware: ReturnType<typeof helmet>): HeaderChange[] {
  const changes: HeaderChange[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => changes.push({ name, value }),
    removeHeader: (name: string) => changes.push({ name }),
    getHeader: () => undefined,
  };
  middleware({ url: "/", method: "GET", headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, noop);
  return changes;
}

let scriptless: HeaderChange[] | undefined;
let assetHeaders: HeaderChange[] | undefined;

function apply(res: ServerResponse, changes: HeaderChange[]): void {
  for (const { name, value } of changes) {
    if (value === undefined) res.removeHeader(name);
    else res.setHeader(name, value);
  }
}

/** Every header helmet sets, with a CSP that allows no inline script at all. */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  if (isAsset(req.url ?? "/")) {
    assetHeaders ??= recorded(helmet(assetOptions()));
    return apply(res, assetHeaders);
  }
  scriptless ??= recorded(helmet(options()));
  apply(res, scriptless);
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
