import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { at } from "./support/helpers";

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

async function modules() {
  const catalog = await import("~/courses/catalog.server");
  const attempts = await import("~/learning/attempts.server");
  const progress = await import("~/learning/progress.server");
  const certificates = await import("~/learning/certificates.server");
  const { db } = await import("~/db.server");
  const course = catalog.findCourse("lam-quen")!; // sequential, 2 lessons, 2 questions, pass 60%, 3 attempts, 5 min cool-down
  const open = catalog.findCourse("thu-hai")!; // not sequential, 1 lesson, 1 question
  return { ...attempts, ...progress, ...certificates, db, course, open };
}

const RIGHT = { otp: ["b"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] };

/** A learner who has completed every lesson of the sequential course, so its quiz is open. */
async function learnerReadyForQuiz(m: Awaited<ReturnType<typeof modules>>): Promise<string> {
  const person = await makePerson();
  for (const lesson of m.course.lessons) await m.completeLesson(person, m.course, lesson.slug);
  return person;
}
const WRONG = { otp: ["a"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a"] };

describe("quiz attempts", () => {
  it("the same idempotency key records one attempt, even when sent 5 times at once", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    const key = m.newIdempotencyKey();
    const results = await Promise.all(Array.from({ length: 5 }, () => m.submitAttempt(person, m.course, key, WRONG)));
    const ids = new Set(results.map((r) => (r.kind === "recorded" ? r.attemptId : -1)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.kind === "recorded" && !r.duplicate)).toHaveLength(1);
    const rows = await m.db().selectFrom("quiz_attempt").selectAll().where("person_id", "=", person).execute();
    expect(rows).toHaveLength(1);
    expect((await m.attemptRules(person, m.course)).attemptsUsed).toBe(1);
    const answers = await m.db().selectFrom("quiz_answer").selectAll().where("attempt_id", "=", rows[0].id).execute();
    expect(answers.map((a) => [a.question_id, a.selected, a.is_correct]).sort()).toEqual([
      ["nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh", "a", 0],
      ["otp", "a", 0],
    ]);
  });

  it("a sequential course's quiz stays closed until every lesson is completed, and nothing is recorded", async () => {
    const m = await modules();
    const person = await makePerson();
    await m.completeLesson(person, m.course, m.course.lessons[0].slug);
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT)).kind).toBe("locked");
    expect(await m.db().selectFrom("quiz_attempt").selectAll().where("person_id", "=", person).execute()).toHaveLength(0);
    await m.completeLesson(person, m.course, m.course.lessons[1].slug);
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT)).kind).toBe("recorded");
  });

  it("submissions arriving together share a commit, yet each is all-or-nothing on its own", async () => {
    const m = await modules();
    const people = await Promise.all(Array.from({ length: 3 }, () => learnerReadyForQuiz(m)));
    const { inGroupCommit } = await import("~/db.server");
    // A failing job in the same group (here: a row breaking a foreign key) must not take the others with it.
    const broken = inGroupCommit(async (trx) => {
      await trx
        .insertInto("quiz_attempt")
        .values({
          person_id: people[0],
          course_slug: m.course.slug,
          idempotency_key: m.newIdempotencyKey(),
          submitted_at: new Date().toISOString(),
          correct_count: 0,
          question_count: 2,
          percent: 0,
          passed: 0,
          content_version: "x",
          supervised_by: null,
        })
        .execute();
      await trx.insertInto("quiz_answer").values({ attempt_id: 999_999_999, question_id: "otp", selected: "a", is_correct: 0 }).execute();
    });
    const good = people.map((person) => m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG));
    await expect(broken).rejects.toThrow();
    expect((await Promise.all(good)).map((r) => r.kind)).toEqual(["recorded", "recorded", "recorded"]);
    const stored = await m.db().selectFrom("quiz_attempt").select("person_id").where("person_id", "in", people).execute();
    expect(stored.map((r) => r.person_id).sort()).toEqual([...people].sort()); // one each: the broken job left nothing
  });

  it("enforces the cool-down after two failed attempts in a row, then the attempt limit", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG)).kind).toBe("recorded");
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG)).kind).toBe("recorded");
    const wait = await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG);
    expect(wait.kind).toBe("wait");
    if (wait.kind === "wait") expect(wait.seconds).toBeGreaterThan(200);
    // Move the attempts back in time past the 5-minute cool-down.
    const past = new Date(Date.now() - 10 * 60_000).toISOString();
    await m.db().updateTable("quiz_attempt").set({ submitted_at: past }).where("person_id", "=", person).execute();
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG)).kind).toBe("recorded");
    await m.db().updateTable("quiz_attempt").set({ submitted_at: past }).where("person_id", "=", person).execute();
    expect((await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT)).kind).toBe("no-attempts-left");
    expect((await m.attemptRules(person, m.course)).attemptsLeft).toBe(0);
  });

  it("passing the quiz after all lessons completes the course and issues one certificate", async () => {
    const m = await modules();
    const person = await makePerson({ fullName: "Trần Thị Đạt" });
    await m.completeLesson(person, m.course, "buoc-mot");
    let status = await m.courseStatus(person, m.course);
    expect(status.percent).toBe(33);
    expect(m.quizUnlocked(m.course, status)).toBe(false);
    await m.completeLesson(person, m.course, "buoc-hai");
    const result = await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    expect(result).toMatchObject({ kind: "recorded", passed: true, completedCourse: true });
    status = await m.courseStatus(person, m.course);
    expect(status.completedAt).not.toBeNull();
    expect(status.percent).toBe(100);
    const certificates = await m.certificatesOf(person);
    expect(certificates).toHaveLength(1);
    expect(certificates[0]).toMatchObject({ fullName: "Trần Thị Đạt", courseTitle: "Làm quen với dịch vụ công" });
    expect(certificates[0].competences.map((c) => c.code)).toEqual(["2.3", "1.1"]);
    // Passing again neither completes twice nor issues a second certificate.
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    expect(await m.certificatesOf(person)).toHaveLength(1);
  });

  it("in a course that is not sequential, passing first and finishing lessons later also completes it", async () => {
    const m = await modules();
    const person = await makePerson();
    // This course draws one of its two questions per attempt: the right answer to both, only the drawn one counts.
    const result = await m.submitAttempt(person, m.open, m.newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] });
    expect(result).toMatchObject({ passed: true, completedCourse: false });
    expect(await m.courseStatus(person, m.open)).toMatchObject({ completedAt: null, quizPassed: true, percent: 50 });
    await m.completeLesson(person, m.open, "ai-la-gi");
    expect((await m.courseStatus(person, m.open)).completedAt).not.toBeNull();
    expect(await m.certificatesOf(person)).toHaveLength(1);
  });

  it("sequential lessons unlock one after another; resume points at the next lesson", async () => {
    const m = await modules();
    const person = await makePerson();
    const [one, two] = m.course.lessons;
    let status = await m.courseStatus(person, m.course);
    expect(m.lessonUnlocked(m.course, status, one)).toBe(true);
    expect(m.lessonUnlocked(m.course, status, two)).toBe(false);
    await m.recordLessonView(person, m.course.slug, one.slug);
    await m.completeLesson(person, m.course, one.slug);
    status = await m.courseStatus(person, m.course);
    expect(m.lessonUnlocked(m.course, status, two)).toBe(true);
    expect(m.nextStep(m.course, status)).toMatchObject({ kind: "lesson", lesson: { slug: "buoc-hai" } });
  });
});

