import { sessionLabel } from "~/ui/session-label";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { pinResetRefusal, taskConfirmationRefusal } from "~/accounts/permissions.server";
import { confirmTask, taskStates } from "~/learning/practice-tasks.server";
import { formatDate } from "~/ui/certificate";
import { requireUser } from "~/accounts/session.server";
import { learnerDetail } from "~/cohorts/cohort-report.server";
import { requireCohort, requireMember } from "~/cohorts/cohorts.server";
import { resetMemberPin } from "~/cohorts/enrollment.server";
import { startSupervision } from "~/accounts/supervision.server";
import { findCourse, getCatalog } from "~/courses/catalog.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";
import { LoginCard } from "~/ui/login-card";
import { cardPlace } from "~/ui/card-place.server";
import { AttemptsTable } from "~/ui/attempts-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.learner.full_name ?? "Học viên"} — Học vụ số Tây Ninh` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const learner = await requireMember(cohort, params.person);
  const detail = await learnerDetail(cohort, learner.id);
  const states = await taskStates(learner.id);
  return {
    // Practice tasks of every course (they are done in real life, not only in this cohort's courses).
    tasks: getCatalog()
      .courses.filter((c) => c.tasks.length > 0)
      .map((c) => ({
        slug: c.slug,
        title: c.title,
        tasks: c.tasks.map((t) => ({
          id: t.id,
          title: t.title,
          ...(states.get(`${c.slug}/${t.id}`) ?? { selfReportedAt: null, confirmedAt: null, confirmedBy: null }),
        })),
      })),
    confirmRefusal: await taskConfirmationRefusal(user, cohort.id, learner.id),
    cohort: { id: cohort.id, name: cohort.name },
    learner: {
      id: learner.id,
      full_name: learner.full_name,
      username: learner.username,
      birth_year: learner.birth_year,
      joined_at: learner.joined_at,
      consent_method: learner.consent_method,
      consent_at: learner.consent_at,
    },
    courses: cohort.courses.map((slug) => {
      const course = findCourse(slug)!;
      return {
        slug,
        title: course.title,
        lessons: course.lessons.map((l) => ({
          slug: l.slug,
          title: l.title,
          state: detail.lessons.find((x) => x.course_slug === slug && x.lesson_slug === l.slug),
        })),
      };
    }),
    attempts: detail.attempts,
    pinRefusal: await pinResetRefusal(user, learner),
    attendance: detail.attendance,
    lastActivity:
      [...detail.lessons.flatMap((l) => [l.first_viewed_at, l.completed_at]), ...detail.attempts.map((a) => a.submitted_at)].filter(Boolean).sort().at(-1) ??
      null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const learner = await requireMember(cohort, params.person);
  const fields = formFields(await readForm(request));
  if (fields.intent === "reset-pin") {
    const reset = await resetMemberPin(user, learner.id);
    if (!reset.ok) return invalid({ error: reset.error, card: null, place: null }, 403);
    return data({ ok: true as const, card: reset.card, place: await cardPlace(request, cohort.joinCode), error: null });
  }
  if (fields.intent === "confirm-task") {
    const result = await confirmTask(user, cohort.id, learner.id, fields.course ?? "", fields.task ?? "");
    if (!result.ok) return invalid({ error: result.error, card: null }, result.status);
    throw redirect(`/lop-hoc/${cohort.id}/hoc-vien/${learner.id}?da-xac-nhan=1#nhiem-vu`);
  }
  if (fields.intent === "supervise") {
    const course = cohort.courses.includes(fields.course ?? "") ? fields.course! : cohort.courses[0];
    const started = await startSupervision(user.id, cohort.id, learner, fields.secret ?? "");
    if (!started.ok) return invalid({ error: started.error, card: null, place: null }, started.status);
    throw redirect(`/khoa-hoc/${course}`, { headers: { "Set-Cookie": started.cookie } });
  }
  return invalid({ error: "Thao tác không hợp lệ.", card: null, place: null });
}

