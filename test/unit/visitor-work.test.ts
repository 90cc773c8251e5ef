import { createHmac } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { withEditedContent } from "./support/helpers";

// A visitor's work before signing up (decision 020), kept in a signed cookie: what they read and answered, what
// a tampered or stale cookie gives, and what is recorded for them once they have an account. The fixture's
// "lam-quen" is sequential with lessons "buoc-mot" and "buoc-hai" and questions "otp" (options a–c) and
// "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh" (a–c); "thu-hai" has one lesson "ai-la-gi" and questions "ai-dung"
// and "kiem-tra-ai" (a–b).

// The key is set before the module is first imported, so that the test can sign cookies of its own (a cookie
// the app could never have written, or a forged one) with the same key.
const SECRET = "khoa-bi-mat-cua-bai-kiem-thu";
process.env.VISITOR_COOKIE_SECRET = SECRET;

const MULTI = "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh";

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.COOKIE_SECURE;
});

async function m() {
  const catalog = await import("~/courses/catalog.server");
  return {
    ...(await import("~/learning/visitor-work.server")),
    ...(await import("~/learning/progress.server")),
    ...(await import("~/db.server")),
    lamQuen: catalog.findCourse("lam-quen")!,
    thuHai: catalog.findCourse("thu-hai")!,
  };
}

/** A cookie value signed with the test's key, written here without the module: base64url JSON, a dot, HMAC. */
function signed(raw: unknown): string {
  const payload = Buffer.from(typeof raw === "string" ? raw : JSON.stringify(raw)).toString("base64url");
  return `${payload}.${createHmac("sha256", SECRET).update(payload).digest("base64url")}`;
}

/** The Cookie header a browser sends back after a Set-Cookie (its first part). */
function sentBack(setCookie: string | null): string {
  if (!setCookie) throw new Error("no cookie was set");
  return setCookie.split(";")[0];
}

/** What the cookie holds, decoded here without the module. */
function decoded(setCookie: string | null): unknown {
  const value = sentBack(setCookie).slice("hvs_khach=".length);
  return JSON.parse(Buffer.from(value.split(".")[0], "base64url").toString("utf8"));
}

describe("a visitor reading lessons", () => {
  it("the first lesson gives a signed cookie for a week holding that lesson, HttpOnly, Lax, for the whole site", async () => {
    const { visitorReadLesson, lamQuen } = await m();
    const cookie = visitorReadLesson(null, lamQuen, "buoc-mot");
    expect(cookie).toBe(`hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot"], a: {} })}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800`);
  });

  it("over HTTPS (COOKIE_SECURE=1) the cookie is also Secure", async () => {
    const { visitorReadLesson, lamQuen } = await m();
    process.env.COOKIE_SECURE = "1";
    const cookie = visitorReadLesson(null, lamQuen, "buoc-mot");
    expect(cookie).toBe(`hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot"], a: {} })}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure`);
  });

  it("lessons are kept in order, each once; the second lesson cannot come first and an unknown lesson is refused", async () => {
    const { visitorReadLesson, lamQuen } = await m();
    expect(visitorReadLesson(null, lamQuen, "buoc-hai")).toBeNull();
    expect(visitorReadLesson(null, lamQuen, "khong-co-bai-nay")).toBeNull();
    const first = visitorReadLesson(null, lamQuen, "buoc-mot");
    expect(visitorReadLesson(sentBack(first), lamQuen, "khong-co-bai-nay")).toBeNull();
    const again = visitorReadLesson(sentBack(first), lamQuen, "buoc-mot");
    expect(decoded(again)).toEqual({ c: "lam-quen", l: ["buoc-mot"], a: {} });
    const second = visitorReadLesson(sentBack(again), lamQuen, "buoc-hai");
    expect(decoded(second)).toEqual({ c: "lam-quen", l: ["buoc-mot", "buoc-hai"], a: {} });
    // Reading the first lesson again after the second changes nothing.
    expect(decoded(visitorReadLesson(sentBack(second), lamQuen, "buoc-mot"))).toEqual({ c: "lam-quen", l: ["buoc-mot", "buoc-hai"], a: {} });
  });

  it("work on another course replaces the earlier course's lessons and answers", async () => {
    const { visitorReadLesson, visitorQuizAnswers, lamQuen, thuHai } = await m();
    const onThuHai = visitorQuizAnswers(sentBack(visitorReadLesson(null, thuHai, "ai-la-gi")), thuHai, { "ai-dung": ["b"] });
    expect(decoded(onThuHai)).toEqual({ c: "thu-hai", l: ["ai-la-gi"], a: { "ai-dung": ["b"] } });
    expect(decoded(visitorReadLesson(sentBack(onThuHai), lamQuen, "buoc-mot"))).toEqual({ c: "lam-quen", l: ["buoc-mot"], a: {} });
    expect(decoded(visitorQuizAnswers(sentBack(onThuHai), lamQuen, { otp: ["b"] }))).toEqual({ c: "lam-quen", l: [], a: { otp: ["b"] } });
  });
});

