import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/accounts/session.server";
import { findCourse, findLesson } from "~/courses/catalog.server";
import { completeLesson, courseStatus, lessonUnlocked, nextStep, recordLessonView } from "~/learning/progress.server";
import { visitorReadLesson } from "~/learning/visitor-work.server";
import { VisitorNotice } from "~/ui/visitor-notice";
import { logOncePerBurst, unavailableKind } from "~/operations/errors.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { withWriteDeadline } from "../../db/resilient-driver";
import type { RouteHandle } from "~/serving/routes.server";
import { readForm } from "~/ui/forms.server";
import { badRequest, httpError, notFound } from "~/ui/http.server";
import { ReadAloud } from "~/ui/read-aloud";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} — ${data.course.title}` : "Bài học — Học vụ số Tây Ninh" },
];

// The page is a function of its URL and loader data only: signed-in views are served from the page cache, and
// anonymous visitors get the same page for the same URL and content (decision 014).
export const handle: RouteHandle = { renderCache: true, publicCache: true };

function lookup(params: LoaderFunctionArgs["params"]) {
  const course = findCourse(params.course ?? "") ?? notFound("Không tìm thấy khóa học này.");
  const lesson = findLesson(course, params.lesson ?? "") ?? notFound("Không tìm thấy bài học này.");
  return { course, lesson };
}

/**
 * Noting "last read" is a convenience: when the database cannot take the write right now (locked elsewhere,
 * disk low) the lesson is still shown, at once — the write does not wait for the lock (decision 013).
 */
async function recordViewIfPossible(...args: Parameters<typeof recordLessonView>): Promise<void> {
  try {
    await withWriteDeadline(0, () => recordLessonView(...args));
  } catch (error) {
    if (!unavailableKind(error)) throw error;
    logOncePerBurst(error, "lesson-view");
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { course, lesson } = lookup(params);
  const user = await getUser(request);
  let progress: { completed: boolean; locked: boolean; todo: { href: string; title: string } | null } | null = null;
  if (user) {
    const status = await courseStatus(user.id, course);
    const locked = !lessonUnlocked(course, status, lesson);
    if (!locked) await recordViewIfPossible(user.id, course.slug, lesson.slug, status);
    const step = nextStep(course, status);
    progress = {
      completed: status.completedLessons.has(lesson.slug),
      locked,
      todo: step.kind === "lesson" ? { href: `/khoa-hoc/${course.slug}/${step.lesson.slug}`, title: step.lesson.title } : null,
    };
  }
  const prev = course.lessons[lesson.number - 2];
  const next = course.lessons[lesson.number];
  return {
    course: { slug: course.slug, title: course.title, lessonCount: course.lessons.length, quizTitle: course.quiz.title },
    lesson: {
      slug: lesson.slug,
      number: lesson.number,
      title: lesson.title,
      minutes: lesson.minutes,
      html: progress?.locked ? "" : lesson.html,
      pronounce: lesson.pronounce,
    },
    prev: prev ? { slug: prev.slug, title: prev.title } : null,
    next: next ? { slug: next.slug, title: next.title } : null,
    signedIn: Boolean(user),
    progress,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { course, lesson } = lookup(params);
  const user = await getUser(request);
  const form = await readForm(request);
  if (form.get("intent") !== "complete") badRequest("Thao tác không hợp lệ. Hãy bấm nút “Tôi đã học xong bài này”.");
  const next = course.lessons[lesson.number];
  const onward = next ? `/khoa-hoc/${course.slug}/${next.slug}` : `/khoa-hoc/${course.slug}/kiem-tra`;
  // A mark queued on the device while offline (decision 025) comes with a key and wants a plain answer.
  const key = form.get("idempotency_key");
  // Signed out since the mark was queued: the device keeps it until someone signs in again.
  if (!user && key !== null) throw redirect(`/dang-nhap?tiep=${encodeURIComponent(`/khoa-hoc/${course.slug}/${lesson.slug}`)}`);
  if (!user) {
    // A visitor: kept on their phone until they sign up (decision 020), in the same order rule as for learners.
    const cookie = visitorReadLesson(request.headers.get("Cookie"), course, lesson.slug);
    if (!cookie) throw httpError(409, "Hãy học xong các bài trước rồi mới đánh dấu bài này.");
    throw redirect(onward, { headers: { "Set-Cookie": cookie } });
  }
  if (user.mustChangePassword && !user.supervisedBy) throw redirect("/ca-nhan/doi-mat-khau");
  if (key !== null && !/^[A-Za-z0-9-]{8,64}$/.test(String(key))) badRequest("Mã gửi lại không hợp lệ. Hãy tải lại trang rồi bấm lại.");
  // Recorded once however often it is sent: completion is one row per person and lesson, and its time is the
  // first one (completeLesson keeps it), so a key sent again — or a second key for the same lesson — changes nothing.
  if ((await completeLesson(user.id, course, lesson.slug)) === "locked") {
    throw httpError(409, "Hãy học xong các bài trước rồi mới đánh dấu bài này.");
  }
  if (key !== null) return new Response(null, { status: 204 });
  throw redirect(onward);
}

export default function LessonPage() {
  const { course, lesson, prev, next, signedIn, progress } = useLoaderData<typeof loader>();
  return (
    <article>
      <Breadcrumb
        items={[{ to: "/khoa-hoc", label: "Khóa học" }, { to: `/khoa-hoc/${course.slug}`, label: course.title }, { label: `Bài ${lesson.number}` }]}
      />
      <div className="position">
        <span>
          Bài {lesson.number}/{course.lessonCount} · {lesson.minutes} phút đọc
        </span>
        <progress max={course.lessonCount} value={lesson.number} aria-label={`Đang ở bài ${lesson.number} trên ${course.lessonCount}`} />
      </div>
      <h1>{lesson.title}</h1>
      {progress?.locked ? null : <ReadAloud />}
      {!signedIn ? <VisitorNotice back={`/khoa-hoc/${course.slug}/${lesson.slug}`} /> : null}
      {progress?.locked ? (
        <div className="notice" role="status">
          <p>Khóa học này học lần lượt từng bài. Hãy học xong các bài trước đã.</p>
          {progress.todo ? (
            <Link className="button" to={progress.todo.href}>
              Đến bài cần học: {progress.todo.title}
            </Link>
          ) : null}
        </div>
      ) : (
        <div
          className="lesson-body"
          // How to say some words when the lesson is read aloud (decision 025).
          data-pronounce={Object.keys(lesson.pronounce).length ? JSON.stringify(lesson.pronounce) : undefined}
          dangerouslySetInnerHTML={{ __html: lesson.html }}
        />
      )}
      {!progress || !progress.locked ? (
        progress?.completed ? (
          <p className="done-mark">✓ Bạn đã học xong bài này.</p>
        ) : (
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="complete">
              Tôi đã học xong bài này{next ? " — sang bài tiếp" : " — làm bài kiểm tra"}
            </button>
          </Form>
        )
      ) : null}
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
