import type { Quiz } from "~/courses/types";

// Pure grading: no I/O, so every edge case is a plain unit test.
// A question is right only when the selected options are exactly the correct ones: for multiple choice,
// picking some of the right options (a partial answer) or adding a wrong one scores nothing.

export type Answers = Record<string, string[]>; // question id → selected option ids

export type QuestionResult = { questionId: string; selected: string[]; correct: boolean };
export type Grade = {
  results: QuestionResult[];
  correctCount: number;
  questionCount: number;
  percent: number; // rounded down, for display
  passed: boolean;
};

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function gradeQuiz(quiz: Pick<Quiz, "questions" | "passPercent">, answers: Answers): Grade {
  const results = quiz.questions.map((q) => {
    const selected = [...new Set(answers[q.id] ?? [])].sort();
    return { questionId: q.id, selected, correct: sameSet(selected, q.correct) };
  });
  const correctCount = results.filter((r) => r.correct).length;
  const questionCount = results.length;
  return {
    results,
    correctCount,
    questionCount,
    percent: questionCount ? Math.floor((correctCount * 100) / questionCount) : 0,
    // Integer comparison: 7 of 10 at a 70% pass mark passes exactly, with no floating-point surprises.
    passed: questionCount > 0 && correctCount * 100 >= quiz.passPercent * questionCount,
  };
}

export type AnswerProblem = { questionId: string; number: number; message: string };

/**
 * Reads answers from a submitted form (`q-<id>` fields) and checks them against the quiz:
 * unknown option ids and several options for a single-choice question are rejected; unanswered questions
 * are listed so the learner can finish them.
 */
export function readAnswers(quiz: Pick<Quiz, "questions">, getAll: (name: string) => string[]): { answers: Answers; problems: AnswerProblem[] } {
  const answers: Answers = {};
  const problems: AnswerProblem[] = [];
  for (const q of quiz.questions) {
    const values = getAll(`q-${q.id}`);
    const valid = new Set(q.options.map((o) => o.id));
    if (values.some((v) => !valid.has(v))) {
      problems.push({ questionId: q.id, number: q.number, message: "có lựa chọn không hợp lệ" });
    } else if (values.length === 0) {
      problems.push({ questionId: q.id, number: q.number, message: "chưa chọn đáp án" });
    } else if (q.kind === "single" && new Set(values).size > 1) {
      problems.push({ questionId: q.id, number: q.number, message: "chỉ được chọn một đáp án" });
    }
    answers[q.id] = values;
  }
  return { answers, problems };
}