describe("a visitor's quiz answers", () => {
  it("are kept beside the lessons read, only for questions and options of the course, each option once", async () => {
    const { visitorReadLesson, visitorQuizAnswers, lamQuen } = await m();
    const read = visitorReadLesson(null, lamQuen, "buoc-mot");
    const cookie = visitorQuizAnswers(sentBack(read), lamQuen, { otp: ["b", "b", "z"], [MULTI]: ["a", "c"], "cau-la": ["a"], "ai-dung": ["b"] });
    expect(cookie).toBe(
      `hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot"], a: { otp: ["b"], [MULTI]: ["a", "c"] } })}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800`,
    );
  });

  it("a question left with no valid option is not kept; new answers replace the earlier ones", async () => {
    const { visitorQuizAnswers, lamQuen } = await m();
    const first = visitorQuizAnswers(null, lamQuen, { otp: ["a"], [MULTI]: ["b"] });
    expect(decoded(first)).toEqual({ c: "lam-quen", l: [], a: { otp: ["a"], [MULTI]: ["b"] } });
    expect(decoded(visitorQuizAnswers(sentBack(first), lamQuen, { otp: ["z"], [MULTI]: ["a", "b"] }))).toEqual({
      c: "lam-quen",
      l: [],
      a: { [MULTI]: ["a", "b"] },
    });
  });
  it("answers that would not fit are refused, and every cookie given back is read back whole", async () => {
    // lam-quen with 100 more questions ("cau-1" … "cau-100", options a–c): enough answers to pass the 1,800
    // characters a cookie value may have when it is read back.
    const extra = Array.from(
      { length: 100 },
      (_, i) => `## Câu thêm ${i + 1}? {#cau-${i + 1}}\n\n- [x] Có\n- [ ] Không\n- [ ] Chưa rõ\n\nGiải thích.\n\n`,
    ).join("");
    const heading = "## Những việc nào giúp hồ sơ được xử lý nhanh?";
    await withEditedContent([{ file: "lam-quen/quiz.md", from: heading, to: `${extra}${heading}` }], async () => {
      const { visitorQuizAnswers, readVisitorWork } = await m();
      const { findCourse } = await import("~/courses/catalog.server");
      const course = findCourse("lam-quen")!;
      expect(course.quiz.questions).toHaveLength(102);
      let refused = 0;
      let fitted = 0;
      const lengths = new Set<number>();
      // Answers to the first k extra questions, the first j of them with two options: lengths a few bytes apart.
      for (let k = 70; k <= 100; k++) {
        for (let j = 0; j <= k; j++) {
          const answers = Object.fromEntries(Array.from({ length: k }, (_, i) => [`cau-${i + 1}`, i < j ? ["a", "b"] : ["a"]]));
          const length = Buffer.from(JSON.stringify({ c: "lam-quen", l: [], a: answers })).toString("base64url").length;
          const cookie = visitorQuizAnswers(null, course, answers);
          lengths.add(length);
          if (length > 1800) {
            expect(cookie, `${length} characters`).toBeNull();
            refused += 1;
          } else {
            expect(readVisitorWork(sentBack(cookie)), `${length} characters`).toEqual({ course: "lam-quen", lessons: [], answers });
            fitted += 1;
          }
        }
      }
      expect(refused).toBeGreaterThan(100);
      expect(fitted).toBeGreaterThan(100);
      // Both sides of the bound were tried (base64url never gives 1,801 characters).
      expect([1798, 1799, 1800, 1802, 1803, 1804, 1806].filter((n) => lengths.has(n))).toEqual([1798, 1799, 1800, 1802, 1803, 1804, 1806]);
    });
  });
});