export default function LearnerPage() {
  const { cohort, learner, courses, attempts, attendance, lastActivity, pinRefusal, tasks, confirmRefusal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const title = (slug: string) => courses.find((c) => c.slug === slug)?.title ?? slug;
  return (
    <>
      <p className="no-print">
        <Link to={`/lop-hoc/${cohort.id}`}>← Về lớp {cohort.name}</Link>
      </p>
      <h1>{learner.full_name}</h1>
      <p className="muted">
        {learner.username} · sinh năm {learner.birth_year} · vào lớp {learner.joined_at.slice(0, 10)} · hoạt động gần nhất{" "}
        {lastActivity ? lastActivity.slice(0, 10) : "chưa có"}
        {learner.consent_method.startsWith("assisted:") ? ` · đồng ý qua người hướng dẫn ngày ${learner.consent_at.slice(0, 10)}` : ""}
      </p>
      <FormError message={result && !result.ok ? result.error : null} />
      {result?.ok && result.card && result.place ? (
        <>
          <p className="notice" role="status">
            Đã tạo mã PIN mới. Đưa thẻ này cho người học; mã cũ không còn dùng được.
          </p>
          <LoginCard card={result.card} place={result.place} />
        </>
      ) : null}

      <h2>Học trên máy của tôi (có giám sát)</h2>
      <p>Đưa điện thoại cho người học. Người học tự nhập mã PIN hoặc mật khẩu; bài học và bài kiểm tra được ghi cho người học, không ghi cho bạn.</p>
      <Form method="post">
        <input type="hidden" name="intent" value="supervise" />
        <div className="field">
          <label htmlFor="course">Khóa học</label>
          <select id="course" name="course">
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <Field name="secret" type="password" label={`Mã PIN hoặc mật khẩu của ${learner.full_name}`} autoComplete="off" required />
        <button type="submit">Bắt đầu học</button>
      </Form>

      <h2>Tiến độ</h2>
      {courses.map((c) => (
        <details key={c.slug}>
          <summary>
            {c.title}: {c.lessons.filter((l) => l.state?.completed_at).length}/{c.lessons.length} bài
          </summary>
          <ul>
            {c.lessons.map((l) => (
              <li key={l.slug}>
                {l.state?.completed_at ? "✓ " : l.state ? "• " : "○ "}
                {l.title}
              </li>
            ))}
          </ul>
        </details>
      ))}

      <h2>Bài kiểm tra</h2>
      {attempts.length ? (
        <AttemptsTable label="Các lần làm bài kiểm tra" attempts={attempts.map((a) => ({ ...a, courseTitle: title(a.course_slug) }))} linkToResult={false} />
      ) : (
        <p className="muted">Chưa làm bài kiểm tra nào.</p>
      )}

      <h2>Buổi học trực tiếp đã tham dự ({attendance.length})</h2>
      <ul>
        {attendance.map((a, i) => (
          <li key={i}>{sessionLabel(a)}</li>
        ))}
      </ul>

      <h2 id="nhiem-vu">Nhiệm vụ thực hành</h2>
      <p>
        Khi thấy {learner.full_name} tự làm một nhiệm vụ trên điện thoại của mình, bấm “Xác nhận”. Hệ thống ghi tên bạn và thời điểm xác nhận, tách riêng với
        việc người học tự báo.
      </p>
      {search.get("da-xac-nhan") ? (
        <p className="notice" role="status">
          Đã ghi nhận xác nhận của bạn.
        </p>
      ) : null}
      {confirmRefusal ? <p className="muted">{confirmRefusal}</p> : null}
      {tasks.map((c) => (
        <details key={c.slug}>
          <summary>
            {c.title}: {c.tasks.filter((t) => t.confirmedAt).length}/{c.tasks.length} đã xác nhận
          </summary>
          <ul className="task-list">
            {c.tasks.map((t) => (
              <li key={t.id}>
                <strong>{t.title}</strong>
                <br />
                {t.selfReportedAt ? `Người học tự báo ngày ${formatDate(t.selfReportedAt)}. ` : "Người học chưa tự báo. "}
                {t.confirmedAt ? `✓ ${t.confirmedBy ?? "Người hướng dẫn"} đã xác nhận ngày ${formatDate(t.confirmedAt)}.` : null}
                {!t.confirmedAt && !confirmRefusal ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="confirm-task" />
                    <input type="hidden" name="course" value={c.slug} />
                    <input type="hidden" name="task" value={t.id} />
                    <button type="submit" className="secondary" aria-label={`Xác nhận: ${t.title}`}>
                      Xác nhận đã làm trực tiếp
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ))}

      <h2>Quên mật khẩu?</h2>
      {pinRefusal === null ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reset-pin" />
          <button type="submit" className="secondary">
            Tạo mã PIN mới cho {learner.full_name}
          </button>
        </Form>
      ) : (
        <p>{pinRefusal}</p>
      )}
    </>
  );
}
