import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getUser, requireUser } from "~/accounts/session.server";
import { findCourse, publicQuiz } from "~/courses/catalog.server";
import { attemptRules, newIdempotencyKey } from "~/learning/attempts.server";
import { drawQuestions } from "~/learning/draw";
import { cooldownMessage, submitQuizForm } from "~/learning/quiz-submission.server";
import { courseStatus, quizUnlocked } from "~/learning/progress.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { FormError } from "~/ui/field";
import { invalid, readForm } from "~/ui/forms.server";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.quiz.title} — ${data.course.title}` : "Bài kiểm tra — Học vụ số Tây Ninh" },
];

function courseOf(slug: string | undefined) {
  return findCourse(slug ?? "") ?? notFound("Không tìm thấy khóa học này.");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const course = courseOf(params.course);
  const user = await getUser(request);
  let learner = null;
  let attemptNumber = 1;
  if (user) {
    const [status, rules] = await Promise.all([courseStatus(user.id, course), attemptRules(user.id, course)]);
    attemptNumber = rules.attemptsUsed + 1;
    const { waitUntil, ...counts } = rules;
    learner = { locked: !quizUnlocked(course, status), passed: status.quizPassed, ...counts, waitMessage: waitUntil ? cooldownMessage(waitUntil) : null };
  }
  // Each attempt asks its own draw from the bank (decision 009); visitors who are not signed in see a sample.
  const drawn = drawQuestions(course.quiz, user?.id ?? "", course.slug, attemptNumber);
  // publicQuiz strips the correct options and explanations: they never reach the browser before a pass.
  const { questions } = publicQuiz({ ...course.quiz, questions: drawn.questions });
  const { title, introHtml, passPercent, maxAttempts, freeAttempts, cooldownMinutes } = course.quiz;
  return {
    course: { slug: course.slug, title: course.title },
    quiz: { title, introHtml, passPercent, maxAttempts, freeAttempts, cooldownMinutes, bankSize: course.quiz.questions.length, questions },
    learner,
    attemptNumber,
    idempotencyKey: newIdempotencyKey(),
    openedAt: Date.now(), // for the attempt's duration in its xAPI statement (decision 023)
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const course = courseOf(params.course);
  const user = await requireUser(request);
  const outcome = await submitQuizForm(user, course, await readForm(request));
  if (outcome.kind === "recorded") throw redirect(outcome.location);
  return invalid({ error: outcome.error, selected: outcome.selected }, outcome.status);
}

export default function QuizPage() {
  const { course, quiz, learner, attemptNumber, idempotencyKey, openedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const selected: Record<string, string[]> = result?.selected ?? {};
  const blocked = learner && (learner.locked || learner.attemptsLeft === 0 || learner.waitSeconds > 0);
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: "Bài kiểm tra" }]} />
      <h1>{quiz.title}</h1>
      <div dangerouslySetInnerHTML={{ __html: quiz.introHtml }} />
      <p className="notice">
        Gồm {quiz.questions.length} câu{quiz.bankSize > quiz.questions.length ? `, chọn ngẫu nhiên từ ${quiz.bankSize} câu hỏi của khóa; mỗi lần làm có thể gặp câu khác` : ""}. Cần đúng từ{" "}
        <strong>{quiz.passPercent}%</strong> để đạt.
        {quiz.maxAttempts ? ` Mỗi người được làm tối đa ${quiz.maxAttempts} lần.` : ""}
        {quiz.cooldownMinutes ? ` Nếu chưa đạt ${quiz.freeAttempts} lần liền, bạn cần chờ một thời gian để đọc lại bài rồi mới làm tiếp.` : ""}
        {learner?.passed ? " Bạn đã đạt bài kiểm tra này." : ""}
      </p>
      {learner?.locked ? <p className="error-box">Khóa học này học lần lượt: hãy học xong tất cả các bài rồi quay lại làm bài kiểm tra.</p> : null}
      {learner && learner.attemptsLeft === 0 ? <p className="error-box">Bạn đã dùng hết số lần làm bài.</p> : null}
      {learner?.waitMessage ? <p className="error-box">{learner.waitMessage}</p> : null}
      <FormError message={result?.error} />
      <Form method="post">
        <input type="hidden" name="idempotency_key" value={idempotencyKey} />
        <input type="hidden" name="attempt" value={attemptNumber} />
        <input type="hidden" name="opened_at" value={openedAt} />
        {quiz.questions.map((q) => (
          <fieldset key={q.id} className="question">
            <legend>
              Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} />
            </legend>
            {q.bodyHtml ? <div dangerouslySetInnerHTML={{ __html: q.bodyHtml }} /> : null}
            <p className="hint">{q.kind === "multiple" ? "Chọn tất cả các đáp án đúng." : "Chọn một đáp án."}</p>
            <div className="choices">
              {q.options.map((o) => (
                <label key={o.id}>
                  <input
                    type={q.kind === "multiple" ? "checkbox" : "radio"}
                    name={`q-${q.id}`}
                    value={o.id}
                    defaultChecked={selected[q.id]?.includes(o.id)}
                  />
                  <span dangerouslySetInnerHTML={{ __html: o.html }} />
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        {learner ? (
          blocked ? null : <button type="submit">Nộp bài</button>
        ) : (
          <p className="notice">
            <Link to={`/dang-nhap?tiep=${encodeURIComponent(`/khoa-hoc/${course.slug}/kiem-tra`)}`}>Đăng nhập</Link> hoặc{" "}
            <Link to={`/dang-ky?tiep=${encodeURIComponent(`/khoa-hoc/${course.slug}/kiem-tra`)}`}>đăng ký</Link> để nộp bài và nhận chứng nhận.
          </p>
        )}
      </Form>
    </>
  );
}
