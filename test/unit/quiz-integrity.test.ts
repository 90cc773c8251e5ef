import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Course } from "~/courses/types";
import { makePerson, useTempDatabase } from "./support/db";

// Security finding 12: quiz answers must not be harvestable. These tests drive the real quiz page, its action
// and the result page (loaders and action of the routes, over a real SQLite file) on the real content, the way a
// browser would: what they read is exactly what the site sends (the `.data` of each page).

beforeAll(async () => {
  process.env.CONTENT_DIR = path.resolve("content");
  process.env.PUBLIC_DIR = path.resolve("public");
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

const REQUIRED = "an-toan-thong-tin-noi-cong-so"; // official-required

type QuizPageData = {
  quiz: { questions: { id: string; kind: "single" | "multiple"; options: { id: string }[] }[] };
  learner: { waitSeconds: number; attemptsLeft: number | null; waitMessage: string | null } | null;
  attemptNumber?: number;
  idempotencyKey: string;
};

async function site() {
  const quizPage = await import("~/routes/khoa-hoc.$course.kiem-tra");
  const resultPage = await import("~/routes/khoa-hoc.$course.kiem-tra_.$attempt");
  const { startSession } = await import("~/accounts/lucia.server");
  const { findCourse } = await import("~/courses/catalog.server");
  const { completeLesson } = await import("~/learning/progress.server");
  const { db } = await import("~/db.server");
  return { quizPage, resultPage, startSession, findCourse, completeLesson, db };
}

/** A signed-in official who has read every lesson of the course, as a browser with a cookie. */
async function officialReadyFor(slug: string) {
  const s = await site();
  const course = s.findCourse(slug)!;
  const person = await makePerson({ kind: "official" });
  for (const lesson of course.lessons) await s.completeLesson(person, course, lesson.slug);
  const cookie = (await s.startSession(person)).split(";")[0];
  const url = `http://localhost/khoa-hoc/${slug}/kiem-tra`;
  const params = { course: slug };
  const context = { cspNonce: "", clientIp: "127.0.0.1" };
  const browser = {
    person,
    course,
    async quizPage(): Promise<QuizPageData> {
      const request = new Request(url, { headers: { Cookie: cookie } });
      return JSON.parse(JSON.stringify(await s.quizPage.loader({ request, params, context })));
    },
    /** Posts the form; the result page's data on success, else the status and the page's message. */
    async submit(page: QuizPageData, answers: Record<string, string[]>) {
      const form = new URLSearchParams({ idempotency_key: page.idempotencyKey });
      if (page.attemptNumber !== undefined) form.set("attempt", String(page.attemptNumber));
      for (const [id, chosen] of Object.entries(answers)) for (const option of chosen) form.append(`q-${id}`, option);
      const request = new Request(url, {
        method: "POST",
        body: form,
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      });
      let response: unknown;
      try {
        response = await s.quizPage.action({ request, params, context });
      } catch (thrown) {
        response = thrown;
      }
      if (!(response instanceof Response)) {
        // A refusal: Remix's data(payload, { status }), which the browser receives with that status.
        const refusal = response as { data: { error?: string }; init: { status: number } };
        return { status: refusal.init.status, error: String(refusal.data.error ?? "") };
      }
      const location = response.headers.get("Location");
      if (response.status !== 302 || !location) return { status: response.status, error: String(((await response.json()) as { error?: string }).error ?? "") };
      const attempt = location.split("/").at(-1)!;
      const resultRequest = new Request(`http://localhost${location}`, { headers: { Cookie: cookie } });
      const data = await s.resultPage.loader({ request: resultRequest, params: { course: slug, attempt }, context });
      return { status: 302, attempt: Number(attempt), result: JSON.stringify(data) };
    },
  };
  return browser;
}

function subsets(ids: string[]): string[][] {
  const all: string[][] = [];
  for (let mask = 1; mask < 1 << ids.length; mask++) all.push(ids.filter((_, i) => mask & (1 << i)));
  return all;
}

/**
 * An automated learner who uses nothing but what the site sends: for each question it keeps the answers not
 * yet ruled out, tries the first one, and learns from the result page whatever it can — the questions marked
 * right or wrong, or the score when it says all right or all wrong. It tries again as soon as the site lets
 * it, for one day.
 */
async function harvestForADay(slug: string) {
  const browser = await officialReadyFor(slug);
  const start = new Date("2026-12-01T01:00:00.000Z").getTime();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
  const candidates = new Map<string, string[][]>();
  let attempts = 0;
  let passed = false;
  while (Date.now() < start + 24 * 3_600_000 && attempts < 60) {
    const page = await browser.quizPage();
    if (page.learner?.attemptsLeft === 0) break;
    if (page.learner && page.learner.waitSeconds > 0) {
      vi.setSystemTime(Date.now() + page.learner.waitSeconds * 1000 + 1000);
      continue;
    }
    for (const q of page.quiz.questions) {
      if (!candidates.has(q.id)) {
        const options = q.options.map((o) => o.id);
        candidates.set(q.id, q.kind === "single" ? options.map((o) => [o]) : subsets(options).filter((s) => s.length > 1));
      }
    }
    const answers = Object.fromEntries(page.quiz.questions.map((q) => [q.id, candidates.get(q.id)![0]]));
    const outcome = await browser.submit(page, answers);
    if (outcome.status !== 302) break;
    attempts += 1;
    const result = JSON.parse(outcome.result!) as {
      attempt: { correct: number; total: number; passed: boolean };
      questions?: { id: string; right: boolean }[];
    };
    passed ||= result.attempt.passed;
    const marked = new Map((result.questions ?? []).map((q) => [q.id, q.right]));
    for (const [id, chosen] of Object.entries(answers)) {
      const right = marked.get(id) ?? (result.attempt.correct === result.attempt.total ? true : result.attempt.correct === 0 ? false : undefined);
      const list = candidates.get(id)!;
      if (right === true) candidates.set(id, [chosen]);
      if (right === false)
        candidates.set(
          id,
          list.filter((c) => c.join() !== chosen.join()),
        );
    }
    const bank = browser.course.quiz.questions.length;
    if (candidates.size === bank && [...candidates.values()].every((c) => c.length === 1)) break; // knows everything
    vi.setSystemTime(Date.now() + 60_000); // a minute to read the page and answer again
  }
  const known = browser.course.quiz.questions.filter((q) => {
    const left = candidates.get(q.id);
    return left?.length === 1 && left[0].join() === [...q.correct].sort().join();
  });
  return { attempts, known: known.length, bank: browser.course.quiz.questions.length, passed };
}

describe("quiz answers cannot be harvested (finding 12)", () => {
  it("a learner using only the result pages cannot learn all answers of a required course's quiz in a day", async () => {
    const harvest = await harvestForADay(REQUIRED);
    expect(harvest.bank).toBeGreaterThanOrEqual(9);
    // The cool-down keeps a day to a handful of attempts…
    expect(harvest.attempts).toBeLessThanOrEqual(6);
    // …and the result pages before a pass do not say which answers were right.
    expect(harvest.known).toBeLessThan(harvest.bank);
    expect(harvest.passed).toBe(false);
  });

  it("before a pass the result page shows the score and lessons to read again, not answers or explanations", async () => {
    const browser = await officialReadyFor(REQUIRED);
    const page = await browser.quizPage();
    const wrong = Object.fromEntries(
      page.quiz.questions.map((q) => {
        const correct = browser.course.quiz.questions.find((b) => b.id === q.id)!.correct;
        return [q.id, [q.options.find((o) => !correct.includes(o.id))!.id]];
      }),
    );
    const outcome = await browser.submit(page, wrong);
    expect(outcome.status).toBe(302);
    const data = JSON.parse(outcome.result!) as { attempt: { correct: number }; lessonsToReview: { title: string }[]; questions: unknown[] };
    expect(data.attempt.correct).toBe(0);
    expect(data.questions).toEqual([]);
    expect(data.lessonsToReview.length).toBeGreaterThan(0);
    for (const lesson of data.lessonsToReview) expect(browser.course.lessons.map((l) => l.title)).toContain(lesson.title);
    for (const q of browser.course.quiz.questions) {
      expect(outcome.result).not.toContain(q.explanationHtml.slice(0, 80));
      expect(outcome.result).not.toContain(q.stemHtml.slice(0, 80));
    }
  });

  it("after a pass the full review with explanations is open", async () => {
    const browser = await officialReadyFor(REQUIRED);
    const page = await browser.quizPage();
    const right = Object.fromEntries(page.quiz.questions.map((q) => [q.id, browser.course.quiz.questions.find((b) => b.id === q.id)!.correct]));
    const outcome = await browser.submit(page, right);
    const data = JSON.parse(outcome.result!) as { attempt: { passed: boolean }; questions: { id: string; explanationHtml: string }[] };
    expect(data.attempt.passed).toBe(true);
    expect(data.questions.map((q) => q.id)).toEqual(page.quiz.questions.map((q) => q.id));
    expect(data.questions[0].explanationHtml.length).toBeGreaterThan(20);
  });
});

describe("each attempt asks its own draw from the bank", () => {
  it("the page shows fewer questions than the bank, a different draw next time, and grading counts only the draw", async () => {
    const browser = await officialReadyFor(REQUIRED);
    const bank = browser.course.quiz.questions;
    const first = await browser.quizPage();
    expect(first.quiz.questions.length).toBeLessThan(bank.length);
    expect(bank.length).toBeGreaterThanOrEqual(Math.ceil(first.quiz.questions.length * 1.5));
    // Right answers to every question the page did NOT ask, and a wrong answer to those it did: scores 0.
    const asked = new Set(first.quiz.questions.map((q) => q.id));
    const answers: Record<string, string[]> = {};
    for (const q of bank) answers[q.id] = asked.has(q.id) ? [q.options.find((o) => !q.correct.includes(o.id))!.id] : q.correct;
    const outcome = await browser.submit(first, answers);
    expect(outcome.status).toBe(302);
    expect(JSON.parse(outcome.result!).attempt).toMatchObject({ correct: 0, total: first.quiz.questions.length });
    const { db } = await site();
    const stored = await db().selectFrom("quiz_answer").select("question_id").where("attempt_id", "=", outcome.attempt!).execute();
    expect(new Set(stored.map((r) => r.question_id))).toEqual(asked);

    // The next attempts draw other questions (three equal draws of 8 from 12 would mean a broken draw).
    const draws = [first.quiz.questions.map((q) => q.id).join()];
    const second = await browser.quizPage();
    draws.push(second.quiz.questions.map((q) => q.id).join());
    const { drawQuestions } = await import("~/learning/draw");
    expect(
      drawQuestions(browser.course.quiz, browser.person, REQUIRED, 2)
        .questions.map((q) => q.id)
        .join(),
    ).toBe(draws[1]);
    draws.push(
      drawQuestions(browser.course.quiz, browser.person, REQUIRED, 3)
        .questions.map((q) => q.id)
        .join(),
    );
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it("a form drawn for an attempt that has since been used is refused with a Vietnamese message, and nothing is stored", async () => {
    const browser = await officialReadyFor(REQUIRED);
    const page = await browser.quizPage();
    const answers = Object.fromEntries(page.quiz.questions.map((q) => [q.id, [q.options[0].id]]));
    expect((await browser.submit(page, answers)).status).toBe(302);
    // The same form again with a new key (a second tab): its questions belong to the attempt already stored.
    const stale = await browser.submit({ ...page, idempotencyKey: crypto.randomUUID() }, answers);
    expect(stale.status).toBe(409);
    expect(stale.error).toContain("Hãy tải lại trang");
    const { db } = await site();
    expect(await db().selectFrom("quiz_attempt").select("id").where("person_id", "=", browser.person).execute()).toHaveLength(1);
  });

  it("a form without its attempt number is for the next attempt, and sending it again still records one attempt", async () => {
    const browser = await officialReadyFor(REQUIRED);
    const page = { ...(await browser.quizPage()), attemptNumber: undefined };
    const answers = Object.fromEntries(page.quiz.questions.map((q) => [q.id, [q.options[0].id]]));
    const first = await browser.submit(page, answers);
    const again = await browser.submit(page, answers);
    expect(first.status).toBe(302);
    expect(again).toMatchObject({ status: 302, attempt: first.attempt });
    const { db } = await site();
    expect(await db().selectFrom("quiz_attempt").select("id").where("person_id", "=", browser.person).execute()).toHaveLength(1);
  });
});

describe("cool-down after repeated failures", () => {
  it("after two failures in a row the learner waits an hour, then two, told the end time in Vietnam time", async () => {
    const browser = await officialReadyFor(REQUIRED);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T03:00:00.000Z")); // 10:00 in Vietnam
    const fail = async () => {
      const page = await browser.quizPage();
      const answers = Object.fromEntries(page.quiz.questions.map((q) => [q.id, wrongAnswer(browser.course, q.id)]));
      return browser.submit(page, answers);
    };
    expect((await fail()).status).toBe(302);
    expect((await fail()).status).toBe(302);
    const refused = await fail();
    expect(refused.status).toBe(429);
    expect(refused.error).toBe("Bạn đã làm chưa đạt nhiều lần liền. Hãy đọc lại các bài học, rồi làm lại từ 11:00 ngày 01/12/2026 (giờ Việt Nam).");
    expect((await browser.quizPage()).learner?.waitMessage).toContain("11:00 ngày 01/12/2026");

    vi.setSystemTime(new Date("2026-12-01T04:00:00.000Z"));
    expect((await fail()).status).toBe(302);
    expect((await fail()).error).toContain("làm lại từ 13:00 ngày 01/12/2026");
  });
});

function wrongAnswer(course: Course, questionId: string): string[] {
  const q = course.quiz.questions.find((b) => b.id === questionId)!;
  return [q.options.find((o) => !q.correct.includes(o.id))!.id];
}
