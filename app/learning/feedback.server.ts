import type { Course } from "~/courses/types";
import { db } from "~/db.server";
import { attemptRules, findAttempt } from "./attempts.server";
import { cooldownMessage } from "./quiz-submission.server";

// What a learner sees after an attempt (decision 009). Before they have passed: the score and the lessons to
// read again, by topic — never which question was right or wrong, nor the explanations, which together gave
// the answers away in a few attempts. Once they have passed (or have no attempts left), the full review of
// every attempt with its explanations, because that is what helps people learn.

type Attempt = NonNullable<Awaited<ReturnType<typeof findAttempt>>>;

export type AttemptFeedback = {
  attempt: { correct: number; total: number; percent: number; passed: boolean };
  reviewOpen: boolean;
  lessonsToReview: { slug: string; title: string }[]; // before the review opens; in course order
  nextTry: string | null; // the cool-down message, when one applies now
  /** missed: correct options the learner did not choose, so a half-right multiple-answer question says what was left out. */
  questions: { id: string; number: number; stemHtml: string; right: boolean; chosen: string[]; missed: string[]; explanationHtml: string }[];
  attemptsLeft: number | null; // null: no limit
};

export async function attemptFeedback(personId: string, course: Course, attempt: Attempt): Promise<AttemptFeedback> {
  const [passedOnce, rules] = await Promise.all([hasPassed(personId, course.slug), attemptRules(personId, course)]);
  const reviewOpen = passedOnce || rules.attemptsLeft === 0;
  const summary = { correct: attempt.correct_count, total: attempt.question_count, percent: attempt.percent, passed: attempt.passed === 1 };
  const asked = course.quiz.questions.filter((q) => attempt.answers.some((a) => a.question_id === q.id));
  const answerOf = new Map(attempt.answers.map((a) => [a.question_id, a]));
  if (!reviewOpen) {
    const missed = new Set(asked.filter((q) => answerOf.get(q.id)?.is_correct !== 1).map((q) => q.lessonSlug));
    return {
      attempt: summary,
      reviewOpen,
      lessonsToReview: course.lessons.filter((l) => missed.has(l.slug)).map((l) => ({ slug: l.slug, title: l.title })),
      nextTry: rules.waitUntil ? cooldownMessage(rules.waitUntil) : null,
      questions: [],
      attemptsLeft: course.quiz.maxAttempts ? rules.attemptsLeft : null,
    };
  }
  return {
    attempt: summary,
    reviewOpen,
    lessonsToReview: [],
    nextTry: null,
    attemptsLeft: course.quiz.maxAttempts ? rules.attemptsLeft : null,
    questions: asked.map((q, i) => {
      const answer = answerOf.get(q.id);
      const chosen = answer?.selected ? answer.selected.split(",") : [];
      return {
        id: q.id,
        number: i + 1,
        stemHtml: q.stemHtml,
        right: answer?.is_correct === 1,
        chosen: q.options.filter((o) => chosen.includes(o.id)).map((o) => o.html),
        missed: q.options.filter((o) => q.correct.includes(o.id) && !chosen.includes(o.id)).map((o) => o.html),
        explanationHtml: q.explanationHtml,
      };
    }),
  };
}

async function hasPassed(personId: string, courseSlug: string): Promise<boolean> {
  const row = await db()
    .selectFrom("quiz_attempt")
    .select("id")
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .where("passed", "=", 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
