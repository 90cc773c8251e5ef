import type { SessionUser } from "~/accounts/session.server";
import { waitMessage } from "~/accounts/rate-limit.server";
import type { Course } from "~/courses/types";
import { quizSubmissionsAcknowledged } from "~/operations/metrics.server";
import { IDEMPOTENCY_KEY, submitAttempt } from "./attempts.server";
import { readAnswers, type Answers } from "./grading";

// One submitted quiz form, from the fields to the stored attempt. Used by the quiz page's action and by the
// submission fast path (app/serving), so both answer the same way.

export type SubmittedFields = { get(name: string): unknown; getAll(name: string): unknown[] };

export type SubmissionOutcome =
  | { kind: "recorded"; location: string }
  | { kind: "refused"; status: number; error: string; selected: Answers };

export async function submitQuizForm(user: SessionUser, course: Course, form: SubmittedFields): Promise<SubmissionOutcome> {
  const key = String(form.get("idempotency_key") ?? "");
  if (!IDEMPOTENCY_KEY.test(key)) return refused(400, "Bài làm thiếu mã nộp bài. Hãy tải lại trang rồi làm lại.", {});
  const { answers, problems } = readAnswers(course.quiz, (name) => form.getAll(name).map(String).slice(0, 10));
  if (problems.length) {
    const list = problems.map((p) => `câu ${p.number} ${p.message}`).join("; ");
    return refused(400, `Chưa nộp được: ${list}.`, answers);
  }
  // On a trainer's phone the attempt belongs to the learner; the trainer is recorded as supervisor only.
  const result = await submitAttempt(user.id, course, key, answers, user.supervisedBy?.trainerId ?? null);
  if (result.kind === "locked") return refused(409, "Hãy học xong tất cả các bài trước khi làm bài kiểm tra.", answers);
  if (result.kind === "no-attempts-left") return refused(409, "Bạn đã dùng hết số lần làm bài kiểm tra của khóa này.", answers);
  if (result.kind === "wait") return refused(429, `Bạn cần nghỉ một chút trước khi làm lại: ${waitMessage(result.seconds)}.`, answers);
  quizSubmissionsAcknowledged.inc(); // after the commit: submitAttempt resolves only then
  return { kind: "recorded", location: `/khoa-hoc/${course.slug}/kiem-tra/${result.attemptId}` };
}

function refused(status: number, error: string, selected: Answers): SubmissionOutcome {
  return { kind: "refused", status, error, selected };
}
