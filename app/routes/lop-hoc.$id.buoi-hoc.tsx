import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { cohortMatrix, cohortSessions } from "~/cohorts/cohort-report.server";
import { requireCohort } from "~/cohorts/cohorts.server";
import { planQuickAdd, recordSession, sessionFieldErrors, unknownNamesError } from "~/cohorts/enrollment.server";
import { SessionList } from "~/ui/session-label";
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

type SessionForm = { held_on: string; place: string; topic: string; course_slug: string; quick_add: string; attendees: string[] };

const OUTCOME_WORDS = {
  present: "đã có trong lớp, được ghi là có mặt",
  joins: "vào lớp ngay và được ghi là có mặt",
  invited: "nhận lời mời vào lớp; được tính có mặt khi họ đồng ý trên tài khoản của mình",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const form = await readForm(request);
  const fields = formFields(form);
  const attendees = form.getAll("attendees").map(String).slice(0, 500);
  const values: SessionForm = {
    held_on: (fields.held_on ?? "").slice(0, 20),
    place: (fields.place ?? "").slice(0, 200),
    topic: (fields.topic ?? "").slice(0, 200),
    course_slug: (fields.course_slug ?? "").slice(0, 100),
    quick_add: (fields.quick_add ?? "").slice(0, 2000),
    attendees,
  };
  // Quick add is shown back before anything is saved (issue 18 item 9): names typed from memory go wrong, and an
  // invitation cannot be taken back. The confirmation carries the exact text confirmed; a changed list is checked again.
  const quickAdd = values.quick_add.trim();
  if (quickAdd && fields.xac_nhan !== quickAdd) {
    const errors = sessionFieldErrors(cohort, fields);
    const plan = await planQuickAdd(cohort, quickAdd);
    if (plan.notFound.length) errors.quick_add = unknownNamesError(plan.notFound);
    if (Object.keys(errors).length) return invalid({ errors, message: null, values, confirm: null });
    return data({ ok: false as const, errors: {}, message: null, values, confirm: { text: quickAdd, people: plan.people } });
  }
  const result = await recordSession(user.id, cohort, fields, attendees);
  if (!result.ok) return invalid({ errors: result.errors, message: null, values, confirm: null });
  const invited = result.invited.length
    ? ` Đã gửi lời mời vào lớp tới: ${result.invited.join(", ")}. Khi họ đồng ý trên tài khoản của mình, họ vào lớp và được ghi là có tham dự buổi này.`
    : "";
  const declined = result.declinedBefore.length
    ? ` ${result.declinedBefore.join(", ")} đã từ chối lời mời vào lớp này trước đây; nếu nay họ muốn tham gia, họ tự nhập mã lớp ${cohort.joinCode}.`
    : "";
  return data({
    ok: true as const,
    errors: {},
    message: `Đã ghi buổi học với ${result.attendees} người tham dự.${invited}${declined}`,
    values: null,
    confirm: null,
    savedId: result.id,
  });
}

export default function Sessions() {
  const { cohort, courses, members, sessions, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: SessionForm | null = result?.values ?? null;
  const confirm = result?.confirm ?? null;
  const ticked = new Set(values?.attendees ?? []);
  return (
    <>
      <p className="no-print">
        <Link to={`/lop-hoc/${cohort.id}`}>← Về lớp {cohort.name}</Link>
      </p>
      <h1>Buổi học trực tiếp</h1>
      <FormError message={Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu. Buổi học chưa được ghi." : null} />
      {result?.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {/* A new key after each save empties the form, as the page without JavaScript does. */}
      <Form method="post" key={result && "savedId" in result ? `saved-${result.savedId}` : "session"}>
        <Field name="held_on" type="date" label="Ngày học" defaultValue={values?.held_on || today} error={errors.held_on} required />
        <Field name="place" label="Nơi học" placeholder="Ví dụ: Nhà văn hóa ấp Bình Trung" defaultValue={values?.place} error={errors.place} required />
        <Field name="topic" label="Nội dung" placeholder="Ví dụ: Cài và đăng nhập VNeID" defaultValue={values?.topic} error={errors.topic} required />
        <div className="field">
          <label htmlFor="course_slug">Khóa học liên quan</label>
          <select id="course_slug" name="course_slug" defaultValue={values?.course_slug ?? ""}>
            <option value="">— Không chọn —</option>
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
          {errors.course_slug ? <p className="field-error">{errors.course_slug}</p> : null}
        </div>
        <fieldset>
          <legend>Người tham dự ({members.length} học viên trong lớp)</legend>
          <div className="choices">
            {members.map((m) => (
              <label key={m.id}>
                <input type="checkbox" name="attendees" value={m.id} defaultChecked={ticked.has(m.id)} /> <span>{m.name}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field
          name="quick_add"
          label="Thêm nhanh người chưa có trong lớp"
          hint="Tên đăng nhập, cách nhau bằng dấu phẩy. Trang sẽ cho bạn xem lại từng người trước khi ghi. Người bạn đã đăng ký hộ hoặc đã học lớp khác của bạn được thêm ngay; người khác nhận lời mời và tự đồng ý trên tài khoản của mình."
          defaultValue={values?.quick_add}
          error={errors.quick_add}
        />
        {confirm ? (
          <div className="callout callout-note" role="status" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading">Xem lại trước khi ghi</h2>
            <ul>
              {confirm.people.map((p) => (
                <li key={p.username}>
                  <strong>{p.fullName}</strong> ({p.username}): {OUTCOME_WORDS[p.outcome]}.
                </li>
              ))}
            </ul>
            <p>
              Đúng người thì bấm “Xác nhận và ghi buổi học”. Nếu sai, hãy sửa ô “Thêm nhanh” rồi bấm nút này: trang sẽ cho bạn xem lại danh sách mới trước khi
              ghi.
            </p>
            <input type="hidden" name="xac_nhan" value={confirm.text} />
            <div className="actions">
              <button type="submit">Xác nhận và ghi buổi học</button>
            </div>
          </div>
        ) : (
          <button type="submit">Ghi buổi học</button>
        )}
      </Form>
      <h2>Các buổi đã ghi ({sessions.length})</h2>
      <SessionList sessions={sessions} />
      <h2>Số buổi mỗi người đã dự</h2>
      <ul>
        {members.map((m) => (
          <li key={m.id}>
            {m.name}: {m.attended}
          </li>
        ))}
      </ul>
    </>
  );
}
