import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import { makePerson, useTempDatabase } from "./support/db";

// The quiz form as the quiz page and the submission fast path receive it: what a learner is told for each
// form, and what is stored.

beforeAll(async () => {
  await useTempDatabase();
});

async function modules() {
  const { findCourse } = await import("~/courses/catalog.server");
  const submission = await import("~/learning/quiz-submission.server");
  const { completeLesson } = await import("~/learning/progress.server");
  const { db } = await import("~/db.server");
  // lam-quen: sequential, 2 lessons, asks its whole bank of 2, 3 attempts, 5-minute cool-down after 2 failures.
  // thu-hai: not sequential, draws 1 of its 2 questions per attempt, unlimited attempts.
  return { ...submission, completeLesson, db, course: findCourse("lam-quen")!, drawn: findCourse("thu-hai")! };
}

type M = Awaited<ReturnType<typeof modules>>;

function userFor(id: string, supervisedBy: SessionUser["supervisedBy"] = null): SessionUser {
  return {
    id,
    sessionId: "s",
    username: "u",
    fullName: "Người Học",
    kind: "citizen",
    communeCode: "25459",
    agencyCode: null,
    mustChangePassword: false,
    roles: [],
    supervisedBy,
  };
}

function form(fields: Record<string, string | string[]>) {
  const f = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) f.append(name, v);
  return f;
}

const RIGHT = { "q-otp": "b", "q-nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] };
const WRONG = { "q-otp": "a", "q-nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": "c" };

async function readyLearner(m: M) {
  const person = await makePerson();
  for (const lesson of m.course.lessons) await m.completeLesson(person, m.course, lesson.slug);
  return person;
}

async function attemptsOf(m: M, person: string) {
  return m.db().selectFrom("quiz_attempt").select(["id", "correct_count", "supervised_by"]).where("person_id", "=", person).orderBy("id").execute();
}

describe("submitting a quiz form", () => {
  // First in the file: Stryker runs only the first test that loads a module against mutants of its constants.
  it("a form without a valid submission key, or with a malformed attempt number, is refused and nothing is stored", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const refusal = { kind: "refused", status: 400, error: "Bài làm thiếu mã nộp bài. Hãy tải lại trang rồi làm lại.", selected: {} };
    const short = "12345678-1234-1234-1234-12345678901";
    for (const fields of [
      {} as Record<string, string>,
      { idempotency_key: "not-a-key" },
      { idempotency_key: `x${crypto.randomUUID()}` },
      { idempotency_key: `${crypto.randomUUID()}x` },
      { idempotency_key: short },
    ]) {
      expect(await m.submitQuizForm(userFor(person), m.course, form({ ...fields, ...RIGHT }))).toEqual(refusal);
    }
    for (const attempt of ["0", "01", "1234567", "1a", "a1", "-1"]) {
      expect(
        await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt, "q-ai-dung": "b", "q-kiem-tra-ai": "a" })),
      ).toEqual(refusal);
    }
    expect(await attemptsOf(m, person)).toEqual([]);
    // A well-formed one is taken: a one-digit attempt number, and the key a page gives.
    expect(
      await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "1", "q-ai-dung": "b", "q-kiem-tra-ai": "a" })),
    ).toMatchObject({ kind: "recorded" });
  });

  it("a complete form is stored and the learner is sent to its result page", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const outcome = await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID(), ...RIGHT }));
    const [stored] = await attemptsOf(m, person);
    expect(outcome).toEqual({ kind: "recorded", location: `/khoa-hoc/lam-quen/kiem-tra/${stored.id}` });
    expect(stored).toMatchObject({ correct_count: 2, supervised_by: null });
  });

  it("on a trainer's phone the attempt is the learner's, with the trainer recorded as supervisor", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const trainer = await makePerson({ kind: "official" });
    await m.submitQuizForm(
      userFor(person, { trainerId: trainer, trainerName: "Cô Ba", cohortId: 1 }),
      m.course,
      form({ idempotency_key: crypto.randomUUID(), ...RIGHT }),
    );
    expect(await attemptsOf(m, person)).toMatchObject([{ supervised_by: trainer }]);
  });

  it("an attempt number of up to six digits is accepted as the form's attempt", async () => {
    const m = await modules();
    const person = await makePerson();
    const all = { "q-ai-dung": "b", "q-kiem-tra-ai": "a" };
    expect(await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "1", ...all }))).toMatchObject({
      kind: "recorded",
    });
    // Six digits is a well-formed number, just not this learner's next attempt.
    expect(await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "999999", ...all }))).toMatchObject({
      status: 409,
    });
    expect(await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "2", ...all }))).toMatchObject({
      kind: "recorded",
    });
    expect(await attemptsOf(m, person)).toHaveLength(2);
  });

  it("names every unanswered or invalid question, keeps what was chosen, and stores nothing", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const outcome = await m.submitQuizForm(
      userFor(person),
      m.course,
      form({ idempotency_key: crypto.randomUUID(), "q-nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "z"] }),
    );
    expect(outcome).toEqual({
      kind: "refused",
      status: 400,
      error: "Chưa nộp được: câu 1 chưa chọn đáp án; câu 2 có lựa chọn không hợp lệ.",
      selected: { otp: [], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "z"] },
    });
    expect(await attemptsOf(m, person)).toEqual([]);
  });

  it("keeps at most ten choices per question", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const outcome = await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID(), "q-otp": Array(12).fill("z") }));
    expect(outcome.kind === "refused" && outcome.selected.otp).toEqual(Array(10).fill("z"));
  });

  it("a quiz still locked is refused with 409 and what was chosen is kept", async () => {
    const m = await modules();
    const person = await makePerson();
    const outcome = await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID(), ...RIGHT }));
    expect(outcome).toEqual({
      kind: "refused",
      status: 409,
      error: "Hãy học xong tất cả các bài trước khi làm bài kiểm tra.",
      selected: { otp: ["b"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] },
    });
  });

  it("after two failures the next form waits (429), and once every attempt is used it is refused (409)", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const submit = () => m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID(), ...WRONG }));
    await submit();
    await submit();
    const wait = await submit();
    expect(wait).toMatchObject({ kind: "refused", status: 429, selected: { otp: ["a"] } });
    expect(wait.kind === "refused" && wait.error).toMatch(/^Bạn đã làm chưa đạt nhiều lần liền\. .* \(giờ Việt Nam\)\.$/);
    const past = new Date(Date.now() - 60 * 60_000).toISOString();
    await m.db().updateTable("quiz_attempt").set({ submitted_at: past }).where("person_id", "=", person).execute();
    await submit();
    expect(await submit()).toEqual({
      kind: "refused",
      status: 409,
      error: "Bạn đã dùng hết số lần làm bài kiểm tra của khóa này.",
      selected: { otp: ["a"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["c"] },
    });
    expect(await attemptsOf(m, person)).toHaveLength(3);
  });

  it("a form for an attempt already used is refused as stale, with nothing kept", async () => {
    const m = await modules();
    const person = await makePerson();
    const all = { "q-ai-dung": "b", "q-kiem-tra-ai": "a" };
    await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "1", ...all }));
    expect(await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID(), attempt: "1", ...all }))).toEqual({
      kind: "refused",
      status: 409,
      error: "Bạn đã nộp một bài khác sau khi mở trang này, nên câu hỏi đã đổi. Hãy tải lại trang để làm bài mới.",
      selected: {},
    });
  });

  it("a retried form whose draw is no longer the next one answers with the attempt it stored", async () => {
    const m = await modules();
    const person = await makePerson();
    const key = crypto.randomUUID();
    const { drawQuestions } = await import("~/learning/draw");
    const [asked] = drawQuestions(m.drawn.quiz, person, m.drawn.slug, 1).questions;
    const [next] = drawQuestions(m.drawn.quiz, person, m.drawn.slug, 2).questions;
    const first = await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: key, [`q-${asked.id}`]: asked.correct }));
    const [stored] = await attemptsOf(m, person);
    expect(first).toEqual({ kind: "recorded", location: `/khoa-hoc/thu-hai/kiem-tra/${stored.id}` });
    // Sent again without its attempt number: it is now read as attempt 2, whose question it may not answer.
    const again = await m.submitQuizForm(
      userFor(person),
      m.drawn,
      form({ idempotency_key: key, [`q-${asked.id}`]: asked.correct, ...(next.id === asked.id ? { [`q-${asked.id}`]: [] } : {}) }),
    );
    if (next.id !== asked.id) expect(again).toEqual(first);
    expect(await attemptsOf(m, person)).toHaveLength(1);
  });

  it("in a course asking its whole bank, a form with missing answers is refused even if its key was used", async () => {
    const m = await modules();
    const person = await readyLearner(m);
    const key = crypto.randomUUID();
    await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: key, ...RIGHT }));
    expect(await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: key, "q-otp": "b" }))).toMatchObject({
      kind: "refused",
      status: 400,
      error: "Chưa nộp được: câu 2 chưa chọn đáp án.",
    });
    expect(await attemptsOf(m, person)).toHaveLength(1);
  });

  it("an unanswered form with a new key is refused even in a course that draws its questions", async () => {
    const m = await modules();
    const person = await makePerson();
    const outcome = await m.submitQuizForm(userFor(person), m.drawn, form({ idempotency_key: crypto.randomUUID() }));
    expect(outcome).toEqual({ kind: "refused", status: 400, error: "Chưa nộp được: câu 1 chưa chọn đáp án.", selected: expect.any(Object) });
    expect(await attemptsOf(m, person)).toEqual([]);
  });
});

