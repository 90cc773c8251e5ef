import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findCourse, findLesson } from "~/courses/catalog.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} — ${data.course.title}` : "Bài học — Học vụ số Tây Ninh" },
];

export function loader({ params }: LoaderFunctionArgs) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const lesson = findLesson(course, params.lesson ?? "") ?? notFound("Không tìm thấy bài học này.");
  const prev = course.lessons[lesson.number - 2];
  const next = course.lessons[lesson.number];
  return {
    course: { slug: course.slug, title: course.title, lessonCount: course.lessons.length, quizTitle: course.quiz.title },
    lesson: { slug: lesson.slug, number: lesson.number, title: lesson.title, minutes: lesson.minutes, html: lesson.html },
    prev: prev ? { slug: prev.slug, title: prev.title } : null,
    next: next ? { slug: next.slug, title: next.title } : null,
  };
}

export default function LessonPage() {
  const { course, lesson, prev, next } = useLoaderData<typeof loader>();
  return (
    <article>
      <Breadcrumb
        items={[
          { to: "/khoa-hoc", label: "Khóa học" },
          { to: `/khoa-hoc/${course.slug}`, label: course.title },
          { label: `Bài ${lesson.number}` },
        ]}
      />
      <div className="position">
        <span>Bài {lesson.number}/{course.lessonCount} · {lesson.minutes} phút đọc</span>
        <progress max={course.lessonCount} value={lesson.number} aria-label={`Đang ở bài ${lesson.number} trên ${course.lessonCount}`} />
      </div>
      <h1>{lesson.title}</h1>
      <div className="lesson-body" dangerouslySetInnerHTML={{ __html: lesson.html }} />
      <nav className="pager" aria-label="Chuyển bài">
        {prev ? (
          <Link to={`/khoa-hoc/${course.slug}/${prev.slug}`} rel="prev">
            <small>← Bài trước</small>
            {prev.title}
          </Link>
        ) : (
          <Link to={`/khoa-hoc/${course.slug}`}>
            <small>← Về khóa học</small>
            {course.title}
          </Link>
        )}
        {next ? (
          <Link className="next" to={`/khoa-hoc/${course.slug}/${next.slug}`} rel="next">
            <small>Bài tiếp theo →</small>
            {next.title}
          </Link>
        ) : (
          <Link className="next" to={`/khoa-hoc/${course.slug}/kiem-tra`}>
            <small>Bước cuối →</small>
            {course.quizTitle}
          </Link>
        )}
      </nav>
    </article>
  );
}
