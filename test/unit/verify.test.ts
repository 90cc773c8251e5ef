import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { at } from "./support/helpers";

// Public certificate verification (verify.server.ts, the page /chung-chi/<code>): what anyone holding a code
// sees, a revoked certificate, a code that is not ours, and the limit of 30 look-ups per address per 10 minutes.
// The fixture's "thu-hai" ("Dùng AI cẩn thận", skill 6.1 "Hiểu biết về AI") is finished with one lesson and a quiz.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.PUBLIC_URL;
});

async function m() {
  const catalog = await import("~/courses/catalog.server");
  return {
    ...(await import("~/learning/verify.server")),
    ...(await import("~/learning/progress.server")),
    ...(await import("~/learning/attempts.server")),
    ...(await import("~/learning/certificates.server")),
    ...(await import("~/records/credentials.server")),
    thuHai: catalog.findCourse("thu-hai")!,
  };
}

/** A certificate for thu-hai issued at `iso` to a new learner called `fullName`; returns its stored code. */
async function certificateFor(fullName: string, iso: string): Promise<string> {
  const { completeLesson, submitAttempt, newIdempotencyKey, certificatesOf, thuHai } = await m();
  const person = await makePerson({ fullName });
  at(iso);
  await completeLesson(person, thuHai, "ai-la-gi");
  await submitAttempt(person, thuHai, newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] });
  vi.useRealTimers();
  const [certificate] = await certificatesOf(person);
  return certificate.code;
}

describe("verifying a certificate", () => {
  it("shows exactly what is printed on it, found however the code is typed", async () => {
    const { verifyCertificate } = await m();
    const code = await certificateFor("Lâm Văn Chứng", "2026-11-20T03:15:00.000Z");
    const display = `${code.slice(0, 5)}-${code.slice(5)}`;
    const printed = {
      code,
      displayCode: display,
      fullName: "Lâm Văn Chứng",
      courseTitle: "Dùng AI cẩn thận",
      competences: [{ code: "6.1", name: "Hiểu biết về AI" }],
      issuedAt: "2026-11-20T03:15:00.000Z",
    };
    expect(await verifyCertificate(code, "10.1.0.1")).toEqual({ kind: "found", certificate: printed, revokedAt: null });
    expect(await verifyCertificate(display.toLowerCase(), "10.1.0.1")).toEqual({ kind: "found", certificate: printed, revokedAt: null });
    expect(await verifyCertificate(`${code.slice(0, 5)} ${code.slice(5)}`, "10.1.0.1")).toEqual({ kind: "found", certificate: printed, revokedAt: null });
  });

  it("a revoked certificate is still found, with the time it was revoked", async () => {
    const { verifyCertificate, revokeCertificate } = await m();
    const code = await certificateFor("Phạm Thị Thu", "2026-11-20T03:15:00.000Z");
    const admin = await makePerson();
    at("2026-11-25T08:30:00.000Z");
    expect(await revokeCertificate(code, "Cấp nhầm người", admin)).toBe("revoked");
    vi.useRealTimers();
    const result = await verifyCertificate(code, "10.1.0.2");
    expect(result).toMatchObject({ kind: "found", revokedAt: "2026-11-25T08:30:00.000Z", certificate: { code, fullName: "Phạm Thị Thu" } });
    // Another certificate is not affected by that revocation.
    const other = await certificateFor("Phạm Văn Hai", "2026-11-21T03:15:00.000Z");
    expect(await verifyCertificate(other, "10.1.0.2")).toMatchObject({ kind: "found", revokedAt: null });
  });

  it("a code that is not ours, or not a code at all, is not found, and the answer repeats at most 20 characters of it", async () => {
    const { verifyCertificate } = await m();
    expect(await verifyCertificate("ABCDE-23456", "10.1.0.3")).toEqual({ kind: "not-found", code: "ABCDE-23456" });
    expect(await verifyCertificate("xyz", "10.1.0.3")).toEqual({ kind: "not-found", code: "xyz" });
    expect(await verifyCertificate("' OR 1=1 -- and a much longer tail", "10.1.0.3")).toEqual({ kind: "not-found", code: "' OR 1=1 -- and a mu" });
    expect(await verifyCertificate("", "10.1.0.3")).toEqual({ kind: "not-found", code: "" });
  });
});

describe("the look-up limit", () => {
  it("30 look-ups from one address in 10 minutes, then a Vietnamese wait message; other addresses are not held back", async () => {
    const { verifyCertificate } = await m();
    const code = await certificateFor("Đỗ Văn Hùng", "2026-11-20T03:15:00.000Z");
    at("2026-12-01T00:00:00.000Z"); // the start of a 10-minute window
    for (let i = 1; i <= 30; i++) expect((await verifyCertificate(i === 30 ? code : "ABCDE-23456", "10.1.0.4")).kind).toBe(i === 30 ? "found" : "not-found");
    // The 31st, even for a real code, says how long to wait and shows nothing of the certificate.
    expect(await verifyCertificate(code, "10.1.0.4")).toEqual({
      kind: "limited",
      message: "Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau khoảng 10 phút.",
    });
    at("2026-12-01T00:06:30.000Z");
    expect(await verifyCertificate(code, "10.1.0.4")).toEqual({
      kind: "limited",
      message: "Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau khoảng 4 phút.",
    });
    expect((await verifyCertificate(code, "10.1.0.5")).kind).toBe("found");
    // The next window starts afresh.
    at("2026-12-01T00:10:00.000Z");
    expect((await verifyCertificate(code, "10.1.0.4")).kind).toBe("found");
  });
});

describe("the address printed on a certificate", () => {
  it("uses PUBLIC_URL when set, else the address the page was opened at", async () => {
    const { verifyUrl } = await m();
    const request = new Request("http://127.0.0.1:3000/ca-nhan/chung-chi/ABCDE23456?in=1");
    expect(verifyUrl(request, "ABCDE23456")).toBe("http://127.0.0.1:3000/chung-chi/ABCDE23456");
    process.env.PUBLIC_URL = "https://hocvuso.tayninh.gov.vn";
    expect(verifyUrl(request, "ABCDE23456")).toBe("https://hocvuso.tayninh.gov.vn/chung-chi/ABCDE23456");
  });
});
