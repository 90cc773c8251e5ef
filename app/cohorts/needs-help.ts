// Who in a cohort needs help — pure rules over plain data, so each rule is a plain unit test.

export const INACTIVE_DAYS = 14;
export const FAILED_ATTEMPTS = 2;

export type LearnerActivity = {
  personId: string;
  joinedAt: string;
  lastActivityAt: string | null; // latest lesson view/completion or quiz attempt
  attempts: { courseSlug: string; submittedAt: string; passed: boolean }[];
  finishedAllCourses: boolean; // completed every course of the cohort: nothing left to chase
};

export type HelpReason = { kind: "inactive"; days: number } | { kind: "failed-quiz"; courseSlug: string; failures: number };

/**
 * Reasons a learner needs help now: no activity for `inactiveDays` (counting from joining if they never
 * started) while some cohort course is unfinished, or `failedAttempts` failed quiz attempts in a course they have not passed since.
 */
export function needsHelp(learner: LearnerActivity, now: Date, inactiveDays = INACTIVE_DAYS, failedAttempts = FAILED_ATTEMPTS): HelpReason[] {
  const reasons: HelpReason[] = [];
  const last = Date.parse(learner.lastActivityAt ?? learner.joinedAt);
  const idle = Math.floor((now.getTime() - last) / 86_400_000);
  if (idle >= inactiveDays && !learner.finishedAllCourses) reasons.push({ kind: "inactive", days: idle });
  const byCourse = new Map<string, { failures: number; passed: boolean }>();
  // Order does not matter: a pass at any time settles the course, and failures only count where none passed.
  for (const attempt of learner.attempts) {
    const state = byCourse.get(attempt.courseSlug) ?? { failures: 0, passed: false };
    if (attempt.passed) state.passed = true;
    else state.failures += 1;
    byCourse.set(attempt.courseSlug, state);
  }
  for (const [courseSlug, state] of byCourse) {
    if (!state.passed && state.failures >= failedAttempts) reasons.push({ kind: "failed-quiz", courseSlug, failures: state.failures });
  }
  return reasons;
}
