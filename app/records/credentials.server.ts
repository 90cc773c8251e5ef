import { decodeProtectedHeader, jwtVerify, createLocalJWKSet, SignJWT, errors } from "jose";
import { findCourse } from "~/courses/catalog.server";
import { FRAMEWORK_NAME } from "~/courses/framework";
import { db, nowIso } from "~/db.server";
import { findCertificate, normalizeCode, type CertificateView } from "~/learning/certificates.server";
import { learnerPseudonym } from "./origin.server";
import { publicKeySet, signingKey, SIGNING_ALG } from "./signing-key.server";

// Open Badges 3.0 credentials for certificates (decision 022): an OpenBadgeCredential secured as a VC-JWT
// (OB 3.0 §8.2, "JSON Web Token Proof Format"), signed with the organisation's Ed25519 key. The JWT payload is
// the credential itself plus the iss, jti, nbf and sub claims the specification requires. Everything in it is
// derived from the certificate row, so the same certificate always gives the same credential (Ed25519
// signatures are deterministic), and nothing needs storing.

export const ISSUER_NAME = "Học vụ số Tây Ninh";
export const OB_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"];
export const OB_SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

export const issuerId = (origin: string) => `${origin}/ob/to-chuc.json`;
export const statusListId = (origin: string) => `${origin}/ob/thu-hoi.json`;
export const jwksUrl = (origin: string) => `${origin}/.well-known/jwks.json`;
export const credentialId = (origin: string, code: string) => `${origin}/chung-chi/${code}`;

type Certificate = Omit<CertificateView, "displayCode"> & { personId: string };

/** The issuing organisation as an OB 3.0 Profile (also served at its id). */
export function issuerProfile(origin: string) {
  return {
    id: issuerId(origin),
    type: ["Profile"],
    name: ISSUER_NAME,
    url: `${origin}/`,
    description: "Nền tảng học kỹ năng số của tỉnh Tây Ninh, phong trào “Bình dân học vụ số”.",
  };
}

export async function buildCredential(certificate: Certificate, origin: string) {
  const course = findCourse(certificate.courseSlug);
  const subjectId = `urn:uuid:${asUuid(await learnerPseudonym(certificate.personId))}`;
  return {
    "@context": OB_CONTEXT,
    id: credentialId(origin, certificate.code),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `Chứng nhận hoàn thành khóa học: ${certificate.courseTitle}`,
    issuer: issuerProfile(origin),
    validFrom: certificate.issuedAt,
    credentialSubject: {
      id: subjectId,
      type: ["AchievementSubject"],
      // The name printed on the certificate, in clear, as on paper: that is what an employer compares.
      identifier: [{ type: "IdentityObject", identityHash: certificate.fullName, identityType: "name", hashed: false }],
      achievement: {
        id: `${origin}/khoa-hoc/${certificate.courseSlug}`,
        type: ["Achievement"],
        achievementType: "Certificate",
        name: certificate.courseTitle,
        description: course?.summary ?? certificate.courseTitle,
        criteria: { narrative: "Học hết các bài của khóa học và đạt bài kiểm tra cuối khóa trên Học vụ số Tây Ninh." },
        inLanguage: "vi",
        alignment: certificate.competences.map((c) => ({
          type: ["Alignment"],
          targetName: `${c.code} ${c.name}`,
          targetCode: c.code,
          targetFramework: FRAMEWORK_NAME,
          targetUrl: `${origin}/nang-luc-so#${encodeURIComponent(c.code)}`,
          targetType: "ext:DigitalCompetence",
        })),
      },
    },
    credentialStatus: { id: statusListId(origin), type: "1EdTechRevocationList" },
    credentialSchema: [{ id: OB_SCHEMA_ID, type: "1EdTechJsonSchemaValidator2019" }],
  };
}

/** 32 hex digits → the 8-4-4-4-12 form of a UUID (a name-based id: the same learner, the same subject). */
function asUuid(hex: string): string {
  const h = hex.padEnd(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The compact JWS of the certificate's credential. */
export async function signedCredential(certificate: Certificate, origin: string): Promise<string> {
  const credential = await buildCredential(certificate, origin);
  const { kid, key } = await signingKey();
  return new SignJWT({ ...credential })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: `${jwksUrl(origin)}#${kid}`, typ: "JWT" })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setSubject(credential.credentialSubject.id)
    .setNotBefore(Math.floor(Date.parse(credential.validFrom) / 1000))
    .sign(key);
}

// ---------------------------------------------------------------------------------------------------------
// Revocation (the status list named in every credential).

