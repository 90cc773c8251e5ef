import { hit, waitMessage } from "~/accounts/rate-limit.server";
import { findCertificate, normalizeCode, type CertificateView } from "./certificates.server";

// Public verification. Rate-limited per client address so codes cannot be enumerated, and it returns only
// what is printed on the certificate.

const LOOKUPS_PER_WINDOW = 30;
const WINDOW_MS = 10 * 60_000;

export type VerifyResult =
  | { kind: "found"; certificate: Omit<CertificateView, "courseSlug"> }
  | { kind: "not-found"; code: string }
  | { kind: "limited"; message: string };

export async function verifyCertificate(input: string, ip: string): Promise<VerifyResult> {
  const wait = await hit({ key: `verify:${ip}`, max: LOOKUPS_PER_WINDOW, windowMs: WINDOW_MS });
  if (wait) return { kind: "limited", message: `Bạn đã tra cứu quá nhiều lần, ${waitMessage(wait)}.` };
  const code = normalizeCode(input);
  const found = code ? await findCertificate(code) : undefined;
  if (!found) return { kind: "not-found", code: input.slice(0, 20) };
  const { personId: _p, courseSlug: _c, ...certificate } = found;
  return { kind: "found", certificate };
}

export function verifyUrl(request: Request, code: string): string {
  const origin = process.env.PUBLIC_URL ?? new URL(request.url).origin;
  return `${origin}/chung-chi/${code}`;
}
