import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { requireCohort } from "~/cohorts/cohorts.server";
import { addExisting, assistedEnroll, CONSENT_METHODS } from "~/cohorts/enrollment.server";
import { listCommunes } from "~/organisation/communes.server";
import { Field, FormError } from "~/ui/field";
import { LoginCard } from "~/ui/login-card";
import { cardPlace } from "~/ui/card-place.server";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Đăng ký hộ người học — Học vụ số Tây Ninh" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  return { cohort: { id: cohort.id, name: cohort.name, communeCode: cohort.communeCode }, communes: await listCommunes() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const fields = formFields(await readForm(request));
  if (fields.intent === "add-existing") {
    // Only someone the duplicate check found for these exact details; strangers are invited, never added.
    const added = await addExisting(user.id, cohort, fields);
    if (!added.ok) return invalid({ errors: { form: added.error }, values: {}, duplicates: [], card: null, place: null });
    return data({ ok: true as const, message: added.message, card: null, place: null, errors: {}, values: {}, duplicates: [] });
  }
  const result = await assistedEnroll(user.id, cohort, fields);
  if (!result.ok)
    return invalid(
      { errors: result.errors, values: result.values, duplicates: result.duplicates ?? [], card: null, place: null },
      result.duplicates ? 409 : 400,
    );
  const place = await cardPlace(request, cohort.joinCode);
  return data({
    ok: true as const,
    message: "Đã tạo tài khoản. In hoặc chép thẻ đăng nhập dưới đây và đưa cho người học.",
    card: result.card,
    place,
    errors: {},
    values: {},
    duplicates: [],
  });
}

export default function AssistedEnrollment() {
  const { cohort, communes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  if (result?.ok) {
    return (
      <>
        <p className="no-print">
          <Link to={`/lop-hoc/${cohort.id}`}>← Về lớp {cohort.name}</Link>
        </p>
        <h1>{result.card ? "Thẻ đăng nhập" : "Đã thêm vào lớp"}</h1>
        <p className="notice" role="status">
          {result.message}
        </p>
        {result.card && result.place ? <LoginCard card={result.card} place={result.place} /> : null}
        <p className="no-print">
          <Link to={`/lop-hoc/${cohort.id}/dang-ky-ho`}>Đăng ký hộ người khác</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <p className="no-print">
        <Link to={`/lop-hoc/${cohort.id}`}>← Về lớp {cohort.name}</Link>
      </p>
      <h1>Đăng ký hộ người học</h1>
      <p>Dành cho người chưa có e-mail hay điện thoại. Hệ thống tạo tên đăng nhập và mã PIN dùng một lần; người học đổi mã khi đăng nhập lần đầu.</p>
      <FormError message={errors.form ?? (Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu." : null)} />
      {result?.duplicates?.length ? (
        <div className="card">
          <h2>Người đã có tài khoản</h2>
          <ul>
            {result.duplicates.map((d) => (
              <li key={d.match}>
                {d.fullName}, sinh năm {d.birthYear}
                {d.username ? ` — ${d.username}` : null} {d.alreadyMember ? "(đã ở trong lớp)" : null}
                {d.alreadyMember ? null : (
                  <Form method="post" className="inline-form">
                    {["full_name", "birth_year", "commune_code"].map((k) => (
                      <input key={k} type="hidden" name={k} value={values[k] ?? ""} />
                    ))}
                    <input type="hidden" name="match" value={d.match} />{" "}
                    <button type="submit" name="intent" value="add-existing" className="secondary">
                      {d.inCare ? "Thêm người này vào lớp" : "Mời người này vào lớp"}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
          <p>
            Người đã tự có tài khoản sẽ nhận lời mời và tự đồng ý khi đăng nhập (hoặc nhập mã lớp). Nếu là người khác (trùng tên), đánh dấu “Vẫn tạo tài khoản
            mới” ở cuối phiếu rồi gửi lại.
          </p>
        </div>
      ) : null}
      <Form method="post">
        <Field name="full_name" label="Họ và tên người học" defaultValue={values.full_name} error={errors.full_name} required />
        <Field name="birth_year" label="Năm sinh" inputMode="numeric" defaultValue={values.birth_year} error={errors.birth_year} required />
        <div className="field">
          <label htmlFor="commune_code">Xã/phường nơi sống</label>
          <select id="commune_code" name="commune_code" defaultValue={values.commune_code || cohort.communeCode}>
            {communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <Field name="phone" type="tel" label="Số điện thoại (nếu có)" defaultValue={values.phone} error={errors.phone} />
        <fieldset>
          <legend>Người học đã đồng ý bằng cách nào?</legend>
          <div className="choices">
            {Object.entries(CONSENT_METHODS).map(([value, label]) => (
              <label key={value}>
                <input type="radio" name="consent_method" value={value} defaultChecked={values.consent_method === value} /> <span>{label}</span>
              </label>
            ))}
          </div>
          {errors.consent_method ? <p className="field-error">{errors.consent_method}</p> : null}
        </fieldset>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="consent_confirmed" value="yes" />
            <span>
              Tôi đã giải thích cho người học: hệ thống lưu họ tên, năm sinh, xã/phường{values.phone ? ", số điện thoại" : ""} và kết quả học để ghi nhận việc
              học; người học có thể xem, tải về hoặc xóa dữ liệu bất cứ lúc nào; và người học đã đồng ý.
            </span>
          </label>
          {errors.consent_confirmed ? <p className="field-error">{errors.consent_confirmed}</p> : null}
        </div>
        {result?.duplicates?.length ? (
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" name="create_anyway" value="yes" /> <span>Vẫn tạo tài khoản mới (đây là người khác)</span>
            </label>
          </div>
        ) : null}
        <button type="submit">Tạo tài khoản và thẻ đăng nhập</button>
      </Form>
    </>
  );
}
