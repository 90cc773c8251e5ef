import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";
import { listAgencies } from "~/organisation/agencies.server";
import { listDeadlines, parseVietnamDate, setAgencyDeadline, setTargetDeadline } from "~/reports/deadlines.server";
import { ActionResult, Field, SelectField } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

// Deadlines as data (decision 018): the date each officials' target falls due, and an agency's own date.

export const meta: MetaFunction = () => [{ title: "Hạn hoàn thành — Quản trị — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { indicators: await listDeadlines(), agencies: await listAgencies() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const fields = formFields(await readForm(request));
  const indicators = await listDeadlines();
  const indicator = indicators.find((i) => i.id === fields.indicator);
  if (!indicator) return invalid({ error: "Chỉ tiêu không hợp lệ." });
  const clearing = fields.intent === "agency" && !(fields.deadline ?? "").trim();
  const date = parseVietnamDate(fields.deadline ?? "");
  if (!date && !clearing) return invalid({ error: "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 30/06/2026." });
  if (fields.intent === "target") {
    const year = Number(fields.year);
    if (!indicator.targets.some((t) => t.year === year)) return invalid({ error: "Năm mục tiêu không hợp lệ." });
    await setTargetDeadline(indicator.id, year, date!);
    return data({ ok: true as const, message: `Đã đặt hạn của mục tiêu năm ${year}: ${fields.deadline}.` });
  }
  if (fields.intent === "agency") {
    const agency = (await listAgencies()).find((a) => a.code === fields.agency);
    if (!agency) return invalid({ error: "Vui lòng chọn cơ quan, đơn vị." });
    await setAgencyDeadline(indicator.id, agency.code, clearing ? null : date, admin.id);
    return data({ ok: true as const, message: clearing ? `${agency.name} dùng lại hạn chung.` : `Đã đặt hạn riêng cho ${agency.name}: ${fields.deadline}.` });
  }
  return invalid({ error: "Thao tác không hợp lệ." });
}

export default function Deadlines() {
  const { indicators, agencies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/quan-tri">← Quản trị</Link>
      </p>
      <h1>Hạn hoàn thành</h1>
      <ActionResult result={result} />
      {indicators.map((i) => (
        <section key={i.id} aria-label={i.name}>
          <h2>{i.name}</h2>
          <h3>Hạn chung theo mục tiêu</h3>
          {i.targets.map((t) => (
            <Form method="post" key={t.year} className="inline-form">
              <input type="hidden" name="intent" value="target" />
              <input type="hidden" name="indicator" value={i.id} />
              <input type="hidden" name="year" value={t.year} />
              <Field
                name="deadline"
                id={`deadline-${i.id}-${t.year}`}
                label={`Mục tiêu ${t.percent}% năm ${t.year}: hạn`}
                defaultValue={t.deadline}
                inputMode="numeric"
              />
              <button type="submit">Lưu hạn năm {t.year}</button>
            </Form>
          ))}
          <h3>Hạn riêng của cơ quan</h3>
          {i.agencies.length ? (
            <ul>
              {i.agencies.map((a) => (
                <li key={a.code}>
                  {a.name}: {a.deadline}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Chưa có cơ quan nào có hạn riêng.</p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="agency" />
            <input type="hidden" name="indicator" value={i.id} />
            <SelectField
              name="agency"
              id={`agency-${i.id}`}
              label="Cơ quan, đơn vị"
              placeholder="— Chọn cơ quan, đơn vị —"
              options={agencies.map((a) => ({ value: a.code, label: a.name }))}
              defaultValue=""
            />
            <Field
              name="deadline"
              id={`agency-deadline-${i.id}`}
              label="Hạn riêng (ngày/tháng/năm)"
              hint="Ví dụ 30/06/2026. Để trống để cơ quan dùng lại hạn chung."
              inputMode="numeric"
            />
            <button type="submit">Lưu hạn riêng</button>
          </Form>
        </section>
      ))}
    </>
  );
}