describe("the operators' count of acknowledged submissions", () => {
  it("goes up once for each attempt stored, and not for a refused form", async () => {
    const m = await modules();
    const { quizSubmissionsAcknowledged } = await import("~/operations/metrics.server");
    const count = async () => (await quizSubmissionsAcknowledged.get()).values[0]?.value ?? 0;
    const person = await readyLearner(m);
    const before = await count();
    await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID() }));
    expect(await count()).toBe(before);
    await m.submitQuizForm(userFor(person), m.course, form({ idempotency_key: crypto.randomUUID(), ...RIGHT }));
    expect(await count()).toBe(before + 1);
  });
});

describe("cool-down messages in Vietnam time", () => {
  it("show the end of the wait in UTC+7, with two-digit hours, minutes, day and month", async () => {
    const { vietnamTime } = await import("~/learning/quiz-submission.server");
    expect(vietnamTime("2026-03-04T01:02:00.000Z")).toBe("08:02 ngày 04/03/2026");
    expect(vietnamTime("2026-12-31T17:30:00.000Z")).toBe("00:30 ngày 01/01/2027");
  });

  it("round the end up to the next whole minute, so trying at the time shown works", async () => {
    const { cooldownMessage } = await import("~/learning/quiz-submission.server");
    const text = (t: string) => `Bạn đã làm chưa đạt nhiều lần liền. Hãy đọc lại các bài học, rồi làm lại từ ${t} (giờ Việt Nam).`;
    expect(cooldownMessage("2026-12-01T03:04:00.000Z")).toBe(text("10:04 ngày 01/12/2026"));
    expect(cooldownMessage("2026-12-01T03:04:00.001Z")).toBe(text("10:05 ngày 01/12/2026"));
  });
});