describe("certificate codes", () => {
  it("use only unambiguous characters, 10 long, and never repeat in 20,000 draws", async () => {
    const { newCertificateCode, CODE_ALPHABET } = await modules();
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const code = newCertificateCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
      codes.add(code);
    }
    expect(codes.size).toBe(20_000);
  });

  it("are read back whatever the case, spaces or dash; anything else is not a code", async () => {
    const { normalizeCode, formatCode } = await modules();
    expect(normalizeCode("abcde-23456")).toBe("ABCDE23456");
    expect(normalizeCode(" ABCDE 23456 ".trim())).toBe("ABCDE23456");
    expect(normalizeCode("ABCDE-2345O")).toBeNull(); // letter O is not in the alphabet
    expect(normalizeCode("ABC")).toBeNull();
    expect(normalizeCode("' OR 1=1 --")).toBeNull();
    expect(formatCode("ABCDE23456")).toBe("ABCDE-23456");
  });

  it("public verification shows only what is printed, and is rate-limited per address", async () => {
    const m = await modules();
    const { verifyCertificate } = await import("~/learning/verify.server");
    const person = await makePerson({ fullName: "Lâm Văn Chứng" });
    await m.completeLesson(person, m.open, "ai-la-gi");
    await m.submitAttempt(person, m.open, m.newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] });
    const [certificate] = await m.certificatesOf(person);
    const found = await verifyCertificate(certificate.displayCode.toLowerCase(), "10.0.0.1");
    expect(found.kind).toBe("found");
    if (found.kind === "found") {
      expect(Object.keys(found.certificate).sort()).toEqual(["code", "competences", "courseTitle", "displayCode", "fullName", "issuedAt"]);
      expect(found.certificate.fullName).toBe("Lâm Văn Chứng");
    }
    expect((await verifyCertificate("ABCDE-23456", "10.0.0.1")).kind).toBe("not-found");
    let last = "";
    for (let i = 0; i < 40; i++) last = (await verifyCertificate("ABCDE-23456", "10.0.0.2")).kind;
    expect(last).toBe("limited");
    expect((await verifyCertificate(certificate.code, "10.0.0.2")).kind).toBe("limited");
  });
});

