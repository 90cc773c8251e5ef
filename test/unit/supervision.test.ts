import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Supervised attempts on a trainer's phone (app/cohorts/supervision.server.ts): the learner proves who they
// are, the trainer's device carries a cookie for 30 minutes, and handing the phone back ends it.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.COOKIE_SECURE;
});

const mod = async () => ({
  ...(await import("~/accounts/supervision.server")),
  ...(await import("~/db.server")),
  ...(await import("~/accounts/token.server")),
});

let n = 0;
async function setup(password = "matkhau-123") {
  const { db, nowIso } = await mod();
  n += 1;
  const trainer = await makePerson();
  const username = `giamsat${n}`;
  const { createPerson } = await import("~/accounts/people.server");
  const learner = await createPerson({
    username,
    fullName: "Người Được Giám Sát",
    birthYear: 1960,
    communeCode: "25459",
    kind: "citizen",
    password,
    consentMethod: "self",
  });
  const { id: cohortId } = await db()
    .insertInto("cohort")
    .values({ join_code: `GS${n}XYZ`, name: "Lớp giám sát", commune_code: "25459", start_date: "2026-11-01", created_by: trainer, created_at: nowIso() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { trainer, learner: { id: learner, username }, cohortId };
}

async function rows(learnerId: string) {
  const { db } = await mod();
  return db().selectFrom("supervised_session").selectAll().where("learner_id", "=", learnerId).execute();
}

describe("starting supervision", () => {
  it("sets a 30-minute HttpOnly cookie and records who supervises whom, until when", async () => {
    const { startSupervision, supervisedLearner, storedToken } = await mod();
    const { trainer, learner, cohortId } = await setup();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-20T08:00:00.000Z") });
    const started = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const match = /^hvs_supervised=([A-Za-z0-9_-]{32}); Path=\/; HttpOnly; SameSite=Lax; Max-Age=1800$/.exec(started.cookie);
    expect(match).not.toBeNull();
    const [row] = await rows(learner.id);
    expect(row).toMatchObject({
      id: storedToken(match![1]),
      trainer_id: trainer,
      learner_id: learner.id,
      cohort_id: cohortId,
      started_at: "2026-11-20T08:00:00.000Z",
      ended_at: null,
    });
    expect(row.expires_at).toBe(Date.parse("2026-11-20T08:30:00.000Z") / 1000);
    expect(await supervisedLearner(`other=1; hvs_supervised=${match![1]}`, trainer)).toEqual({ learnerId: learner.id, cohortId });
  });

  it("marks the cookie Secure when cookies are secure", async () => {
    const { startSupervision } = await mod();
    const { trainer, learner, cohortId } = await setup();
    process.env.COOKIE_SECURE = "1";
    const started = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    expect(started.ok && started.cookie).toMatch(/; Max-Age=1800; Secure$/);
  });

  it("asks for the PIN when none was typed, and records nothing", async () => {
    const { startSupervision } = await mod();
    const { trainer, learner, cohortId } = await setup();
    expect(await startSupervision(trainer, cohortId, learner, "")).toEqual({
      ok: false,
      status: 400,
      error: "Người học cần nhập mã PIN hoặc mật khẩu của mình.",
    });
    expect(await rows(learner.id)).toEqual([]);
  });

  it("refuses a wrong PIN, or someone else's right one, and records nothing", async () => {
    const { startSupervision } = await mod();
    const { trainer, learner, cohortId } = await setup();
    const other = await setup();
    expect(await startSupervision(trainer, cohortId, learner, "sai-mat-khau")).toEqual({
      ok: false,
      status: 401,
      error: "Mã PIN hoặc mật khẩu chưa đúng. Người học hãy nhập lại.",
    });
    // The other learner's credentials are right, but for another account.
    expect(await startSupervision(trainer, cohortId, { id: learner.id, username: other.learner.username }, "matkhau-123")).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(await rows(learner.id)).toEqual([]);
  });

  it("after five wrong PINs the sixth try waits, even with the right PIN; a success before that clears the count", async () => {
    const { startSupervision, db } = await mod();
    const { trainer, learner, cohortId } = await setup();
    for (let i = 0; i < 4; i++) expect(await startSupervision(trainer, cohortId, learner, "sai")).toMatchObject({ status: 401 });
    expect((await startSupervision(trainer, cohortId, learner, "matkhau-123")).ok).toBe(true);
    expect(await db().selectFrom("rate_limit").select("count").where("key", "=", `supervise:${learner.id}`).execute()).toEqual([]);

    for (let i = 0; i < 5; i++) expect(await startSupervision(trainer, cohortId, learner, "sai")).toMatchObject({ status: 401 });
    expect(await startSupervision(trainer, cohortId, learner, "matkhau-123")).toEqual({
      ok: false,
      status: 429,
      error: expect.stringMatching(/^Nhập sai quá nhiều lần, vui lòng thử lại sau khoảng \d+ phút\.$/),
    });
    expect(await rows(learner.id)).toHaveLength(1);
  });

  it("one learner's wrong PINs do not lock out another learner", async () => {
    const { startSupervision } = await mod();
    const locked = await setup();
    const other = await setup();
    for (let i = 0; i < 6; i++) await startSupervision(locked.trainer, locked.cohortId, locked.learner, "sai");
    expect(await startSupervision(locked.trainer, locked.cohortId, locked.learner, "matkhau-123")).toMatchObject({ ok: false, status: 429 });
    expect((await startSupervision(other.trainer, other.cohortId, other.learner, "matkhau-123")).ok).toBe(true);
  });

  it("only the first 200 characters of what was typed are checked", async () => {
    const { startSupervision } = await mod();
    const long = "p".repeat(200);
    const { trainer, learner, cohortId } = await setup(long);
    expect((await startSupervision(trainer, cohortId, learner, `${long}thua`)).ok).toBe(true);
  });
});

describe("while supervised", () => {
  it("lasts until the expiry second, not beyond", async () => {
    const { startSupervision, supervisedLearner } = await mod();
    const { trainer, learner, cohortId } = await setup();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-20T08:00:00.000Z") });
    const started = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    const cookie = started.ok ? started.cookie.split(";")[0] : "";
    vi.setSystemTime(new Date("2026-11-20T08:29:59.000Z"));
    expect(await supervisedLearner(cookie, trainer)).toEqual({ learnerId: learner.id, cohortId });
    vi.setSystemTime(new Date("2026-11-20T08:30:00.000Z"));
    expect(await supervisedLearner(cookie, trainer)).toBeNull();
  });

  it("a cookie that is not a supervision id is ignored", async () => {
    const { startSupervision, supervisedLearner } = await mod();
    const { trainer, learner, cohortId } = await setup();
    const started = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    const token = started.ok ? started.cookie.split(";")[0].split("=")[1] : "";
    expect(await supervisedLearner(`xhvs_supervised=${token}`, trainer)).toBeNull();
    expect(await supervisedLearner("", trainer)).toBeNull();
    expect(await supervisedLearner("hvs_supervised=short", trainer)).toBeNull();
    expect(await supervisedLearner(`a=1;x-hvs_supervised=${token}`, trainer)).toBeNull();
    // Cookies separated without a space, or with several, are still read.
    expect(await supervisedLearner(`a=1;hvs_supervised=${token}`, trainer)).toEqual({ learnerId: learner.id, cohortId });
    expect(await supervisedLearner(`a=1;   hvs_supervised=${token}`, trainer)).toEqual({ learnerId: learner.id, cohortId });
  });
});

describe("ending supervision", () => {
  it("ends only this device's supervision and clears its cookie", async () => {
    const { startSupervision, supervisedLearner, endSupervision } = await mod();
    const { trainer, learner, cohortId } = await setup();
    const first = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    const second = await startSupervision(trainer, cohortId, learner, "matkhau-123");
    const [a, b] = [first, second].map((s) => (s.ok ? s.cookie.split(";")[0] : ""));
    const cleared = await endSupervision(new Request("http://localhost/", { headers: { Cookie: a } }));
    expect(cleared).toBe("hvs_supervised=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(await supervisedLearner(a, trainer)).toBeNull();
    expect(await supervisedLearner(b, trainer)).toEqual({ learnerId: learner.id, cohortId });
    expect((await rows(learner.id)).filter((r) => r.ended_at !== null)).toHaveLength(1);
  });

  it("without a supervision cookie it only clears the cookie", async () => {
    const { startSupervision, endSupervision } = await mod();
    const { trainer, learner, cohortId } = await setup();
    await startSupervision(trainer, cohortId, learner, "matkhau-123");
    expect(await endSupervision(new Request("http://localhost/"))).toBe("hvs_supervised=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect((await rows(learner.id)).map((r) => r.ended_at)).toEqual([null]);
  });
});
