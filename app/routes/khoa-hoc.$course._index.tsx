import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getUser, requireUser } from "~/accounts/session.server";
import { publicTask } from "~/courses/services";
import { reportTaskDone, taskStates } from "~/learning/practice-tasks.server";
import { PracticeTasks, Sources } from "~/ui/practice-tasks";
import { formFields, readForm } from "~/ui/forms.server";
import { VisitorNotice } from "~/ui/visitor-notice";
import { findCourse } from "~/courses/catalog.server";
import { courseStatus, lessonUnlocked, nextStep, quizUnlocked } from "~/learning/progress.server";
import { DOMAINS, findCompetence } from "~/courses/framework";
import { formatMinutes } from "~/courses/text";
import { Breadcrumb } from "~/ui/breadcrumb";
import { CourseBadges } from "~/ui/course-card";
import { notFound } from "~/ui/http.server";
import type { RouteHandle } from "~/serving/routes.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.course.title} — Học vụ số Tây Ninh` : "Khóa học — Học vụ số Tây Ninh" },
  { name: "description", content: data?.course.summary ?? "" },
];

// Anonymous visitors get the same page for the same URL and content: kept by URL (decision 014).
export const handle: RouteHandle = { publicCache: true };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const user = await getUser(request);
  const status = user ? await courseStatus(user.id, course) : null;
  const step = status ? nextStep(course, status) : null;
  const states = user ? await taskStates(user.id, course.slug) : new Map();
  const saved = new URL(request.url).searchParams.get("da-ghi");
  return {
    signedIn: Boolean(user),
    saved: course.tasks.find((t) => t.id === saved)?.title ?? null,
    tasks: course.tasks.map((t) => ({
      ...publicTask(t),
      selfReportedAt: states.get(`${course.slug}/${t.id}`)?.selfReportedAt ?? null,
      confirmedAt: states.get(`${course.slug}/${t.id}`)?.confirmedAt ?? null,
      confirmedBy: states.get(`${course.slug}/${t.id}`)?.confirmedBy ?? null,
    })),
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
      sector: course.sector,
      sources: course.sources,
      competences: course.competences.map((code) => ({ code, name: findCompetence(code)?.name ?? code })),
      domains: course.domains.map((n) => DOMAINS.find((d) => d.number === n)!.name),
      lessons: course.lessons.map(({ slug, title, minutes, number }) => ({ slug, title, minutes, number })),
      quiz: { title: course.quiz.title, questionCount: course.quiz.questions.length, passPercent: course.quiz.passPercent },
    },
  };
}

/** A learner reports a practice task done, answering its self-check question (decision 021). */
export async function action({ request, params }: ActionFunctionArgs) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const user = await requireUser(request);
  const fields = formFields(await readForm(request));
  const task = (fields.task ?? "").slice(0, 80);
  if (fields.intent !== "task-done") return data({ task, error: "Thao tác không hợp lệ." }, { status: 400 });
  const result = await reportTaskDone(user.id, course.slug, task, fields.answer ?? "");
  if (!result.ok) return data({ task, error: result.error }, { status: result.status });
  throw redirect(`/khoa-hoc/${course.slug}?da-ghi=${encodeURIComponent(task)}#nhiem-vu-${task}`);
}

export default function CoursePage() {
  const { course, progress, tasks, signedIn, saved } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const first = course.lessons[0];
  const done = new Set(progress?.completed ?? []);
  const locked = new Set(progress?.locked ?? []);
  return (
    <>
      <Breadcrumb items={[{ to: "/khoa-hoc", label: "Khóa học" }, { label: course.title }]} />
      <h1>{course.title}</h1>
      <p className="lead">{course.summary}</p>
      {progress ? null : <VisitorNotice back={`/khoa-hoc/${course.slug}`} />}
      <CourseBadges course={course} />
      {saved ? (
        <p className="notice" role="status">
          Đã ghi nhận: {saved}.
        </p>
      ) : null}
      <p>
        <strong>{course.lessons.length} bài học</strong> và một bài kiểm tra {course.quiz.questionCount} câu · thời gian khoảng{" "}
        <strong>{formatMinutes(course.minutes)}</strong>
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
          <Link className="button" to={progress.next.href}>
            {progress.next.label}
          </Link>
        </div>
      ) : first && !progress?.completedAt ? (
        <div className="actions">
          <Link className="button" to={`/khoa-hoc/${course.slug}/${first.slug}`}>
            Bắt đầu học bài 1
          </Link>
        </div>
      ) : null}
      <div dangerouslySetInnerHTML={{ __html: course.introHtml }} />
      {/* Shown by /app/doc.js where the browser can keep pages (decision 025); without JavaScript it stays hidden. */}
      <div
        className="save-offline"
        hidden
        data-save-course={course.slug}
        data-title={course.title}
        data-urls={course.lessons.map((l) => `/khoa-hoc/${course.slug}/${l.slug}`).join(" ")}
      >
        <button type="button" className="secondary">
          Lưu để đọc khi không có mạng
        </button>
        <p role="status" className="hint" />
      </div>

      <h2>Các bài học</h2>
      <ol className="lesson-list">
        {course.lessons.map((lesson) => (
          <li key={lesson.slug}>
            <Link to={`/khoa-hoc/${course.slug}/${lesson.slug}`}>
              <span className="lesson-title">
                {done.has(lesson.slug) ? (
                  <span className="done-mark" aria-label="Đã học xong">
                    ✓{" "}
                  </span>
                ) : null}
                Bài {lesson.number}. {lesson.title}
              </span>
              <span className="meta">
                {locked.has(lesson.slug) ? "Chưa mở · " : ""}
                {lesson.minutes} phút
              </span>
            </Link>
          </li>
        ))}
        <li>
          <Link to={`/khoa-hoc/${course.slug}/kiem-tra`}>
            <span className="lesson-title">
              {progress?.quizPassed ? (
                <span className="done-mark" aria-label="Đã đạt">
                  ✓{" "}
                </span>
              ) : null}
              {course.quiz.title}
            </span>
            <span className="meta">
              {course.quiz.questionCount} câu · đạt từ {course.quiz.passPercent}%
            </span>
          </Link>
        </li>
      </ol>

      <h2>Năng lực số bạn sẽ rèn luyện</h2>
      <p className="muted">
        Mã năng lực theo Khung năng lực số của Thông tư 02/2025/TT-BGDĐT (với người dân và cán bộ, khung áp dụng là Quyết định 757/QĐ-BKHCN;{" "}
        <Link to="/nang-luc-so">xem giải thích</Link>), miền: {course.domains.join("; ")}.
      </p>
      <ul>
        {course.competences.map((c) => (
          <li key={c.code}>
            <strong>{c.code}</strong> — {c.name}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/nang-luc-so">Tìm hiểu khung năng lực số</Link>
      </p>

      <PracticeTasks
        tasks={tasks}
        signedIn={signedIn}
        loginHref={`/dang-nhap?tiep=${encodeURIComponent(`/khoa-hoc/${course.slug}`)}`}
        errorFor={failed ?? null}
      />
      <Sources sources={course.sources} />
    </>
  );
}
