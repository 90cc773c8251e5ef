import { createHash } from "node:crypto";

// The site's public address, used in every identifier that leaves the platform (credentials, xAPI, exports):
// PUBLIC_URL when set (production), otherwise the address the request came to.
export function publicOrigin(request?: Request): string {
  if (process.env.PUBLIC_URL) return originOf(process.env.PUBLIC_URL);
  return request ? new URL(request.url).origin : "http://localhost";
}

/**
 * The site's address in a message sent with no request to take it from (reminders, digests). Production sets
 * PUBLIC_URL (docs/deployment.md); without it, the province's own address rather than this machine's.
 */
export function messageOrigin(): string {
  return process.env.PUBLIC_URL ? originOf(process.env.PUBLIC_URL) : "https://hocvuso.tayninh.gov.vn";
}

// Parsed once per value: every learning event asks for it (two statements per quiz answer).
let parsed: { url: string; origin: string } | undefined;
function originOf(url: string): string {
  if (parsed?.url !== url) parsed = { url, origin: new URL(url).origin };
  return parsed.origin;
}

/** The opaque, stable identifier of an account outside the platform: never its username, e-mail or phone. */
export async function learnerPseudonym(personId: string): Promise<string> {
  return createHash("sha256").update(`hvs-learner:${personId}`).digest("hex").slice(0, 32);
}
