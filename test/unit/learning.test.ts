import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

beforeAll(async () => {
  await useTempDatabase();
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
      await trx.insertInto("quiz_attempt").values({ person_id: people[0], course_slug: m.course.slug, idempotency_key: m.newIdempotencyKey(), submitted_at: new Date().toISOString(), correct_count: 0, question_count: 2, percent: 0, passed: 0, content_version: "x", supervised_by: null }).execute();
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
    expect((await m.courseStatus(person, m.open)).completedAt).toBeNull();
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
