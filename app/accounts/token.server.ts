import { createHash } from "node:crypto";

/**
 * What the database stores for a bearer token carried in a cookie (session, supervision): its SHA-256, so a
 * copy of the database holds no token that signs anyone in. The tokens carry 192 bits or more of randomness,
 * so an unsalted hash is enough.
 */
export function storedToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
