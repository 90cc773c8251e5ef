import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getUser, requireUser } from "~/accounts/session.server";
import { findCourse, publicQuiz } from "~/courses/catalog.server";
import { attemptRules, newIdempotencyKey } from "~/learning/attempts.server";
import { drawQuestions } from "~/learning/draw";
import { cooldownMessage, submitQuizForm } from "~/learning/quiz-submission.server";
import { readAnswers } from "~/learning/grading";
import { courseStatus, nextStep, quizUnlocked } from "~/learning/progress.server";
import { carriedAnswers, visitorQuizAnswers } from "~/learning/visitor-work.server";
import { VisitorNotice } from "~/ui/visitor-notice";
import { Breadcrumb } from "~/ui/breadcrumb";
import { FormError } from "~/ui/field";
import { invalid, readForm } from "~/ui/forms.server";
import type { RouteHandle } from "~/serving/routes.server";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.quiz.title} — ${data.course.title}` : "Bài kiểm tra — Học vụ số Tây Ninh" },
];

// A submission is stored by the server calling this action directly (decision 014): it writes nothing unless
// it redirects to the result, so an answer that needs the page (a form problem) is safely run again by Remix.
export const handle: RouteHandle = { directAction: true };

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
    const step = nextStep(course, status);
    const todo =
      step.kind === "lesson" ? { href: `/khoa-hoc/${course.slug}/${step.lesson.slug}`, title: `Bài ${step.lesson.number}. ${step.lesson.title}` } : null;
    const lessonsLeft = course.lessons.filter((l) => !status.completedLessons.has(l.slug)).length;
    learner = {
      locked: !quizUnlocked(course, status),
      todo,
      lessonsLeft,
      passed: status.quizPassed,
      ...counts,
      waitMessage: waitUntil ? cooldownMessage(waitUntil) : null,
    };
  }
  // Each attempt asks its own draw from the bank (decision 009); visitors who are not signed in see a sample.
  const drawn = drawQuestions(course.quiz, user?.id ?? "", course.slug, attemptNumber);
  // publicQuiz strips the correct options and explanations: they never reach the browser before a pass.
  const { questions } = publicQuiz({ ...course.quiz, questions: drawn.questions });
  const { title, introHtml, passPercent, maxAttempts, freeAttempts, cooldownMinutes } = course.quiz;
  // Answers given before signing up (decision 020), filled in on the learner's first attempt only.
  const carried =
    user && attemptNumber === 1
      ? carriedAnswers(
          request.headers.get("Cookie"),
          course.slug,
          questions.map((q) => q.id),
        )
      : {};
  return {
    course: { slug: course.slug, title: course.title },
    quiz: { title, introHtml, passPercent, maxAttempts, freeAttempts, cooldownMinutes, bankSize: course.quiz.questions.length, questions },
    learner,
    attemptNumber,
    carried,
    idempotencyKey: newIdempotencyKey(),
    openedAt: Date.now(), // for the attempt's duration in its xAPI statement (decision 023)
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const course = courseOf(params.course);
  const user = await getUser(request);
  const form = await readForm(request);
  if (!user) return keepVisitorAnswers(request, course, form);
  await requireUser(request); // a PIN still to change comes first
  const outcome = await submitQuizForm(user, course, form);
  if (outcome.kind === "recorded") throw redirect(outcome.location);
  return invalid({ error: outcome.error, selected: outcome.selected }, outcome.status);
}

/** A visitor's answers are kept on their phone, and they are asked to sign up to submit them (decision 020). */
function keepVisitorAnswers(request: Request, course: NonNullable<ReturnType<typeof findCourse>>, form: FormData) {
  const sample = drawQuestions(course.quiz, "", course.slug, 1);
  const { answers } = readAnswers(sample, (name) => form.getAll(name).map(String).slice(0, 10));
  const cookie = visitorQuizAnswers(request.headers.get("Cookie"), course, answers);
  const back = encodeURIComponent(`/khoa-hoc/${course.slug}/kiem-tra`);
  throw redirect(`/dang-ky?tiep=${back}&giu-bai=1`, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
}

export default function QuizPage() {
  const { course, quiz, learner, attemptNumber, carried, idempotencyKey, openedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const selected: Record<string, string[]> = result?.selected ?? carried;
  const blocked = learner && (learner.locked || learner.attemptsLeft === 0 || learner.waitSeconds > 0);
  const carriedCount = result ? 0 : Object.keys(carried).length;
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: "Bài kiểm tra" }]} />
      <h1>{quiz.title}</h1>
      {learner ? null : <VisitorNotice back={`/khoa-hoc/${course.slug}/kiem-tra`} />}
      {carriedCount ? (
        <p className="notice" role="status">
          {carriedCount} câu bạn đã trả lời trước khi đăng ký đã được điền sẵn bên dưới. Xem lại rồi bấm “Nộp bài”.
        </p>
      ) : null}
      <div dangerouslySetInnerHTML={{ __html: quiz.introHtml }} />
      <p className="notice">
        Gồm {quiz.questions.length} câu
        {quiz.bankSize > quiz.questions.length ? `, chọn ngẫu nhiên từ ${quiz.bankSize} câu hỏi của khóa; mỗi lần làm có thể gặp câu khác` : ""}. Cần đúng từ{" "}
        <strong>{quiz.passPercent}%</strong> để đạt.
        {quiz.maxAttempts ? ` Mỗi người được làm tối đa ${quiz.maxAttempts} lần.` : ""}
        {quiz.cooldownMinutes ? ` Nếu chưa đạt ${quiz.freeAttempts} lần liền, bạn cần chờ một thời gian để đọc lại bài rồi mới làm tiếp.` : ""}
        {learner?.passed ? " Bạn đã đạt bài kiểm tra này." : ""}
      </p>
      {learner?.locked ? (
        <div className="error-box">
          <p>
            Bài kiểm tra mở khi bạn học xong tất cả các bài của khóa. Bạn còn <strong>{learner.lessonsLeft}</strong> bài chưa học xong.
          </p>
          {learner.todo ? (
            <Link className="button" to={learner.todo.href}>
              Học tiếp: {learner.todo.title}
            </Link>
          ) : null}
        </div>
      ) : null}
      {learner && learner.attemptsLeft === 0 ? <p className="error-box">Bạn đã dùng hết số lần làm bài.</p> : null}
      {learner?.waitMessage ? <p className="error-box">{learner.waitMessage}</p> : null}
      <FormError message={result?.error} />
      {blocked ? null : (
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
                  // The option's text is HTML set inside the label, which the rule cannot see.
                  // eslint-disable-next-line jsx-a11y/label-has-associated-control
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
            <button type="submit">Nộp bài</button>
          ) : (
            <>
              <p className="hint">Câu trả lời được giữ trên máy này; sau khi đăng ký (hoặc đăng nhập), bạn bấm “Nộp bài” để chấm.</p>
              <button type="submit">Giữ câu trả lời và đăng ký để nộp bài</button>
            </>
          )}
        </Form>
      )}
    </>
  );
}
