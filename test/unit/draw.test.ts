import { describe, expect, it } from "vitest";
import type { Quiz } from "~/courses/types";
import { drawQuestions } from "~/learning/draw";

// Which questions an attempt asks (decision 009): the page and the grading each compute the draw, so it must be
// the same every time it is computed, for every release, and fair across the bank.

function bank(size: number, perAttempt: number): Quiz {
  const questions = Array.from({ length: size }, (_, i) => ({ id: `q${i + 1}`, number: i + 1 }) as Quiz["questions"][number]);
  return { title: "", introHtml: "", passPercent: 70, maxAttempts: 0, freeAttempts: 2, cooldownMinutes: 60, questionsPerAttempt: perAttempt, questions };
}

const ids = (quiz: Quiz, person: string, course: string, attempt: number) =>
  drawQuestions(quiz, person, course, attempt)
    .questions.map((q) => q.id)
    .join(",");

describe("drawQuestions", () => {
  it("a quiz asking its whole bank asks every question, as numbered in the bank", () => {
    const quiz = bank(3, 3);
    expect(drawQuestions(quiz, "p", "c", 1)).toEqual({ passPercent: 70, questions: quiz.questions });
    expect(drawQuestions({ ...quiz, questionsPerAttempt: 5 }, "p", "c", 1).questions).toEqual(quiz.questions);
  });

  it("asks the set number of different bank questions, in bank order, numbered from 1", () => {
    const drawn = drawQuestions(bank(10, 4), "person-a", "khoa", 1);
    expect(drawn.passPercent).toBe(70);
    expect(drawn.questions).toEqual([
      { id: "q4", number: 1 },
      { id: "q5", number: 2 },
      { id: "q6", number: 3 },
      { id: "q7", number: 4 },
    ]);
  });

  it("is the same draw for the same person, course and attempt in every release (a form open during a deploy is graded on what it showed)", () => {
    const quiz = bank(10, 4);
    expect(ids(quiz, "person-a", "khoa", 1)).toBe("q4,q5,q6,q7");
    expect(ids(quiz, "person-a", "khoa", 2)).toBe("q3,q5,q6,q9");
    expect(ids(quiz, "person-b", "khoa", 1)).toBe("q2,q3,q5,q10");
    expect(ids(quiz, "person-a", "khac", 1)).toBe("q2,q6,q7,q10");
  });

  it("over many learners every question of the bank is asked about equally often", () => {
    const quiz = bank(10, 4);
    const asked = new Map<string, number>();
    for (let p = 0; p < 2000; p++) {
      const drawn = drawQuestions(quiz, `person-${p}`, "khoa", 1).questions;
      expect(new Set(drawn.map((q) => q.id)).size).toBe(4);
      for (const q of drawn) asked.set(q.id, (asked.get(q.id) ?? 0) + 1);
    }
    expect([...asked.keys()].sort()).toEqual(quiz.questions.map((q) => q.id).sort());
    for (const count of asked.values()) expect(Math.abs(count - 800)).toBeLessThan(100); // 2000 × 4/10
  });
});
