import { describe, expect, it } from "vitest";
import { mostMissed } from "~/cohorts/most-missed";
import { needsHelp, type LearnerActivity } from "~/cohorts/needs-help";

const NOW = new Date("2026-11-22T12:00:00Z");
const base: LearnerActivity = { personId: "p", joinedAt: "2026-11-01T00:00:00Z", lastActivityAt: null, attempts: [], finishedAllCourses: false };

describe("needs help", () => {
  it("flags no activity for 14 days, counting from joining when the learner never started", () => {
    expect(needsHelp({ ...base, joinedAt: "2026-11-10T00:00:00Z" }, NOW)).toEqual([]); // 12 days
    expect(needsHelp({ ...base, joinedAt: "2026-11-08T00:00:00Z" }, NOW)).toEqual([{ kind: "inactive", days: 14 }]);
    expect(needsHelp({ ...base, lastActivityAt: "2026-11-20T00:00:00Z" }, NOW)).toEqual([]);
    expect(needsHelp({ ...base, lastActivityAt: "2026-10-01T00:00:00Z" }, NOW)).toEqual([{ kind: "inactive", days: 52 }]);
  });

  it("does not chase someone who finished every course of the cohort", () => {
    expect(needsHelp({ ...base, lastActivityAt: "2026-09-01T00:00:00Z", finishedAllCourses: true }, NOW)).toEqual([]);
  });

  it("the inactivity threshold is a parameter", () => {
    expect(needsHelp({ ...base, lastActivityAt: "2026-11-15T12:00:00Z" }, NOW, 7)).toEqual([{ kind: "inactive", days: 7 }]);
  });

  it("flags two failed attempts in a course not passed since; a pass clears it", () => {
    const recent = { ...base, lastActivityAt: "2026-11-21T00:00:00Z" };
    const fail = (courseSlug: string, day: string) => ({ courseSlug, submittedAt: `2026-11-${day}T00:00:00Z`, passed: false });
    expect(needsHelp({ ...recent, attempts: [fail("a", "10")] }, NOW)).toEqual([]);
    expect(needsHelp({ ...recent, attempts: [fail("a", "10"), fail("a", "12")] }, NOW)).toEqual([{ kind: "failed-quiz", courseSlug: "a", failures: 2 }]);
    expect(needsHelp({ ...recent, attempts: [fail("a", "10"), fail("b", "12")] }, NOW)).toEqual([]); // one each
    expect(needsHelp({ ...recent, attempts: [fail("a", "10"), fail("a", "11"), { courseSlug: "a", submittedAt: "2026-11-12T00:00:00Z", passed: true }] }, NOW)).toEqual([]);
    // Order of the rows does not matter: a later pass still clears earlier failures.
    expect(needsHelp({ ...recent, attempts: [{ courseSlug: "a", submittedAt: "2026-11-12T00:00:00Z", passed: true }, fail("a", "10"), fail("a", "11")] }, NOW)).toEqual([]);
  });

  it("can give both reasons at once", () => {
    const reasons = needsHelp({ ...base, lastActivityAt: "2026-10-01T00:00:00Z", attempts: [{ courseSlug: "a", submittedAt: "2026-09-01T00:00:00Z", passed: false }, { courseSlug: "a", submittedAt: "2026-10-01T00:00:00Z", passed: false }] }, NOW);
    expect(reasons.map((r) => r.kind)).toEqual(["inactive", "failed-quiz"]);
  });
});

