import { beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Certificate codes are random; to see what happens when a drawn code is already held, the draw is made to
// repeat itself (only node:crypto's randomInt is replaced; the database is real).
const repeat = vi.hoisted(() => ({ zeros: 0 }));
vi.mock("node:crypto", async (original) => {
  const actual = await original<typeof import("node:crypto")>();
  return { ...actual, randomInt: (max: number) => (repeat.zeros-- > 0 ? 0 : actual.randomInt(max)) };
});

beforeAll(async () => {
  await useTempDatabase();
});

describe("issuing a certificate", () => {
  it("a code already held by another certificate is never issued again: another is drawn", async () => {
    const { db } = await import("~/db.server");
    const { issueCertificate, certificatesOf } = await import("~/learning/certificates.server");
    const [first, second] = [await makePerson(), await makePerson()];
    const issue = (person: string) =>
      db()
        .transaction()
        .execute((trx) =>
          issueCertificate(trx, { id: person, fullName: "A" }, { slug: "lam-quen", title: "Làm quen", competences: [] }, "2026-12-01T00:00:00.000Z"),
        );
    repeat.zeros = 10;
    expect(await issue(first)).toBe("2222222222");
    repeat.zeros = 10; // the second draw starts with the same code
    const code = await issue(second);
    expect(code).not.toBe("2222222222");
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    expect((await certificatesOf(second)).map((c) => c.code)).toEqual([code]);
  });
});
