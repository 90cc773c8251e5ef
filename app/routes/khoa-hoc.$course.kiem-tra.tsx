import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findCourse, publicQuiz } from "~/courses/catalog.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.quiz.title} — ${data.course.title}` : "Bài kiểm tra — Học vụ số Tây Ninh" },
];

export function loader({ params }: LoaderFunctionArgs) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  // publicQuiz strips the correct options and explanations: they never reach the browser before submission.
  return { course: { slug: course.slug, title: course.title }, quiz: publicQuiz(course.quiz) };
}

export default function QuizPage() {
  const { course, quiz } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: "Bài kiểm tra" }]} />
      <h1>{quiz.title}</h1>
      <div dangerouslySetInnerHTML={{ __html: quiz.introHtml }} />
      <p className="notice">
        Gồm {quiz.questions.length} câu. Cần đúng từ <strong>{quiz.passPercent}%</strong> để đạt.
      </p>
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
                <input type={q.kind === "multiple" ? "checkbox" : "radio"} name={`q-${q.id}`} value={o.id} />
                <span dangerouslySetInnerHTML={{ __html: o.html }} />
              </label>
            ))}
          </div>
        </fieldset>
      ))}
    </>
  );
}