describe("attempt rules", () => {
  it("before any attempt: nothing used, every attempt left, no wait; a course without a limit has no count of attempts left", async () => {
    const m = await modules();
    const person = await makePerson();
    expect(await m.attemptRules(person, m.course)).toEqual({ attemptsUsed: 0, attemptsLeft: 3, failuresInRow: 0, waitSeconds: 0, waitUntil: null });
    expect((await m.attemptRules(person, m.open)).attemptsLeft).toBeNull();
  });

  it("after two failures the wait runs five minutes from the last one, in whole seconds rounded up, then ends", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    at("2026-12-01T03:00:00.000Z");
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG);
    at("2026-12-01T03:01:00.000Z");
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG);
    const last = Date.parse("2026-12-01T03:01:00.000Z");
    expect(await m.attemptRules(person, m.course, last + 1500)).toEqual({
      attemptsUsed: 2,
      attemptsLeft: 1,
      failuresInRow: 2,
      waitSeconds: 299,
      waitUntil: "2026-12-01T03:06:00.000Z",
    });
    at("2026-12-01T03:02:00.000Z");
    expect(await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT)).toEqual({ kind: "wait", seconds: 240, until: "2026-12-01T03:06:00.000Z" });
    expect(await m.attemptRules(person, m.course, last + 5 * 60_000)).toMatchObject({ waitSeconds: 0, waitUntil: null });
    expect(await m.attemptRules(person, m.course, last + 6 * 60_000)).toMatchObject({ waitSeconds: 0, waitUntil: null });
  });

  it("a pass forgives the failures before it: only failures since the last pass count towards a wait", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    const open = { ...m.course, quiz: { ...m.course.quiz, maxAttempts: 0 } };
    at("2026-12-01T03:00:00.000Z");
    await m.submitAttempt(person, open, m.newIdempotencyKey(), WRONG);
    await m.submitAttempt(person, open, m.newIdempotencyKey(), WRONG);
    at("2026-12-01T04:00:00.000Z");
    await m.submitAttempt(person, open, m.newIdempotencyKey(), RIGHT);
    expect(await m.attemptRules(person, open)).toMatchObject({ attemptsUsed: 3, attemptsLeft: null, failuresInRow: 0, waitSeconds: 0 });
    await m.submitAttempt(person, open, m.newIdempotencyKey(), WRONG);
    expect(await m.attemptRules(person, open)).toMatchObject({ failuresInRow: 1, waitSeconds: 0 });
    expect((await m.submitAttempt(person, open, m.newIdempotencyKey(), WRONG)).kind).toBe("recorded");
    expect(await m.attemptRules(person, open)).toMatchObject({ failuresInRow: 2, waitSeconds: 300 });
  });

  it("each course keeps its own count and wait: failures in another course use no attempt here and start no wait", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    for (const lesson of m.open.lessons) await m.completeLesson(person, m.open, lesson.slug);
    const wrongThere = { "ai-dung": ["a"], "kiem-tra-ai": ["b"] };
    at("2026-12-01T03:00:00.000Z");
    expect(await m.submitAttempt(person, m.open, m.newIdempotencyKey(), wrongThere)).toMatchObject({ kind: "recorded", passed: false });
    at("2026-12-01T03:01:00.000Z");
    expect(await m.submitAttempt(person, m.open, m.newIdempotencyKey(), wrongThere)).toMatchObject({ kind: "recorded", passed: false });
    const now = Date.parse("2026-12-01T03:01:30.000Z");
    expect(await m.attemptRules(person, m.open, now)).toMatchObject({ attemptsUsed: 2, failuresInRow: 2 });
    expect(await m.attemptRules(person, m.course, now)).toEqual({ attemptsUsed: 0, attemptsLeft: 3, failuresInRow: 0, waitSeconds: 0, waitUntil: null });
    expect(await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG)).toMatchObject({ kind: "recorded", passed: false });
    expect(await m.attemptRules(person, m.course, now)).toMatchObject({ attemptsUsed: 1, attemptsLeft: 2, failuresInRow: 1, waitSeconds: 0 });
  });

  it("the cool-down starts after the free failures, doubles with each further one, and never exceeds a day", async () => {
    const m = await modules();
    const course = { ...m.course, quiz: { ...m.course.quiz, freeAttempts: 2, cooldownMinutes: 5 } };
    expect([0, 1, 2, 3, 4, 5].map((f) => m.cooldownMinutes(course, f))).toEqual([0, 0, 5, 10, 20, 40]);
    expect(m.cooldownMinutes(course, 10)).toBe(1280);
    expect(m.cooldownMinutes(course, 11)).toBe(24 * 60);
    expect(m.cooldownMinutes(course, 30)).toBe(24 * 60);
    const none = { ...m.course, quiz: { ...m.course.quiz, freeAttempts: 2, cooldownMinutes: 0 } };
    expect(m.cooldownMinutes(none, 5)).toBe(0);
  });
});

