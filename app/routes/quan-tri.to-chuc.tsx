import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";
import { renameCommune, saveAgency, setTarget } from "~/organisation/admin.server";
import { listAgencies } from "~/organisation/agencies.server";
import { listCommunes } from "~/organisation/communes.server";
import { listIndicators } from "~/reports/indicators.server";
import { COURSE_SETS } from "~/courses/framework";
import { ActionResult, Field } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Tổ chức và mục tiêu — Quản trị — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { agencies: await listAgencies(), communes: await listCommunes(), indicators: await listIndicators() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const fields = formFields(await readForm(request));
  const result =
    fields.intent === "agency"
      ? await saveAgency(fields)
      : fields.intent === "commune"
        ? await renameCommune(fields.code ?? "", fields.name ?? "")
        : fields.intent === "target"
          ? await setTarget(fields)
          : ({ ok: false, error: "Thao tác không hợp lệ." } as const);
  return result.ok ? data(result) : invalid({ error: result.error });
}

export default function Organisation() {
  const { agencies, communes, indicators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tổ chức và mục tiêu</h1>
      <ActionResult result={result} />

      <h2>Chỉ tiêu và mục tiêu</h2>
      {indicators.map((i) => (
        <div key={i.id} className="card">
          <h3>{i.name}</h3>
          <p className="muted">
            Mã <code>{i.id}</code> · {i.population === "officials" ? "cán bộ trong danh sách" : `người từ ${i.minAge} tuổi`} · bộ khóa học:{" "}
            {COURSE_SETS[i.courseSet as keyof typeof COURSE_SETS] ?? i.courseSet} ({i.courses.length} khóa)
          </p>
          <p>Mục tiêu: {i.targets.map((t) => `${t.percent}% năm ${t.year}`).join("; ") || "chưa đặt"}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="target" />
            <input type="hidden" name="indicator_id" value={i.id} />
            <div className="filters row">
              <Field name="year" id={`year-${i.id}`} label="Năm" inputMode="numeric" required />
              <Field name="target_percent" id={`target-${i.id}`} label="Mục tiêu (%)" inputMode="decimal" required />
            </div>
            <button type="submit">Lưu mục tiêu</button>
          </Form>
        </div>
      ))}

      <h2>Thêm hoặc sửa cơ quan</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="agency" />
        <Field name="code" id="agency-code" label="Mã cơ quan" hint="Nhập mã đã có để sửa cơ quan đó." required />
        <Field name="name" id="agency-name" label="Tên cơ quan" required />
        <div className="field">
          <label htmlFor="agency-level">Cấp</label>
          <select id="agency-level" name="level">
            <option value="province">Cấp tỉnh</option>
            <option value="commune">Cấp xã</option>
          </select>
        </div>
        <Field name="commune_code" id="agency-commune" label="Mã xã/phường (chỉ với cơ quan cấp xã)" />
        <button type="submit">Lưu cơ quan</button>
      </Form>
      <details>
        <summary>Danh sách {agencies.length} cơ quan</summary>
        <ul>
          {agencies.map((a) => (
            <li key={a.code}>
              <code>{a.code}</code> {a.name} {a.communeCode ? `(xã/phường ${a.communeCode})` : "(cấp tỉnh)"}
            </li>
          ))}
        </ul>
      </details>

      <h2>Đổi tên xã/phường</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="commune" />
        <div className="field">
          <label htmlFor="commune-code">Xã/phường</label>
          <select id="commune-code" name="code">
            {communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label} ({c.code})
              </option>
            ))}
          </select>
        </div>
        <Field name="name" id="commune-name" label="Tên mới (không ghi chữ “Xã”/“Phường”)" required />
        <button type="submit">Đổi tên</button>
      </Form>
    </>
  );
}
