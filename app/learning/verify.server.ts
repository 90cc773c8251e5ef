import { hit, waitMessage } from "~/accounts/rate-limit.server";
import { db } from "~/db.server";
import { findCertificate, normalizeCode, type CertificateView } from "./certificates.server";
import { publicOrigin } from "~/records/origin.server";

// Public verification. Rate-limited per client address so codes cannot be enumerated, and it returns only
// what is printed on the certificate.

const LOOKUPS_PER_WINDOW = 30;
const WINDOW_MS = 10 * 60_000;

export type VerifyResult =
  | { kind: "found"; certificate: Omit<CertificateView, "courseSlug">; revokedAt: string | null }
  | { kind: "not-found"; code: string }
  | { kind: "limited"; message: string };

export async function verifyCertificate(input: string, ip: string): Promise<VerifyResult> {
  const wait = await hit({ key: `verify:${ip}`, max: LOOKUPS_PER_WINDOW, windowMs: WINDOW_MS });
  if (wait) return { kind: "limited", message: `Bạn đã tra cứu quá nhiều lần, ${waitMessage(wait)}.` };
  const code = normalizeCode(input);
  const found = code ? await findCertificate(code) : undefined;
  if (!found) return { kind: "not-found", code: input.slice(0, 20) };
  const { personId: _p, courseSlug: _c, ...certificate } = found;
  // Revoked certificates are still found, and said to be revoked (issue 20).
  const revoked = await db().selectFrom("certificate_revocation").select("revoked_at").where("code", "=", certificate.code).executeTakeFirst();
  return { kind: "found", certificate, revokedAt: revoked?.revoked_at ?? null };
}

export function verifyUrl(request: Request, code: string): string {
  return `${publicOrigin(request)}/chung-chi/${code}`;
}
