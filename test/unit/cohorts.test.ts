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
});
