import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import { createLocalJWKSet, decodeJwt, importJWK, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/helpers";
import { makePerson, useTempDatabase } from "./support/db";

// Part 1 of issue 20: the credential verifies with jose alone (not through the app's checker), fails after one
// changed byte, validates against the Open Badges 3.0 schema, and the public check says "revoked" once revoked.

const ORIGIN = "https://hocvuso.tayninh.gov.vn";
let code: string;
let personId: string;

async function certificate() {
  const { findCertificate } = await import("~/learning/certificates.server");
  return (await findCertificate(code))!;
}

beforeAll(async () => {
  await useTempDatabase();
  process.env.CREDENTIAL_KEY_PATH = path.join(tempDir(), "key.json");
  const { generateSigningKey } = await import("~/records/signing-key.server");
  await generateSigningKey();
  personId = await makePerson({ fullName: "Nguyễn Thị Mười" });
  const { db } = await import("~/db.server");
  const { issueCertificate } = await import("~/learning/certificates.server");
  code = await db()
    .transaction()
    .execute((trx) =>
      issueCertificate(
        trx,
        { id: personId, fullName: "Nguyễn Thị Mười" },
        { slug: "an-toan", title: "An toàn trên mạng", competences: ["1.1", "4.2"] },
        "2026-03-05T02:00:00.000Z",
      ),
    );
});

/** Changes one character of the signed part (header or payload), keeping it valid base64url. */
function tamper(token: string, at: number): string {
  const replacement = token[at] === "A" ? "B" : "A";
  return token.slice(0, at) + replacement + token.slice(at + 1);
}

describe("Open Badges 3.0 credential", () => {
  it("verifies with jose and the published key set alone, and repeats the credential in the JWT claims", async () => {
    const { signedCredential } = await import("~/records/credentials.server");
    const { publicKeySet } = await import("~/records/signing-key.server");
    const token = await signedCredential(await certificate(), ORIGIN);
    // The published JWKS as a verifier outside the app would fetch it.
    const jwks = JSON.parse(JSON.stringify(publicKeySet(`${ORIGIN}/.well-known/jwks.json`)));
    for (const key of jwks.keys) expect(key.d).toBeUndefined(); // never a private part
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks));
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(protectedHeader.kid).toMatch(/^https:\/\/hocvuso\.tayninh\.gov\.vn\/\.well-known\/jwks\.json#.{43}$/);
    expect(payload.iss).toBe(`${ORIGIN}/ob/to-chuc.json`);
    expect(payload.jti).toBe(`${ORIGIN}/chung-chi/${code}`);
    expect(payload.nbf).toBe(Date.parse("2026-03-05T02:00:00.000Z") / 1000);
    const credential = payload as any;
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(payload.sub).toBe(credential.credentialSubject.id);
    expect(credential.credentialSubject.identifier[0].identityHash).toBe("Nguyễn Thị Mười");
    expect(credential.credentialSubject.achievement.name).toBe("An toàn trên mạng");
    expect(credential.credentialSubject.achievement.alignment.map((a: any) => a.targetCode)).toEqual(["1.1", "4.2"]);
    // The account is never named: no username, no id of ours.
    expect(JSON.stringify(payload)).not.toContain(personId);
    // And with the bare public key (as a verifier who copied the JWK by hand would).
    await expect(jwtVerify(token, await importJWK(jwks.keys[0], "EdDSA"))).resolves.toBeTruthy();
  });

  it("fails to verify after any one byte of the header, payload or signature changes", async () => {
    const { signedCredential } = await import("~/records/credentials.server");
    const { publicKeySet } = await import("~/records/signing-key.server");
    const token = await signedCredential(await certificate(), ORIGIN);
    const jwks = createLocalJWKSet(publicKeySet(`${ORIGIN}/.well-known/jwks.json`));
    await expect(jwtVerify(token, jwks)).resolves.toBeTruthy();
    const [header, payload] = token.split(".");
    for (const at of [5, header.length + 1 + Math.floor(payload.length / 2), token.length - 10]) {
      await expect(jwtVerify(tamper(token, at), jwks)).rejects.toThrow();
    }
  });

  it("validates against the 1EdTech Open Badges 3.0 AchievementCredential JSON schema", async () => {
    const { signedCredential } = await import("~/records/credentials.server");
    const schema = JSON.parse(readFileSync("docs/schemas/ob_v3p0_achievementcredential_schema.json", "utf8"));
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const credential = decodeJwt(await signedCredential(await certificate(), ORIGIN));
    const valid = validate(credential);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema really checks: a credential without its subject is refused.
    expect(validate({ ...credential, credentialSubject: undefined })).toBe(false);
  });

  it("is the same credential every time (nothing stored, nothing random)", async () => {
    const { signedCredential } = await import("~/records/credentials.server");
    expect(await signedCredential(await certificate(), ORIGIN)).toBe(await signedCredential(await certificate(), ORIGIN));
  });
});

