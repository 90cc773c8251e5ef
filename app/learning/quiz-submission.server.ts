import type { SessionUser } from "~/accounts/session.server";
import type { Course } from "~/courses/types";
import { attemptIdForKey, attemptRules, IDEMPOTENCY_KEY, submitAttempt } from "./attempts.server";
import { drawQuestions } from "./draw";
import { quizSubmissionsAcknowledged } from "~/operations/metrics.server";
import { readAnswers, type Answers } from "./grading";

// One submitted quiz form, from the fields to the stored attempt. Used by the quiz page's action and by the
// submission fast path (app/serving), so both answer the same way.

export type SubmittedFields = { get(name: string): unknown; getAll(name: string): unknown[] };

export type SubmissionOutcome = { kind: "recorded"; location: string } | { kind: "refused"; status: number; error: string; selected: Answers };

const ATTEMPT_NUMBER = /^[1-9][0-9]{0,5}$/;

export async function submitQuizForm(user: SessionUser, course: Course, form: SubmittedFields): Promise<SubmissionOutcome> {
  const key = String(form.get("idempotency_key") ?? "");
  const attemptField = String(form.get("attempt") ?? "");
  if (!IDEMPOTENCY_KEY.test(key) || (attemptField && !ATTEMPT_NUMBER.test(attemptField))) {
    return refused(400, "Bài làm thiếu mã nộp bài. Hãy tải lại trang rồi làm lại.", {});
  }
  // The form shows the questions drawn for its attempt number; the server checks that number when storing.
  // A form without one (an older page) is for the next attempt. A course asking its whole bank has no draw.
  const draws = course.quiz.questionsPerAttempt < course.quiz.questions.length;
  const attempt = !draws ? undefined : attemptField ? Number(attemptField) : (await attemptRules(user.id, course)).attemptsUsed + 1;
  const drawn = attempt === undefined ? course.quiz : drawQuestions(course.quiz, user.id, course.slug, attempt);
  const { answers, problems } = readAnswers(drawn, (name) => form.getAll(name).map(String).slice(0, 10));
  if (problems.length) {
    // A retry of a form already stored, whose draw is no longer the next one: answer with the stored attempt.
    const stored = draws ? await attemptIdForKey(user.id, key) : undefined;
    if (stored !== undefined) return { kind: "recorded", location: `/khoa-hoc/${course.slug}/kiem-tra/${stored}` };
    const list = problems.map((p) => `câu ${p.number} ${p.message}`).join("; ");
    return refused(400, `Chưa nộp được: ${list}.`, answers);
  }
  // On a trainer's phone the attempt belongs to the learner; the trainer is recorded as supervisor only.
  const result = await submitAttempt(user.id, course, key, answers, user.supervisedBy?.trainerId ?? null, attempt, openedAt(form.get("opened_at")));
  if (result.kind === "locked") return refused(409, "Hãy học xong tất cả các bài trước khi làm bài kiểm tra.", answers);
  if (result.kind === "no-attempts-left") return refused(409, "Bạn đã dùng hết số lần làm bài kiểm tra của khóa này.", answers);
  if (result.kind === "stale") return refused(409, "Bạn đã nộp một bài khác sau khi mở trang này, nên câu hỏi đã đổi. Hãy tải lại trang để làm bài mới.", {});
  if (result.kind === "wait") return refused(429, cooldownMessage(result.until), answers);
  quizSubmissionsAcknowledged.inc(); // after the commit: submitAttempt resolves only then
  return { kind: "recorded", location: `/khoa-hoc/${course.slug}/kiem-tra/${result.attemptId}` };
}

/**
 * When the quiz form was opened, from its hidden field (milliseconds): only for the duration in the attempt's
 * xAPI statement, so a missing, future or day-old value is simply dropped rather than refused.
 */
export function openedAt(field: unknown, now = Date.now()): string | null {
  const ms = Number(field);
  if (!Number.isSafeInteger(ms) || ms > now || now - ms > 24 * 3_600_000) return null;
  return new Date(ms).toISOString();
}

/** "… làm lại từ 14:05 ngày 02/12/2026": the end of a cool-down in Vietnam time, as people read a clock. */
export function cooldownMessage(untilIso: string): string {
  // Rounded up to the minute, so trying again at the time shown always works.
  const minute = new Date(Math.ceil(Date.parse(untilIso) / 60_000) * 60_000).toISOString();
  return `Bạn đã làm chưa đạt nhiều lần liền. Hãy đọc lại các bài học, rồi làm lại từ ${vietnamTime(minute)} (giờ Việt Nam).`;
}

export function vietnamTime(iso: string): string {
  // Vietnam has no daylight saving time: UTC+7 all year.
  const t = new Date(Date.parse(iso) + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(t.getUTCHours())}:${two(t.getUTCMinutes())} ngày ${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}

function refused(status: number, error: string, selected: Answers): SubmissionOutcome {
  return { kind: "refused", status, error, selected };
}
