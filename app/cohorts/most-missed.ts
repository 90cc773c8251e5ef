// The questions a cohort gets wrong most, with the wrong option chosen most — pure, over answer rows.

export type AnswerRow = { questionId: string; selected: string; isCorrect: boolean }; // selected: "a,c"
export type QuestionInfo = { id: string; number: number; correct: string[] };

export type MissedQuestion = {
  questionId: string;
  number: number;
  answered: number;
  wrong: number;
  wrongRate: number; // 0..1
  topWrongOption: { optionId: string; count: number } | null;
};

export function mostMissed(questions: QuestionInfo[], answers: AnswerRow[], limit = 5): MissedQuestion[] {
  return questions
    .map((q) => {
      const rows = answers.filter((a) => a.questionId === q.id);
      const wrongRows = rows.filter((a) => !a.isCorrect);
      const counts = new Map<string, number>();
      for (const row of wrongRows) {
        for (const option of row.selected.split(",").filter(Boolean)) {
          if (!q.correct.includes(option)) counts.set(option, (counts.get(option) ?? 0) + 1);
        }
      }
      // Most chosen first; ties go to the earlier option, so the result is stable.
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      return {
        questionId: q.id,
        number: q.number,
        answered: rows.length,
        wrong: wrongRows.length,
        wrongRate: rows.length ? wrongRows.length / rows.length : 0,
        topWrongOption: top ? { optionId: top[0], count: top[1] } : null,
      };
    })
    .filter((q) => q.wrong > 0)
    .sort((a, b) => b.wrongRate - a.wrongRate || b.wrong - a.wrong || a.number - b.number)
    .slice(0, limit);
}
