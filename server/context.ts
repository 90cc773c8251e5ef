import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { publicOrigin } from "~/records/origin.server";
import { withBodyReadAlready } from "~/ui/forms.server";
import { nonceOf } from "./security";

// What every loader and action receives as `context` (typed in app/load-context.ts), built here and nowhere
// else: by Express for Remix, by the page cache when it runs loaders, by the direct actions.

/**
 * The client's address, one rule for every use (rate limits, sign-up limits). Behind a reverse proxy
 * (TRUST_PROXY=1) it is the address the proxy appended to X-Forwarded-For — the last entry, since any entry
 * before it was written by the client and could be anything.
 */
export function clientIp(req: IncomingMessage): string {
  if (process.env.TRUST_PROXY === "1") {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .pop()
      ?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? "unknown";
}

export function loadContext(req: IncomingMessage, res: ServerResponse): AppLoadContext {
  return { cspNonce: nonceOf(res), clientIp: clientIp(req) };
}

/** The site's own origin, as a browser on one of our pages would send it in Origin. */
function expectedOrigin(req: IncomingMessage): string {
  if (process.env.PUBLIC_URL) return publicOrigin();
  const proto = process.env.TRUST_PROXY === "1" && String(req.headers["x-forwarded-proto"]).split(",")[0].trim() === "https" ? "https" : "http";
  return `${proto}://${req.headers.host}`;
}

/**
 * Cross-site request forgery: every state-changing request must come from one of our own pages. Browsers
 * send Origin on form posts; Referer is the fallback for old ones. Neither → refused.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  let origin = req.headers.origin;
  if (!origin && req.headers.referer) {
    try {
      origin = new URL(req.headers.referer).origin;
    } catch {
      origin = undefined;
    }
  }
  return origin === expectedOrigin(req);
}

/** A Fetch Request for this Node request, with the body already read (or none). */
export function fetchRequest(req: IncomingMessage, body?: Buffer): Request {
  return new Request(requestUrl(req), { method: req.method, headers: requestHeaders(req), body: body ? new Uint8Array(body) : undefined });
}

/**
 * The request an action the server calls directly receives (app/serving/direct-action.server.ts): its url,
 * method and headers, with the body, read already, handed to readForm as it is (app/ui/forms.server.ts).
 * Not a Fetch Request: building one (URL parsing, header validation, an AbortSignal) cost 13 µs of each quiz
 * answer (decision 035). A route that declares `directAction` promises to use only these (see
 * RouteHandle); anything else it touched would throw, and Remix would run the action again with a real one.
 */
export function formRequest(req: IncomingMessage, body: Buffer): Request {
  const view = { url: requestUrl(req), method: req.method ?? "POST", headers: new IncomingHeaders(req) };
  return withBodyReadAlready(view as unknown as Request, body);
}

/** `get` and `has` of the Fetch Headers, over the Node request's headers (already lower-cased by Node). */
class IncomingHeaders {
  constructor(private readonly req: IncomingMessage) {}
  get(name: string): string | null {
    const value = this.req.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.req.headers[name.toLowerCase()] !== undefined;
  }
}

function requestUrl(req: IncomingMessage): string {
  return `http://${req.headers.host ?? "localhost"}${req.url}`;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}
