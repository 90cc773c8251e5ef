import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { findCourse } from "~/courses/catalog.server";
import { findAttempt } from "~/learning/attempts.server";
import { certificatesOf } from "~/learning/certificates.server";
import { attemptFeedback } from "~/learning/feedback.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { notFound } from "~/ui/http.server";
import { useNonce } from "~/ui/nonce";

export const meta: MetaFunction = () => [{ title: "Kết quả bài kiểm tra — Học vụ số Tây Ninh" }];

// Feedback after submitting (decision 009): before a pass, the score and lessons to read again; after a pass,
// which questions were wrong, with the explanations. Only the attempt's owner sees it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const id = Number(params.attempt);
  const attempt = Number.isSafeInteger(id) && id > 0 ? await findAttempt(id) : undefined;
  if (!attempt || attempt.person_id !== user.id || attempt.course_slug !== course.slug) notFound("Không tìm thấy bài làm này.");
  const [feedback, certificates] = await Promise.all([attemptFeedback(user.id, course, attempt), certificatesOf(user.id)]);
  const certificate = certificates.find((c) => c.courseSlug === course.slug);
  return {
    course: { slug: course.slug, title: course.title, passPercent: course.quiz.passPercent },
    certificateCode: attempt.passed === 1 ? (certificate?.code ?? null) : null,
    ...feedback,
  };
}

export default function AttemptResult() {
  const { course, attempt, certificateCode, reviewOpen, lessonsToReview, nextTry, questions, attemptsLeft } = useLoaderData<typeof loader>();
  const wrong = questions.filter((q) => !q.right);
  const nonce = useNonce();
  const mayRetake = !attempt.passed && !nextTry && attemptsLeft !== 0;
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: "Kết quả" }]} />
      <h1>{attempt.passed ? "Chúc mừng, bạn đã đạt!" : "Bạn chưa đạt lần này"}</h1>
      <p className={attempt.passed ? "notice" : "error-box"} role="status" id="ket-qua" tabIndex={-1}>
        Bạn trả lời đúng{" "}
        <strong>
          {attempt.correct}/{attempt.total}
        </strong>{" "}
        câu ({attempt.percent}%). Cần từ {course.passPercent}% để đạt.
      </p>
      {certificateCode ? (
        <p>
          <Link className="button" to={`/ca-nhan/chung-chi/${certificateCode}`}>
            Xem chứng nhận của bạn
          </Link>
        </p>
      ) : attempt.passed ? (
        <p>
          Hãy học xong tất cả các bài của khóa để nhận chứng nhận. <Link to={`/khoa-hoc/${course.slug}`}>Xem các bài còn lại</Link>
        </p>
      ) : reviewOpen ? (
        <p>Đọc lại giải thích các câu sai bên dưới.</p>
      ) : (
        <>
          <h2>Nên đọc lại các bài này</h2>
          <ul className="link-list">
            {lessonsToReview.map((l) => (
              <li key={l.slug}>
                <Link to={`/khoa-hoc/${course.slug}/${l.slug}`}>{l.title}</Link>
              </li>
            ))}
          </ul>
          <p>Lần làm sau sẽ có câu hỏi khác. Đáp án và lời giải thích từng câu sẽ hiện ra sau khi bạn đạt bài kiểm tra. {nextTry}</p>
        </>
      )}
      {reviewOpen && wrong.length ? <h2>Các câu chưa đúng ({wrong.length})</h2> : null}
      {wrong.map((q) => (
        <section key={q.id} className="question result-wrong" aria-labelledby={`q-${q.id}`}>
          <h3 id={`q-${q.id}`}>
            Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} />
          </h3>
          <p>Bạn đã chọn: {q.chosen.length ? <span dangerouslySetInnerHTML={{ __html: q.chosen.join("; ") }} /> : "(không chọn)"}</p>
          {q.missed.length ? (
            <p>
              Đáp án đúng bạn chưa chọn: <span dangerouslySetInnerHTML={{ __html: q.missed.join("; ") }} />
            </p>
          ) : null}
          <div>
            <strong>Giải thích:</strong> <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
          </div>
        </section>
      ))}
      {reviewOpen ? <h2>Các câu đã đúng ({questions.length - wrong.length})</h2> : null}
      {questions
        .filter((q) => q.right)
        .map((q) => (
          <details key={q.id} className="result-right">
            <summary>
              Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} />
            </summary>
            <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
          </details>
        ))}
      {mayRetake ? (
        <div className="actions">
          <Link className="button" to={`/khoa-hoc/${course.slug}/kiem-tra`}>
            Làm lại bài kiểm tra
          </Link>
          <Link className="button secondary" to={`/khoa-hoc/${course.slug}`}>
            Về khóa học
          </Link>
        </div>
      ) : null}
      {/* The page works without it; with JavaScript, focus lands on the result so a screen reader reads it first. */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: `document.getElementById("ket-qua").focus()` }} />
    </>
  );
}