describe("stored attempts", () => {
  it("sending a passed attempt's form again answers with that attempt, passed, without completing the course twice", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    const key = m.newIdempotencyKey();
    const first = await m.submitAttempt(person, m.course, key, RIGHT);
    expect(first).toMatchObject({ kind: "recorded", passed: true, completedCourse: true, duplicate: false });
    const again = await m.submitAttempt(person, m.course, key, RIGHT);
    expect(again).toEqual({
      kind: "recorded",
      attemptId: first.kind === "recorded" ? first.attemptId : -1,
      passed: true,
      completedCourse: false,
      duplicate: true,
    });
  });

  it("a failed attempt says so, completes nothing, and sending its form again still says it failed", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    const key = m.newIdempotencyKey();
    const first = await m.submitAttempt(person, m.course, key, WRONG);
    const id = first.kind === "recorded" ? first.attemptId : -1;
    expect(first).toEqual({ kind: "recorded", attemptId: id, passed: false, completedCourse: false, duplicate: false });
    expect(await m.submitAttempt(person, m.course, key, WRONG)).toEqual({
      kind: "recorded",
      attemptId: id,
      passed: false,
      completedCourse: false,
      duplicate: true,
    });
  });

  it("a learner's attempts are listed newest first, for one course or all", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), WRONG);
    await m.submitAttempt(person, m.open, m.newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] });
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    expect((await m.attemptsOf(person)).map((a) => [a.course_slug, a.passed])).toEqual([
      ["lam-quen", 1],
      ["thu-hai", 1],
      ["lam-quen", 0],
    ]);
    expect((await m.attemptsOf(person, "lam-quen")).map((a) => [a.correct_count, a.question_count, a.percent])).toEqual([
      [2, 2, 100],
      [0, 2, 0],
    ]);
  });

  it("an attempt that does not exist is not found; one that does comes with its answers", async () => {
    const m = await modules();
    expect(await m.findAttempt(999_999)).toBeUndefined();
    const person = await learnerReadyForQuiz(m);
    const result = await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    const found = await m.findAttempt(result.kind === "recorded" ? result.attemptId : -1);
    const { getCatalog } = await import("~/courses/catalog.server");
    expect(found).toMatchObject({ person_id: person, passed: 1, content_version: getCatalog().version });
    expect(found!.answers.map((a) => [a.question_id, a.selected, a.is_correct]).sort()).toEqual([
      ["nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh", "a,b", 1],
      ["otp", "b", 1],
    ]);
  });
});

