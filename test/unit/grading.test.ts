import { describe, expect, it } from "vitest";
import type { Question } from "~/courses/types";
import { gradeQuiz, readAnswers } from "~/learning/grading";

function question(id: string, correct: string[], options = ["a", "b", "c", "d"]): Question {
  return {
    id,
    number: 0,
    kind: correct.length > 1 ? "multiple" : "single",
    stemHtml: id,
    bodyHtml: "",
    options: options.map((o) => ({ id: o, html: o })),
    correct,
    explanationHtml: "",
    lessonSlug: "",
  };
}

const quiz = (passPercent: number, questions: Question[]) => ({ passPercent, questions: questions.map((q, i) => ({ ...q, number: i + 1 })) });

describe("gradeQuiz", () => {
  it("single choice: right only with the correct option", () => {
    const q = quiz(50, [question("q1", ["b"])]);
    expect(gradeQuiz(q, { q1: ["b"] }).correctCount).toBe(1);
    expect(gradeQuiz(q, { q1: ["a"] }).correctCount).toBe(0);
    expect(gradeQuiz(q, {}).correctCount).toBe(0);
  });

  it("multiple choice: all correct options and nothing else", () => {
    const q = quiz(50, [question("q1", ["a", "c"])]);
    expect(gradeQuiz(q, { q1: ["c", "a"] }).results[0].correct).toBe(true);
    expect(gradeQuiz(q, { q1: ["a"] }).results[0].correct).toBe(false); // partial answer scores nothing
    expect(gradeQuiz(q, { q1: ["a", "c", "d"] }).results[0].correct).toBe(false); // an extra wrong option
    expect(gradeQuiz(q, { q1: ["a", "a", "c"] }).results[0].correct).toBe(true); // repeats are ignored
  });

  it("multiple choice: as many options as the key, but one of them wrong, scores nothing", () => {
    const q = quiz(50, [question("q1", ["a", "c"])]);
    expect(gradeQuiz(q, { q1: ["a", "b"] }).results[0].correct).toBe(false);
    expect(gradeQuiz(q, { q1: ["d", "c"] }).results[0].correct).toBe(false);
    expect(gradeQuiz(q, { q1: ["b", "d"] }).results[0].correct).toBe(false);
  });

  it("a quiz without questions never passes, even at a 0% mark", () => {
    expect(gradeQuiz(quiz(0, []), {})).toMatchObject({ questionCount: 0, correctCount: 0, percent: 0, passed: false });
    expect(gradeQuiz(quiz(70, []), {}).passed).toBe(false);
  });

  it("records what was selected, sorted and without repeats, and nothing for an unanswered question", () => {
    const q = quiz(50, [question("q1", ["a", "c"]), question("q2", ["b"])]);
    const { results } = gradeQuiz(q, { q1: ["c", "a", "c"] });
    expect(results).toEqual([
      { questionId: "q1", selected: ["a", "c"], correct: true },
      { questionId: "q2", selected: [], correct: false },
    ]);
  });

  it("pass mark edges: exactly at the mark passes, one below fails", () => {
    const ten = Array.from({ length: 10 }, (_, i) => question(`q${i}`, ["a"]));
    const answers = (right: number) => Object.fromEntries(ten.map((q, i) => [q.id, [i < right ? "a" : "b"]]));
    expect(gradeQuiz(quiz(70, ten), answers(7))).toMatchObject({ correctCount: 7, percent: 70, passed: true });
    expect(gradeQuiz(quiz(70, ten), answers(6))).toMatchObject({ correctCount: 6, percent: 60, passed: false });
    expect(gradeQuiz(quiz(100, ten), answers(10)).passed).toBe(true);
    expect(gradeQuiz(quiz(100, ten), answers(9)).passed).toBe(false);
  });

  it("a mark that is not a whole number of questions is compared exactly (2 of 3 at 67% fails)", () => {
    const three = [question("a", ["a"]), question("b", ["a"]), question("c", ["a"])];
    const grade = gradeQuiz(quiz(67, three), { a: ["a"], b: ["a"], c: ["b"] });
    expect(grade.percent).toBe(66);
    expect(grade.passed).toBe(false);
    expect(gradeQuiz(quiz(66, three), { a: ["a"], b: ["a"], c: ["b"] }).passed).toBe(true);
  });
});

describe("readAnswers", () => {
  const q = quiz(50, [question("one", ["a"]), question("many", ["a", "b"])]);
  const form = (fields: Record<string, string[]>) => (name: string) => fields[name] ?? [];

  it("accepts a complete, valid form", () => {
    const { answers, problems } = readAnswers(q, form({ "q-one": ["a"], "q-many": ["a", "b"] }));
    expect(problems).toEqual([]);
    expect(answers).toEqual({ one: ["a"], many: ["a", "b"] });
  });

  it("lists unanswered questions, unknown options and two answers to a single-choice question", () => {
    expect(readAnswers(q, form({ "q-one": ["a"] })).problems).toEqual([{ questionId: "many", number: 2, message: "chưa chọn đáp án" }]);
    expect(readAnswers(q, form({ "q-one": ["z"], "q-many": ["a"] })).problems[0]).toMatchObject({ questionId: "one", message: "có lựa chọn không hợp lệ" });
    expect(readAnswers(q, form({ "q-one": ["a", "b"], "q-many": ["a"] })).problems[0]).toMatchObject({ message: "chỉ được chọn một đáp án" });
  });
});
