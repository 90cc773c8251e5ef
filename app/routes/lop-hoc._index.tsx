import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";
import { cohortsOf, createCohort } from "~/cohorts/cohorts.server";
import { getCatalog } from "~/courses/catalog.server";
import { listCommunes } from "~/organisation/communes.server";
import { Field, FormError } from "~/ui/field";
import { formatVietnamDate } from "~/ui/vietnam-time";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Lớp học của tôi — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer", "admin");
  return {
    cohorts: await cohortsOf(user),
    communes: await listCommunes(),
    courses: getCatalog().courses.map((c) => ({ slug: c.slug, title: c.title })),
    homeCommune: user.communeCode,
    today: new Date().toISOString().slice(0, 10),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer", "admin");
  const form = await readForm(request);
  const result = await createCohort(user.id, formFields(form), form.getAll("courses").map(String).slice(0, 50));
  if (!result.ok) return invalid({ errors: result.errors, values: formFields(form) });
  throw redirect(`/lop-hoc/${result.id}?moi=1`);
}

export default function Cohorts() {
  const { cohorts, communes, courses, homeCommune, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  return (
    <>
      <h1>Lớp học của tôi</h1>
      {cohorts.length ? (
        <ul className="cards">
          {cohorts.map((c) => (
            <li key={c.id} className="card">
              <h2>
                <Link to={`/lop-hoc/${c.id}`}>{c.name}</Link>
              </h2>
              <p className="muted">
                Mã lớp <strong>{c.join_code}</strong> · {Number(c.members)} học viên · từ {formatVietnamDate(c.start_date)}
                {c.end_date ? ` đến ${formatVietnamDate(c.end_date)}` : ""}
                {c.archived_at ? " · đã lưu trữ" : ""}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>Bạn chưa có lớp nào. Tạo lớp đầu tiên bên dưới.</p>
      )}
      <h2>Tạo lớp mới</h2>
      <FormError message={Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu." : null} />
      <Form method="post">
        <Field name="name" label="Tên lớp" placeholder="Ví dụ: Lớp ấp Bình Trung, tháng 12" defaultValue={values.name} error={errors.name} required />
        <div className="field">
          <label htmlFor="commune_code">Xã/phường</label>
          <select id="commune_code" name="commune_code" defaultValue={values.commune_code ?? homeCommune}>
            {communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
          {errors.commune_code ? <p className="field-error">{errors.commune_code}</p> : null}
        </div>
        <fieldset>
          <legend>Khóa học của lớp</legend>
          <div className="choices">
            {courses.map((c) => (
              <label key={c.slug}>
                <input type="checkbox" name="courses" value={c.slug} /> <span>{c.title}</span>
              </label>
            ))}
          </div>
          {errors.courses ? <p className="field-error">{errors.courses}</p> : null}
        </fieldset>
        <Field name="start_date" type="date" label="Ngày bắt đầu" defaultValue={values.start_date ?? today} error={errors.start_date} required />
        <Field name="end_date" type="date" label="Ngày kết thúc (nếu có)" defaultValue={values.end_date} error={errors.end_date} />
        <button type="submit">Tạo lớp</button>
      </Form>
    </>
  );
}
