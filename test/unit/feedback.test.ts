import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// What the result page shows after an attempt (decision 009): before a pass only the score and the lessons to
// read again; after a pass, or with no attempts left, every question with its explanation.

beforeAll(async () => {
  await useTempDatabase();
});

async function modules() {
  const { findCourse } = await import("~/courses/catalog.server");
  const { attemptFeedback } = await import("~/learning/feedback.server");
  const { submitAttempt, findAttempt, attemptRules } = await import("~/learning/attempts.server");
  const { completeLesson } = await import("~/learning/progress.server");
  const { cooldownMessage } = await import("~/learning/quiz-submission.server");
  const { db } = await import("~/db.server");
  const course = findCourse("lam-quen")!; // sequential, 2 lessons; question "otp" → lesson 1, the other → lesson 2; 3 attempts
  const drawn = findCourse("thu-hai")!; // draws 1 of 2 questions per attempt
  return { attemptFeedback, submitAttempt, findAttempt, attemptRules, completeLesson, cooldownMessage, db, course, drawn };
}

type M = Awaited<ReturnType<typeof modules>>;
const MULTI = "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh";
const RIGHT = { otp: ["b"], [MULTI]: ["a", "b"] };

async function ready(m: M) {
  const person = await makePerson();
  for (const lesson of m.course.lessons) await m.completeLesson(person, m.course, lesson.slug);
  return person;
}

/** Submits an attempt and returns what its result page shows. */
async function attempt(m: M, person: string, answers: Record<string, string[]>, course = m.course) {
  const result = await m.submitAttempt(person, course, crypto.randomUUID(), answers);
  if (result.kind !== "recorded") throw new Error(result.kind);
  return { id: result.attemptId, feedback: () => feedbackOf(m, person, result.attemptId, course) };
}

async function feedbackOf(m: M, person: string, id: number, course = m.course) {
  return m.attemptFeedback(person, course, (await m.findAttempt(id))!);
}

describe("feedback before a pass", () => {
  it("shows the score and the lessons of the missed questions, not the questions", async () => {
    const m = await modules();
    const person = await ready(m);
    const first = await attempt(m, person, { otp: ["a"], [MULTI]: ["a", "b"] });
    expect(await first.feedback()).toEqual({
      attempt: { correct: 1, total: 2, percent: 50, passed: false },
      reviewOpen: false,
      lessonsToReview: [{ slug: "buoc-mot", title: "Bước một" }],
      nextTry: null,
      questions: [],
      attemptsLeft: 2,
    });
  });

  it("lists the lessons to read again in course order", async () => {
    const m = await modules();
    const person = await ready(m);
    const first = await attempt(m, person, { [MULTI]: ["c"], otp: ["c"] });
    expect((await first.feedback()).lessonsToReview.map((l) => l.slug)).toEqual(["buoc-mot", "buoc-hai"]);
  });

  it("says when the learner may try again once a cool-down applies", async () => {
    const m = await modules();
    const person = await ready(m);
    await attempt(m, person, { otp: ["a"], [MULTI]: ["c"] });
    const second = await attempt(m, person, { otp: ["b"], [MULTI]: ["c"] });
    const rules = await m.attemptRules(person, m.course);
    const shown = await second.feedback();
    expect(shown.nextTry).toBe(m.cooldownMessage(rules.waitUntil!));
    expect(shown.lessonsToReview.map((l) => l.slug)).toEqual(["buoc-hai"]);
  });

  it("another learner's pass, or a pass in another course, does not open the review", async () => {
    const m = await modules();
    const person = await ready(m);
    const other = await ready(m);
    await attempt(m, other, RIGHT);
    await attempt(m, person, { "ai-dung": ["b"], "kiem-tra-ai": ["a"] }, m.drawn);
    const failed = await attempt(m, person, { otp: ["a"], [MULTI]: ["c"] });
    expect(await failed.feedback()).toMatchObject({ reviewOpen: false, questions: [] });
  });
});

describe("feedback once the review is open", () => {
  it("after a pass, every attempt shows each question, whether it was right, the options chosen and the explanation", async () => {
    const m = await modules();
    const person = await ready(m);
    const failed = await attempt(m, person, { otp: ["a"], [MULTI]: ["b", "a"] });
    await attempt(m, person, RIGHT);
    expect(await failed.feedback()).toEqual({
      attempt: { correct: 1, total: 2, percent: 50, passed: false },
      reviewOpen: true,
      lessonsToReview: [],
      nextTry: null,
      questions: [
        {
          id: "otp",
          number: 1,
          stemHtml: "Bà Năm nhận tin nhắn xin mã OTP. Bà nên làm gì?",
          right: false,
          chosen: ["Gửi mã cho người nhắn"],
          missed: ["Không gửi cho ai"],
          explanationHtml: "<p>Mã OTP chỉ dùng cho chính mình.</p>\n",
        },
        {
          id: MULTI,
          number: 2,
          stemHtml: "Những việc nào giúp hồ sơ được xử lý nhanh?",
          right: true,
          chosen: ["Ảnh chụp giấy tờ rõ nét", "Ghi lại mã hồ sơ"],
          missed: [],
          explanationHtml: "<p>Ảnh rõ và mã hồ sơ giúp cán bộ và bạn theo dõi.</p>\n",
        },
      ],
      attemptsLeft: 1,
    });
  });

  it("with no attempts left the review opens without a pass, and no next try is offered", async () => {
    const m = await modules();
    const person = await ready(m);
    const wrong = { otp: ["a"], [MULTI]: ["c"] };
    await attempt(m, person, wrong);
    await attempt(m, person, wrong);
    await m
      .db()
      .updateTable("quiz_attempt")
      .set({ submitted_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where("person_id", "=", person)
      .execute();
    const last = await attempt(m, person, wrong);
    const shown = await last.feedback();
    expect(shown).toMatchObject({ reviewOpen: true, nextTry: null, lessonsToReview: [] });
    expect(shown.questions.map((q) => [q.id, q.right])).toEqual([
      ["otp", false],
      [MULTI, false],
    ]);
  });

  it("in a course that draws its questions, only the questions the attempt asked are shown, numbered from 1", async () => {
    const m = await modules();
    const person = await makePerson();
    const passed = await attempt(m, person, { "ai-dung": ["b"], "kiem-tra-ai": ["a"] }, m.drawn);
    const [asked] = await m.db().selectFrom("quiz_answer").select("question_id").where("attempt_id", "=", passed.id).execute();
    const shown = await passed.feedback();
    expect(shown.questions.map((q) => [q.id, q.number, q.right])).toEqual([[asked.question_id, 1, true]]);
  });
});