describe("reading the cookie back", () => {
  it("finds it among other cookies, and only under its own name", async () => {
    const { readVisitorWork } = await m();
    const value = signed({ c: "lam-quen", l: ["buoc-mot"], a: { otp: ["b"] } });
    const work = { course: "lam-quen", lessons: ["buoc-mot"], answers: { otp: ["b"] } };
    expect(readVisitorWork(`hvs_khach=${value}`)).toEqual(work);
    expect(readVisitorWork(`giao_dien=toi; hvs_khach=${value}; ngon_ngu=vi`)).toEqual(work);
    expect(readVisitorWork(`giao_dien=toi;hvs_khach=${value}`)).toEqual(work);
    expect(readVisitorWork(`xhvs_khach=${value}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach2=${value}`)).toBeNull();
    expect(readVisitorWork(null)).toBeNull();
    expect(readVisitorWork("")).toBeNull();
  });

  it("a changed payload, a signature from another key, or a cut signature gives nothing", async () => {
    const { readVisitorWork } = await m();
    const value = signed({ c: "lam-quen", l: ["buoc-mot", "buoc-hai"], a: {} });
    const [payload, signature] = value.split(".");
    const other = Buffer.from(JSON.stringify({ c: "lam-quen", l: ["buoc-mot", "buoc-hai", "x"], a: {} })).toString("base64url");
    expect(readVisitorWork(`hvs_khach=${other}.${signature}`)).toBeNull();
    const forged = createHmac("sha256", "khoa-khac").update(payload).digest("base64url");
    expect(readVisitorWork(`hvs_khach=${payload}.${forged}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach=${payload}.${signature.slice(0, 42)}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach=${payload}`)).toBeNull();
  });

  it("a signed cookie about a course that is gone, without a course, or not JSON gives nothing", async () => {
    const { readVisitorWork } = await m();
    expect(readVisitorWork(`hvs_khach=${signed({ c: "khoa-da-xoa", l: [], a: {} })}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach=${signed({ c: 5, l: [], a: {} })}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach=${signed({ l: ["buoc-mot"] })}`)).toBeNull();
    expect(readVisitorWork(`hvs_khach=${signed("{khong phai json")}`)).toBeNull();
  });

  it("keeps only the course's own lessons and answers from a signed cookie the app did not write", async () => {
    const { readVisitorWork } = await m();
    const raw = {
      c: "lam-quen",
      l: ["buoc-hai", "ai-la-gi", 7, "buoc-mot"],
      a: { otp: ["c", 1, "c", "x"], [MULTI]: "a", "ai-dung": ["b"], "kiem-tra-ai": [] },
    };
    expect(readVisitorWork(`hvs_khach=${signed(raw)}`)).toEqual({ course: "lam-quen", lessons: ["buoc-hai", "buoc-mot"], answers: { otp: ["c"] } });
    expect(readVisitorWork(`hvs_khach=${signed({ c: "thu-hai", l: "ai-la-gi", a: null })}`)).toEqual({ course: "thu-hai", lessons: [], answers: {} });
    expect(readVisitorWork(`hvs_khach=${signed({ c: "thu-hai", a: "ai-dung" })}`)).toEqual({ course: "thu-hai", lessons: [], answers: {} });
    expect(readVisitorWork(`hvs_khach=${signed({ c: "thu-hai", l: [], a: { "ai-dung": ["b", "a", "b"] } })}`)).toEqual({
      course: "thu-hai",
      lessons: [],
      answers: { "ai-dung": ["b", "a"] },
    });
  });

  it("a cookie value of 1,800 characters is read; one longer is not", async () => {
    const { readVisitorWork } = await m();
    // base64url turns 3 bytes into 4 characters: 1,350 bytes of JSON make exactly 1,800 characters.
    const ofBytes = (n: number) => {
      const base = { c: "lam-quen", l: ["buoc-mot"], a: {}, x: "" };
      return { ...base, x: "x".repeat(n - JSON.stringify(base).length) };
    };
    const exact = signed(ofBytes(1350));
    expect(exact.split(".")[0]).toHaveLength(1800);
    expect(readVisitorWork(`hvs_khach=${exact}`)).toEqual({ course: "lam-quen", lessons: ["buoc-mot"], answers: {} });
    const longer = signed(ofBytes(1351));
    expect(longer.split(".")[0]).toHaveLength(1802);
    expect(readVisitorWork(`hvs_khach=${longer}`)).toBeNull();
  });
});

