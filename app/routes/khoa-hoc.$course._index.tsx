import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { VisitorNotice } from "~/ui/visitor-notice";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/accounts/session.server";
import { findCourse } from "~/courses/catalog.server";
import { courseStatus, lessonUnlocked, nextStep, quizUnlocked } from "~/learning/progress.server";
import { AUDIENCES, COURSE_SETS, DOMAINS, findCompetence } from "~/courses/framework";
import { formatMinutes } from "~/courses/text";
import { Breadcrumb } from "~/ui/breadcrumb";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.course.title} — Học vụ số Tây Ninh` : "Khóa học — Học vụ số Tây Ninh" },
  { name: "description", content: data?.course.summary ?? "" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const user = await getUser(request);
  const status = user ? await courseStatus(user.id, course) : null;
  const step = status ? nextStep(course, status) : null;
  return {
    progress: status && {
      percent: status.percent,
      completedAt: status.completedAt,
      completed: [...status.completedLessons],
      locked: course.lessons.filter((l) => !lessonUnlocked(course, status, l)).map((l) => l.slug),
      quizLocked: !quizUnlocked(course, status),
      quizPassed: status.quizPassed,
      next:
        step?.kind === "lesson"
          ? { href: `/khoa-hoc/${course.slug}/${step.lesson.slug}`, label: `Học tiếp: Bài ${step.lesson.number}. ${step.lesson.title}` }
          : step?.kind === "quiz"
            ? { href: `/khoa-hoc/${course.slug}/kiem-tra`, label: "Làm bài kiểm tra" }
            : null,
    },
    course: {
      slug: course.slug,
      title: course.title,
      summary: course.summary,
      introHtml: course.introHtml,
      audience: course.audience,
      sets: course.sets,
      minutes: course.minutes,
      sequential: course.sequential,
      competences: course.competences.map((code) => ({ code, name: findCompetence(code)?.name ?? code })),
      domains: course.domains.map((n) => DOMAINS.find((d) => d.number === n)!.name),
      lessons: course.lessons.map(({ slug, title, minutes, number }) => ({ slug, title, minutes, number })),
      quiz: { title: course.quiz.title, questionCount: course.quiz.questions.length, passPercent: course.quiz.passPercent },
    },
  };
}

export default function CoursePage() {
  const { course, progress } = useLoaderData<typeof loader>();
  const first = course.lessons[0];
  const done = new Set(progress?.completed ?? []);
  const locked = new Set(progress?.locked ?? []);
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { label: course.title }]} />
      <h1>{course.title}</h1>
      <p className="lead">{course.summary}</p>
      {progress ? null : <VisitorNotice back={`/khoa-hoc/${course.slug}`} />}
      <ul className="badges" aria-label="Thông tin khóa học">
        {course.sets.map((set) => (
          <li key={set} className="badge required">{COURSE_SETS[set]}</li>
        ))}
        {course.audience.map((a) => (
          <li key={a} className="badge">{AUDIENCES[a]}</li>
        ))}
      </ul>
      <p>
        <strong>{course.lessons.length} bài học</strong> và một bài kiểm tra {course.quiz.questionCount} câu · thời gian
        khoảng <strong>{formatMinutes(course.minutes)}</strong>
        {course.sequential ? " · học lần lượt từng bài" : ""}.
      </p>
      {progress ? (
        <div className="position">
          <span>{progress.completedAt ? <span className="done-mark">✓ Bạn đã hoàn thành khóa học</span> : `Bạn đã học ${progress.percent}%`}</span>
          <progress max={100} value={progress.percent} aria-label={`Tiến độ khóa học: ${progress.percent}%`} />
        </div>
      ) : null}
      {progress?.next && progress.percent > 0 ? (
        <div className="actions">
          <Link className="button" to={progress.next.href}>{progress.next.label}</Link>
        </div>
      ) : first && !progress?.completedAt ? (
        <div className="actions">
          <Link className="button" to={`/khoa-hoc/${course.slug}/${first.slug}`}>Bắt đầu học bài 1</Link>
        </div>
      ) : null}
      <div dangerouslySetInnerHTML={{ __html: course.introHtml }} />

      <h2>Các bài học</h2>
      <ol className="lesson-list">
        {course.lessons.map((lesson) => (
          <li key={lesson.slug}>
            <Link to={`/khoa-hoc/${course.slug}/${lesson.slug}`}>
              <span className="lesson-title">
                {done.has(lesson.slug) ? <span className="done-mark" aria-label="Đã học xong">✓ </span> : null}
                Bài {lesson.number}. {lesson.title}
              </span>
              <span className="meta">{locked.has(lesson.slug) ? "Chưa mở · " : ""}{lesson.minutes} phút</span>
            </Link>
          </li>
        ))}
        <li>
          <Link to={`/khoa-hoc/${course.slug}/kiem-tra`}>
            <span className="lesson-title">
              {progress?.quizPassed ? <span className="done-mark" aria-label="Đã đạt">✓ </span> : null}
              {course.quiz.title}
            </span>
            <span className="meta">{course.quiz.questionCount} câu · đạt từ {course.quiz.passPercent}%</span>
          </Link>
        </li>
      </ol>

      <h2>Năng lực số bạn sẽ rèn luyện</h2>
      <p className="muted">Theo khung năng lực số (Thông tư 02/2025/TT-BGDĐT), miền: {course.domains.join("; ")}.</p>
      <ul>
        {course.competences.map((c) => (
          <li key={c.code}>
            <strong>{c.code}</strong> — {c.name}
          </li>
        ))}
      </ul>
      <p><Link to="/nang-luc-so">Tìm hiểu khung năng lực số</Link></p>
    </>
  );
}
