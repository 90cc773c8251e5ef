import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { findCourse } from "~/courses/catalog.server";
import { findAttempt } from "~/learning/attempts.server";
import { certificatesOf } from "~/learning/certificates.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction = () => [{ title: "Kết quả bài kiểm tra — Học vụ số Tây Ninh" }];

// Feedback after submitting: which questions were wrong, with the explanation. Only the attempt's owner sees it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const id = Number(params.attempt);
  const attempt = Number.isSafeInteger(id) && id > 0 ? await findAttempt(id) : undefined;
  if (!attempt || attempt.person_id !== user.id || attempt.course_slug !== course.slug) notFound("Không tìm thấy bài làm này.");
  const answers = new Map(attempt.answers.map((a) => [a.question_id, a]));
  const certificate = (await certificatesOf(user.id)).find((c) => c.courseSlug === course.slug);
  return {
    course: { slug: course.slug, title: course.title, passPercent: course.quiz.passPercent },
    attempt: { correct: attempt.correct_count, total: attempt.question_count, percent: attempt.percent, passed: attempt.passed === 1 },
    certificateCode: attempt.passed === 1 ? certificate?.code ?? null : null,
    questions: course.quiz.questions.map((q) => {
      const answer = answers.get(q.id);
      const chosen = answer?.selected ? answer.selected.split(",") : [];
      return {
        id: q.id,
        number: q.number,
        stemHtml: q.stemHtml,
        right: answer?.is_correct === 1,
        chosen: q.options.filter((o) => chosen.includes(o.id)).map((o) => o.html),
        explanationHtml: q.explanationHtml,
      };
    }),
  };
}

export default function AttemptResult() {
  const { course, attempt, certificateCode, questions } = useLoaderData<typeof loader>();
  const wrong = questions.filter((q) => !q.right);
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: "Kết quả" }]} />
      <h1>{attempt.passed ? "Chúc mừng, bạn đã đạt!" : "Bạn chưa đạt lần này"}</h1>
      <p className={attempt.passed ? "notice" : "error-box"} role="status">
        Bạn trả lời đúng <strong>{attempt.correct}/{attempt.total}</strong> câu ({attempt.percent}%). Cần từ {course.passPercent}% để đạt.
      </p>
      {certificateCode ? (
        <p><Link className="button" to={`/ca-nhan/chung-chi/${certificateCode}`}>Xem chứng nhận của bạn</Link></p>
      ) : attempt.passed ? (
        <p>Hãy học xong tất cả các bài của khóa để nhận chứng nhận. <Link to={`/khoa-hoc/${course.slug}`}>Xem các bài còn lại</Link></p>
      ) : (
        <p>Đọc lại giải thích các câu sai bên dưới rồi <Link to={`/khoa-hoc/${course.slug}/kiem-tra`}>làm lại bài kiểm tra</Link>.</p>
      )}
      {wrong.length ? <h2>Các câu chưa đúng ({wrong.length})</h2> : null}
      {wrong.map((q) => (
        <section key={q.id} className="question result-wrong" aria-labelledby={`q-${q.id}`}>
          <h3 id={`q-${q.id}`}>Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} /></h3>
          <p>Bạn đã chọn: {q.chosen.length ? <span dangerouslySetInnerHTML={{ __html: q.chosen.join("; ") }} /> : "(không chọn)"}</p>
          <div><strong>Giải thích:</strong> <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} /></div>
        </section>
      ))}
      <h2>Các câu đã đúng ({questions.length - wrong.length})</h2>
      {questions.filter((q) => q.right).map((q) => (
        <details key={q.id} className="result-right">
          <summary>Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} /></summary>
          <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
        </details>
      ))}
    </>
  );
}