describe("answers carried to the quiz page", () => {
  it("only for the same course and only the questions drawn for this attempt", async () => {
    const { carriedAnswers } = await m();
    const header = `hvs_khach=${signed({ c: "lam-quen", l: [], a: { otp: ["b"], [MULTI]: ["a", "b"] } })}`;
    expect(carriedAnswers(header, "lam-quen", ["otp", MULTI])).toEqual({ otp: ["b"], [MULTI]: ["a", "b"] });
    expect(carriedAnswers(header, "lam-quen", [MULTI])).toEqual({ [MULTI]: ["a", "b"] });
    expect(carriedAnswers(header, "thu-hai", ["otp", MULTI])).toEqual({});
    expect(carriedAnswers(null, "lam-quen", ["otp"])).toEqual({});
  });
});

describe("claiming a visitor's work after sign-up or login", () => {
  async function lessonsOf(personId: string) {
    const { db } = await m();
    const rows = await db()
      .selectFrom("lesson_progress")
      .select(["course_slug", "lesson_slug", "completed_at"])
      .where("person_id", "=", personId)
      .orderBy("lesson_slug")
      .execute();
    return rows.map((r) => [r.course_slug, r.lesson_slug, r.completed_at !== null]);
  }

  it("without a cookie nothing is recorded and no cookie is set", async () => {
    const { claimVisitorWork } = await m();
    const person = await makePerson();
    expect(await claimVisitorWork(person, null)).toBeNull();
    expect(await claimVisitorWork(person, `giao_dien=toi; hvs_khach=${signed({ c: "khoa-da-xoa", l: [] })}`)).toBeNull();
    expect(await lessonsOf(person)).toEqual([]);
  });

  it("the lessons read are completed for the new account, and the answers stay in the cookie for the quiz page", async () => {
    const { claimVisitorWork, visitorReadLesson, visitorQuizAnswers, courseStatus, lamQuen } = await m();
    const person = await makePerson();
    const read = visitorReadLesson(sentBack(visitorReadLesson(null, lamQuen, "buoc-mot")), lamQuen, "buoc-hai");
    const answered = visitorQuizAnswers(sentBack(read), lamQuen, { otp: ["b"] });
    const cookie = await claimVisitorWork(person, sentBack(answered));
    expect(cookie).toBe(`hvs_khach=${signed({ c: "lam-quen", l: [], a: { otp: ["b"] } })}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800`);
    expect(await lessonsOf(person)).toEqual([
      ["lam-quen", "buoc-hai", true],
      ["lam-quen", "buoc-mot", true],
    ]);
    const status = await courseStatus(person, lamQuen);
    expect(status.percent).toBe(66); // 2 of 3 steps: both lessons, not yet the quiz
    expect(status.lastLessonSlug).toBe("buoc-hai");
  });

  it("with lessons but no answers the cookie is cleared", async () => {
    const { claimVisitorWork, visitorReadLesson, thuHai } = await m();
    const person = await makePerson();
    const cookie = await claimVisitorWork(person, sentBack(visitorReadLesson(null, thuHai, "ai-la-gi")));
    expect(cookie).toBe("hvs_khach=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(await lessonsOf(person)).toEqual([["thu-hai", "ai-la-gi", true]]);
  });

  it("lessons are recorded in the course's order, and a lesson still locked for the person is not", async () => {
    const { claimVisitorWork } = await m();
    // Out of order in the cookie: both are recorded, first lesson first.
    const both = await makePerson();
    await claimVisitorWork(both, `hvs_khach=${signed({ c: "lam-quen", l: ["buoc-hai", "buoc-mot"], a: {} })}`);
    expect(await lessonsOf(both)).toEqual([
      ["lam-quen", "buoc-hai", true],
      ["lam-quen", "buoc-mot", true],
    ]);
    // Only the second lesson: still locked for a new account, so nothing is recorded.
    const locked = await makePerson();
    expect(await claimVisitorWork(locked, `hvs_khach=${signed({ c: "lam-quen", l: ["buoc-hai"], a: {} })}`)).toBe(
      "hvs_khach=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    );
    expect(await lessonsOf(locked)).toEqual([]);
  });

  it("for a learner who logs in having completed the first lesson earlier, that lesson is left as it was", async () => {
    const { claimVisitorWork, completeLesson, db, lamQuen } = await m();
    const person = await makePerson();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-20T02:00:00.000Z"));
    await completeLesson(person, lamQuen, "buoc-mot");
    vi.setSystemTime(new Date("2026-12-01T03:00:00.000Z"));
    await claimVisitorWork(person, `hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot", "buoc-hai"], a: {} })}`);
    const rows = await db()
      .selectFrom("lesson_progress")
      .select(["lesson_slug", "completed_at"])
      .where("person_id", "=", person)
      .orderBy("lesson_slug")
      .execute();
    expect(rows).toEqual([
      { lesson_slug: "buoc-hai", completed_at: "2026-12-01T03:00:00.000Z" },
      { lesson_slug: "buoc-mot", completed_at: "2026-11-20T02:00:00.000Z" },
    ]);
    // A learner who had read everything the cookie holds: their course is not touched (it stays where it was
    // in their "continue" list).
    const done = await makePerson();
    vi.setSystemTime(new Date("2026-11-20T02:00:00.000Z"));
    await completeLesson(done, lamQuen, "buoc-mot");
    vi.setSystemTime(new Date("2026-12-01T03:00:00.000Z"));
    await claimVisitorWork(done, `hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot"], a: {} })}`);
    const course = await db().selectFrom("course_progress").select(["updated_at", "last_lesson_slug"]).where("person_id", "=", done).executeTakeFirstOrThrow();
    expect(course).toEqual({ updated_at: "2026-11-20T02:00:00.000Z", last_lesson_slug: "buoc-mot" });
  });
});

describe("without VISITOR_COOKIE_SECRET", () => {
  it("the process makes up its own key: its cookies are read back, a cookie signed with any other key is not", async () => {
    delete process.env.VISITOR_COOKIE_SECRET;
    vi.resetModules();
    try {
      const fresh = await import("~/learning/visitor-work.server");
      const { findCourse } = await import("~/courses/catalog.server");
      const cookie = fresh.visitorReadLesson(null, findCourse("lam-quen")!, "buoc-mot");
      expect(fresh.readVisitorWork(sentBack(cookie))).toEqual({ course: "lam-quen", lessons: ["buoc-mot"], answers: {} });
      expect(fresh.readVisitorWork(`hvs_khach=${signed({ c: "lam-quen", l: ["buoc-mot"], a: {} })}`)).toBeNull();
    } finally {
      process.env.VISITOR_COOKIE_SECRET = SECRET;
      vi.resetModules();
    }
  });
});
