import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { cohortMatrix, cohortSessions } from "~/cohorts/cohort-report.server";
import { requireCohort } from "~/cohorts/cohorts.server";
import { recordSession } from "~/cohorts/enrollment.server";
import { findCourse } from "~/courses/catalog.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Buổi học trực tiếp — Học vụ số Tây Ninh" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const members = (await cohortMatrix(cohort)).map((m) => ({ id: m.personId, name: m.fullName, attended: m.attended }));
  return {
    cohort: { id: cohort.id, name: cohort.name },
    courses: cohort.courses.map((slug) => ({ slug, title: findCourse(slug)!.title })),
    members,
    sessions: await cohortSessions(cohort.id),
    today: new Date().toISOString().slice(0, 10),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const form = await readForm(request);
  const result = await recordSession(user.id, cohort, formFields(form), form.getAll("attendees").map(String).slice(0, 500));
  if (!result.ok) return invalid({ errors: result.errors, message: null });
  const missing = result.notFound.length ? ` Không tìm thấy tài khoản: ${result.notFound.join(", ")}.` : "";
  const invited = result.invited.length
    ? ` Đã gửi lời mời vào lớp tới: ${result.invited.join(", ")}. Khi họ đồng ý trên tài khoản của mình, họ vào lớp và được ghi là có tham dự buổi này.`
    : "";
  const declined = result.declinedBefore.length
    ? ` ${result.declinedBefore.join(", ")} đã từ chối lời mời vào lớp này trước đây; nếu nay họ muốn tham gia, họ tự nhập mã lớp ${cohort.joinCode}.`
    : "";
  return data({ ok: true as const, errors: {}, message: `Đã ghi buổi học với ${result.attendees} người tham dự.${invited}${declined}${missing}` });
}

export default function Sessions() {
  const { cohort, courses, members, sessions, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <p className="no-print"><Link to={`/lop-hoc/${cohort.id}`}>← Về lớp {cohort.name}</Link></p>
      <h1>Buổi học trực tiếp</h1>
      <FormError message={Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu." : null} />
      {result?.message ? <p className="notice" role="status">{result.message}</p> : null}
      <Form method="post">
        <Field name="held_on" type="date" label="Ngày học" defaultValue={today} error={errors.held_on} required />
        <Field name="place" label="Nơi học" placeholder="Ví dụ: Nhà văn hóa ấp Bình Trung" error={errors.place} required />
        <Field name="topic" label="Nội dung" placeholder="Ví dụ: Cài và đăng nhập VNeID" error={errors.topic} required />
        <div className="field">
          <label htmlFor="course_slug">Khóa học liên quan</label>
          <select id="course_slug" name="course_slug">
            <option value="">— Không chọn —</option>
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>{c.title}</option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>Người tham dự ({members.length} học viên trong lớp)</legend>
          <div className="choices">
            {members.map((m) => (
              <label key={m.id}>
                <input type="checkbox" name="attendees" value={m.id} /> <span>{m.name}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field name="quick_add" label="Thêm nhanh người chưa có trong lớp" hint="Tên đăng nhập, cách nhau bằng dấu phẩy. Người bạn đã đăng ký hộ hoặc đã học lớp khác của bạn được thêm ngay; người khác nhận lời mời và tự đồng ý trên tài khoản của mình." />
        <button type="submit">Ghi buổi học</button>
      </Form>
      <h2>Các buổi đã ghi ({sessions.length})</h2>
      <ul>
        {sessions.map((s) => (
          <li key={s.id}>{s.held_on} — {s.topic} tại {s.place}: {s.attendees} người</li>
        ))}
      </ul>
      <h2>Số buổi mỗi người đã dự</h2>
      <ul>
        {members.map((m) => (
          <li key={m.id}>{m.name}: {m.attended}</li>
        ))}
      </ul>
    </>
  );
}