describe("most-missed questions", () => {
  const questions = [
    { id: "q1", number: 1, correct: ["b"] },
    { id: "q2", number: 2, correct: ["a", "c"] },
    { id: "q3", number: 3, correct: ["a"] },
  ];

  it("ranks by wrong rate and names the wrong option chosen most", () => {
    const answers = [
      { questionId: "q1", selected: "a", isCorrect: false },
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "b", isCorrect: true },
      { questionId: "q2", selected: "a", isCorrect: false }, // partial: no wrong option chosen
      { questionId: "q2", selected: "a,c", isCorrect: true },
      { questionId: "q2", selected: "a,c,d", isCorrect: false },
      { questionId: "q2", selected: "a,c", isCorrect: true },
      { questionId: "q3", selected: "a", isCorrect: true },
    ];
    const result = mostMissed(questions, answers);
    expect(result.map((r) => r.questionId)).toEqual(["q1", "q2"]); // q3 never missed
    expect(result[0]).toMatchObject({ answered: 4, wrong: 3, wrongRate: 0.75, topWrongOption: { optionId: "c", count: 2 } });
    expect(result[1]).toMatchObject({ answered: 4, wrong: 2, wrongRate: 0.5, topWrongOption: { optionId: "d", count: 1 } });
  });

  it("a question missed only by partial answers has no wrong option to name", () => {
    const [only] = mostMissed(questions, [{ questionId: "q2", selected: "c", isCorrect: false }]);
    expect(only).toMatchObject({ questionId: "q2", wrong: 1, topWrongOption: null });
  });

  it("ties go to the earlier option and the limit applies", () => {
    const answers = [
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "a", isCorrect: false },
      { questionId: "q3", selected: "b", isCorrect: false },
    ];
    expect(mostMissed(questions, answers)[0].topWrongOption).toEqual({ optionId: "a", count: 1 });
    expect(mostMissed(questions, answers, 1)).toHaveLength(1);
  });

  it("ranks by wrong rate, then by number of wrong answers, then by question number — whatever the input order", () => {
    const qs = [
      { id: "q5", number: 5, correct: ["a"] },
      { id: "q4", number: 4, correct: ["a"] },
      { id: "q3", number: 3, correct: ["a"] },
      { id: "q2", number: 2, correct: ["a"] },
      { id: "q1", number: 1, correct: ["a"] },
    ];
    const rows = (id: string, wrong: number, right: number) => [
      ...Array.from({ length: wrong }, () => ({ questionId: id, selected: "b", isCorrect: false })),
      ...Array.from({ length: right }, () => ({ questionId: id, selected: "a", isCorrect: true })),
    ];
    const answers = [
      ...rows("q1", 1, 3), // 25%
      ...rows("q2", 2, 2), // 50%, 2 wrong
      ...rows("q3", 1, 1), // 50%, 1 wrong: after q2
      ...rows("q4", 3, 0), // 100%
      ...rows("q5", 1, 1), // 50%, 1 wrong, like q3: the lower number (q3) first
    ].reverse();
    const ranked = mostMissed(qs, answers);
    expect(ranked.map((r) => r.questionId)).toEqual(["q4", "q2", "q3", "q5", "q1"]);
    expect(ranked.map((r) => r.wrongRate)).toEqual([1, 0.5, 0.5, 0.5, 0.25]);
    expect(mostMissed(qs, answers, 2).map((r) => r.questionId)).toEqual(["q4", "q2"]);
    expect(mostMissed(qs, [])).toEqual([]);
  });

  it("a wrong answer stored with nothing selected names no option", () => {
    const [only] = mostMissed([{ id: "q", number: 1, correct: ["a"] }], [{ questionId: "q", selected: "", isCorrect: false }]);
    expect(only).toMatchObject({ wrong: 1, topWrongOption: null });
  });

  it("names the wrong option chosen most, counting each option of a multiple answer, never a correct one", () => {
    const qs = [{ id: "m", number: 1, correct: ["a", "b"] }];
    const answers = [
      { questionId: "m", selected: "a,d", isCorrect: false },
      { questionId: "m", selected: "c,d", isCorrect: false },
      { questionId: "m", selected: "b,c", isCorrect: false },
      { questionId: "m", selected: "c", isCorrect: false },
      { questionId: "m", selected: "a,b", isCorrect: true },
    ];
    expect(mostMissed(qs, answers)[0]).toEqual({ questionId: "m", number: 1, answered: 5, wrong: 4, wrongRate: 0.8, topWrongOption: { optionId: "c", count: 3 } });
  });
});