describe("course progress", () => {
  it("a lesson opened but not completed counts as viewed, not done, and is where the learner resumes", async () => {
    const m = await modules();
    const person = await makePerson();
    expect(await m.courseStatus(person, m.course)).toMatchObject({ lastLessonSlug: null, quizPassed: false, completedAt: null, percent: 0 });
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    const status = await m.courseStatus(person, m.course);
    expect([...status.viewedLessons]).toEqual(["buoc-mot"]);
    expect([...status.completedLessons]).toEqual([]);
    expect(status).toMatchObject({ lastLessonSlug: "buoc-mot", percent: 0 });
  });

  it("going back to an earlier lesson moves the resume point back to it", async () => {
    const m = await modules();
    const person = await makePerson();
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    await m.recordLessonView(person, m.course.slug, "buoc-hai");
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    expect((await m.courseStatus(person, m.course)).lastLessonSlug).toBe("buoc-mot");
    // The same, when the page passes the status it has just read.
    await m.recordLessonView(person, m.course.slug, "buoc-hai", await m.courseStatus(person, m.course));
    expect((await m.courseStatus(person, m.course)).lastLessonSlug).toBe("buoc-hai");
    await m.recordLessonView(person, m.course.slug, "buoc-hai", await m.courseStatus(person, m.course));
    expect((await m.courseStatus(person, m.course)).lastLessonSlug).toBe("buoc-hai");
  });

  it("re-reading the lesson the learner is on changes nothing: the course keeps its place on the dashboard", async () => {
    const m = await modules();
    const person = await makePerson();
    at("2026-12-01T03:00:00.000Z");
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    at("2026-12-01T03:05:00.000Z");
    await m.recordLessonView(person, m.open.slug, "ai-la-gi");
    at("2026-12-01T03:10:00.000Z");
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    await m.recordLessonView(person, m.course.slug, "buoc-mot", await m.courseStatus(person, m.course));
    expect((await m.startedCourses(person)).map((o) => o.course.slug)).toEqual(["thu-hai", "lam-quen"]);
    const row = await m
      .db()
      .selectFrom("course_progress")
      .select("updated_at")
      .where("person_id", "=", person)
      .where("course_slug", "=", m.course.slug)
      .executeTakeFirstOrThrow();
    expect(row.updated_at).toBe("2026-12-01T03:00:00.000Z");
  });

  it("a lesson no longer in the course does not count towards it", async () => {
    const m = await modules();
    const person = await makePerson();
    await m.completeLesson(person, m.course, "bai-da-bo");
    await m.completeLesson(person, m.course, "buoc-mot");
    const status = await m.courseStatus(person, m.course);
    expect([...status.completedLessons]).toEqual(["buoc-mot"]);
    expect([...status.viewedLessons]).toEqual(["buoc-mot"]);
    expect(status.percent).toBe(33);
  });

  it("after a completed course gains a lesson, opening that lesson shows it opened and not done", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    at("2026-12-01T03:00:00.000Z");
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    // The content is updated: the course gets a third lesson, which the learner then opens.
    const added = { ...m.course.lessons[1], slug: "bai-moi", number: 3, title: "Bài mới" };
    const grown = { ...m.course, lessons: [...m.course.lessons, added] };
    at("2026-12-02T03:00:00.000Z");
    await m.recordLessonView(person, grown.slug, "bai-moi");
    const status = await m.courseStatus(person, grown);
    expect([...status.viewedLessons].sort()).toEqual(["bai-moi", "buoc-hai", "buoc-mot"]);
    expect([...status.completedLessons].sort()).toEqual(["buoc-hai", "buoc-mot"]);
    expect(status.lastLessonSlug).toBe("bai-moi");
    expect(status.quizPassed).toBe(true);
    expect(status.completedAt).toBe("2026-12-01T03:00:00.000Z");
    expect(status.percent).toBe(75);
  });

  it("a lesson keeps the time it was first completed; an opened lesson completed later gets that time", async () => {
    const m = await modules();
    const person = await makePerson();
    at("2026-12-01T03:00:00.000Z");
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    at("2026-12-01T03:10:00.000Z");
    await m.completeLesson(person, m.course, "buoc-mot");
    at("2026-12-01T03:20:00.000Z");
    await m.completeLesson(person, m.course, "buoc-mot");
    const row = await m
      .db()
      .selectFrom("lesson_progress")
      .select(["first_viewed_at", "completed_at"])
      .where("person_id", "=", person)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ first_viewed_at: "2026-12-01T03:00:00.000Z", completed_at: "2026-12-01T03:10:00.000Z" });
  });

  it("a completed course keeps its completion time, and is counted once, when the learner passes again", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    at("2026-12-01T03:00:00.000Z");
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    at("2026-12-01T05:00:00.000Z");
    expect(await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT)).toMatchObject({ passed: true, completedCourse: false });
    expect((await m.courseStatus(person, m.course)).completedAt).toBe("2026-12-01T03:00:00.000Z");
    expect((await m.certificatesOf(person)).map((c) => c.issuedAt)).toEqual(["2026-12-01T03:00:00.000Z"]);
  });

  it("where to continue: the first lesson not completed, then the quiz, then done", async () => {
    const m = await modules();
    const person = await makePerson();
    // Sequential course: the second lesson cannot be completed first (checked inside the write).
    expect(await m.completeLesson(person, m.course, "buoc-hai")).toBe("locked");
    expect(m.nextStep(m.course, await m.courseStatus(person, m.course))).toMatchObject({ kind: "lesson", lesson: { slug: "buoc-mot" } });
    expect(await m.completeLesson(person, m.course, "buoc-mot")).toBe("completed");
    expect(m.nextStep(m.course, await m.courseStatus(person, m.course))).toMatchObject({ kind: "lesson", lesson: { slug: "buoc-hai" } });
    await m.completeLesson(person, m.course, "buoc-hai");
    expect(m.nextStep(m.course, await m.courseStatus(person, m.course))).toEqual({ kind: "quiz" });
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    expect(m.nextStep(m.course, await m.courseStatus(person, m.course))).toEqual({ kind: "done" });
  });

  it("a course that is not sequential, or a visitor without progress, has every lesson and the quiz open", async () => {
    const m = await modules();
    const [one, two] = m.course.lessons;
    const status = await m.courseStatus(await makePerson(), m.course);
    const free = { ...m.course, sequential: false };
    expect(m.lessonUnlocked(free, status, two)).toBe(true);
    expect(m.quizUnlocked(free, status)).toBe(true);
    expect(m.lessonUnlocked(m.course, null, two)).toBe(true);
    expect(m.quizUnlocked(m.course, null)).toBe(true);
    expect(m.lessonUnlocked(m.course, status, one)).toBe(true);
  });

  it("in a sequential course a lesson needs every lesson before it, not just one", async () => {
    const m = await modules();
    const [one, two] = m.course.lessons;
    const three = { ...two, slug: "buoc-ba", number: 3 };
    const course = { ...m.course, lessons: [one, two, three] };
    const status = { ...(await m.courseStatus(await makePerson(), m.course)), completedLessons: new Set(["buoc-mot"]) };
    expect(m.lessonUnlocked(course, status, two)).toBe(true);
    expect(m.lessonUnlocked(course, status, three)).toBe(false);
    expect(m.quizUnlocked(course, { ...status, completedLessons: new Set(["buoc-mot", "buoc-hai"]) })).toBe(false);
    expect(m.lessonUnlocked(course, { ...status, completedLessons: new Set(["buoc-hai"]) }, two)).toBe(false);
    expect(m.quizUnlocked(course, { ...status, completedLessons: new Set(["buoc-mot", "buoc-hai", "buoc-ba"]) })).toBe(true);
  });

  it("started courses are listed most recently used first, leaving out courses no longer in the catalogue", async () => {
    const m = await modules();
    const person = await makePerson();
    at("2026-12-01T03:00:00.000Z");
    await m.recordLessonView(person, m.course.slug, "buoc-mot");
    at("2026-12-01T03:05:00.000Z");
    await m.recordLessonView(person, m.open.slug, "ai-la-gi");
    at("2026-12-01T03:10:00.000Z");
    await m.recordLessonView(person, "khoa-da-bo", "bai-mot");
    expect((await m.startedCourses(person)).map((o) => [o.course.slug, o.status.lastLessonSlug])).toEqual([
      ["thu-hai", "ai-la-gi"],
      ["lam-quen", "buoc-mot"],
    ]);
    at("2026-12-01T03:15:00.000Z");
    await m.recordLessonView(person, m.course.slug, "buoc-hai");
    expect((await m.startedCourses(person)).map((o) => o.course.slug)).toEqual(["lam-quen", "thu-hai"]);
  });
});