describe("public check of an uploaded credential", () => {
  it("says authentic, whose and which course; then revoked once an administrator revokes it", async () => {
    const { signedCredential, checkCredential, revokeCertificate, revocationList } = await import("~/records/credentials.server");
    const token = await signedCredential(await certificate(), ORIGIN);
    const before = await checkCredential(`${token}\n`);
    expect(before).toMatchObject({ kind: "authentic", fullName: "Nguyễn Thị Mười", courseTitle: "An toàn trên mạng", code, revoked: null });

    const admin = await makePerson();
    expect(await revokeCertificate(code, "Cấp nhầm người", admin)).toBe("revoked");
    expect(await revokeCertificate(code, "Cấp nhầm người", admin)).toBe("already");
    const after = await checkCredential(token);
    expect(after.kind === "authentic" && after.revoked).toBeTruthy();
    const list = await revocationList(ORIGIN);
    expect(list.revokedCredentials.map((c) => c.id)).toEqual([`${ORIGIN}/chung-chi/${code}`]);
    expect(JSON.stringify(list)).not.toContain("Cấp nhầm người"); // the reason stays with administrators
  });

  it("refuses a tampered credential, garbage, and a credential signed with someone else's key", async () => {
    const { signedCredential, checkCredential } = await import("~/records/credentials.server");
    const token = await signedCredential(await certificate(), ORIGIN);
    const [header, payload] = token.split(".");
    expect((await checkCredential(tamper(token, header.length + 1 + Math.floor(payload.length / 2)))).kind).toBe("not-authentic");
    expect((await checkCredential("không phải chứng nhận")).kind).toBe("not-authentic");

    // A forger with their own key: a perfectly valid JWT, but not ours.
    const { generateSigningKey, signingKey } = await import("~/records/signing-key.server");
    process.env.CREDENTIAL_KEY_PATH = path.join(tempDir(), "forger.json");
    await generateSigningKey();
    const forged = await signedCredential(await certificate(), ORIGIN);
    expect((await signingKey()).kid).toBeTruthy();
    process.env.CREDENTIAL_KEY_PATH = path.join(tempDir(), "other.json"); // the site's keys are elsewhere now
    await generateSigningKey();
    const result = await checkCredential(forged);
    expect(result.kind).toBe("not-authentic");
  });

  it("keeps old credentials valid after the key is rotated", async () => {
    const { signedCredential, checkCredential } = await import("~/records/credentials.server");
    const { generateSigningKey, publicKeySet } = await import("~/records/signing-key.server");
    const old = await signedCredential(await certificate(), ORIGIN);
    const again = await generateSigningKey();
    expect(again.created).toBe(false); // a second run changes nothing
    await generateSigningKey({ rotate: true });
    expect(publicKeySet().keys).toHaveLength(2);
    expect((await checkCredential(old)).kind).toBe("authentic");
    expect(await signedCredential(await certificate(), ORIGIN)).not.toBe(old);
  });
});