export async function revokeCertificate(code: string, reason: string, adminId: string): Promise<"revoked" | "already" | "not-found"> {
  const found = await db().selectFrom("certificate").select("code").where("code", "=", code).executeTakeFirst();
  if (!found) return "not-found";
  const result = await db()
    .insertInto("certificate_revocation")
    .values({ code, reason, revoked_by: adminId, revoked_at: nowIso() })
    .onConflict((oc) => oc.column("code").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? "revoked" : "already";
}

export async function revocationOf(code: string) {
  return db().selectFrom("certificate_revocation").select(["reason", "revoked_at"]).where("code", "=", code).executeTakeFirst();
}

export async function listRevocations() {
  return db()
    .selectFrom("certificate_revocation")
    .innerJoin("certificate", "certificate.code", "certificate_revocation.code")
    .select(["certificate.code", "certificate.full_name", "certificate.course_title", "certificate_revocation.reason", "certificate_revocation.revoked_at"])
    .orderBy("certificate_revocation.revoked_at", "desc")
    .limit(200)
    .execute();
}

/**
 * The public revocation list (1EdTech Revocation List): the ids of revoked credentials and when. The reason
 * is for administrators only; it may name a person's circumstances.
 */
export async function revocationList(origin: string) {
  const rows = await db().selectFrom("certificate_revocation").select(["code", "revoked_at"]).orderBy("code").execute();
  return {
    id: statusListId(origin),
    issuer: issuerId(origin),
    revokedCredentials: rows.map((r) => ({ id: credentialId(origin, r.code), revokedAt: r.revoked_at })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Checking an uploaded credential (the public page). The signature is checked against our own published
// keys only; a credential signed by anyone else is "not ours", whatever it claims.

export type CredentialCheck =
  | { kind: "authentic"; fullName: string; courseTitle: string; issuedAt: string; code: string; revoked: { at: string } | null; stillListed: boolean }
  | { kind: "not-authentic"; reason: string };

const NOT_A_CREDENTIAL = "Tệp này không phải là chứng nhận điện tử của Học vụ số Tây Ninh (không đọc được nội dung).";

export async function checkCredential(input: string): Promise<CredentialCheck> {
  const token = input.trim().replace(/^\uFEFF/, "");
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return { kind: "not-authentic", reason: NOT_A_CREDENTIAL };
  try {
    decodeProtectedHeader(token);
  } catch {
    return { kind: "not-authentic", reason: NOT_A_CREDENTIAL };
  }
  let payload: Record<string, unknown>;
  try {
    // Keys are matched by thumbprint, the part after "#" in the kid, whatever address the kid was issued under
    // (a credential issued before a change of PUBLIC_URL stays valid).
    const keys = createLocalJWKSet(publicKeySet());
    ({ payload } = await jwtVerify(token, (header, jws) => keys({ ...header, kid: header.kid?.split("#").pop() }, jws), { algorithms: [SIGNING_ALG] }));
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return { kind: "not-authentic", reason: "Chứng nhận này không được ký bằng khóa của Học vụ số Tây Ninh." };
    if (error instanceof errors.JWTClaimValidationFailed) return { kind: "not-authentic", reason: "Chứng nhận này chưa đến ngày có hiệu lực." };
    return { kind: "not-authentic", reason: "Chữ ký không khớp: nội dung chứng nhận đã bị thay đổi sau khi cấp, hoặc chứng nhận là giả." };
  }
  return describeVerified(payload);
}

type VerifiedPayload = {
  iss?: string;
  jti?: string;
  sub?: string;
  id?: string;
  validFrom?: string;
  issuer?: { id?: string };
  credentialSubject?: { id?: string; identifier?: Array<{ identityHash?: string; identityType?: string }>; achievement?: { name?: string } };
};

async function describeVerified(raw: Record<string, unknown>): Promise<CredentialCheck> {
  const p = raw as VerifiedPayload;
  // OB 3.0 §8.2.4: the JWT claims must repeat the credential's own fields.
  if (!p.id || p.jti !== p.id || p.iss !== p.issuer?.id || p.sub !== p.credentialSubject?.id) {
    return { kind: "not-authentic", reason: "Chứng nhận có chữ ký nhưng nội dung không nhất quán; không công nhận." };
  }
  const code = normalizeCode(p.id.split("/").pop() ?? "");
  const fullName = p.credentialSubject?.identifier?.find((i) => i.identityType === "name")?.identityHash ?? "";
  const courseTitle = p.credentialSubject?.achievement?.name ?? "";
  if (!code) return { kind: "not-authentic", reason: NOT_A_CREDENTIAL };
  const [revocation, certificate] = await Promise.all([revocationOf(code), findCertificate(code)]);
  return {
    kind: "authentic",
    fullName,
    courseTitle,
    issuedAt: p.validFrom ?? "",
    code,
    revoked: revocation ? { at: revocation.revoked_at } : null,
    stillListed: Boolean(certificate),
  };
}