describe("certificates", () => {
  it("are found by code with their owner, name the competences, and an unknown code finds nothing", async () => {
    const m = await modules();
    const person = await learnerReadyForQuiz(m);
    await m.submitAttempt(person, m.course, m.newIdempotencyKey(), RIGHT);
    const [mine] = await m.certificatesOf(person);
    expect(mine.displayCode).toBe(`${mine.code.slice(0, 5)}-${mine.code.slice(5)}`);
    expect(await m.findCertificate(mine.code)).toEqual({ ...mine, personId: person });
    expect(mine.competences).toEqual([
      { code: "2.3", name: "Sử dụng công nghệ số để thực hiện trách nhiệm công dân" },
      { code: "1.1", name: "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số" },
    ]);
    expect(await m.findCertificate("ABCDE23456")).toBeUndefined();
  });

  it("a competence no longer in the framework is shown by its code", async () => {
    const m = await modules();
    const person = await makePerson({ fullName: "Võ Văn Cũ" });
    await m
      .db()
      .transaction()
      .execute((trx) =>
        m.issueCertificate(trx, { id: person, fullName: "Võ Văn Cũ" }, { slug: "khoa-cu", title: "Khoá cũ", competences: ["9.9"] }, "2025-01-01T00:00:00.000Z"),
      );
    expect((await m.certificatesOf(person))[0]).toMatchObject({
      courseSlug: "khoa-cu",
      courseTitle: "Khoá cũ",
      fullName: "Võ Văn Cũ",
      competences: [{ code: "9.9", name: "9.9" }],
    });
  });

  it("a learner's certificates are listed newest first, one per course however often it is issued", async () => {
    const m = await modules();
    const person = await makePerson();
    const issue = (slug: string, iso: string) =>
      m
        .db()
        .transaction()
        .execute((trx) => m.issueCertificate(trx, { id: person, fullName: "A" }, { slug, title: slug, competences: [] }, iso));
    const first = await issue("khoa-mot", "2025-01-01T00:00:00.000Z");
    await issue("khoa-hai", "2025-06-01T00:00:00.000Z");
    expect(await issue("khoa-mot", "2025-09-01T00:00:00.000Z")).toBe(first);
    expect((await m.certificatesOf(person)).map((c) => c.courseSlug)).toEqual(["khoa-hai", "khoa-mot"]);
  });
});
