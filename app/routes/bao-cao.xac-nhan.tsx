import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { allowedConfirmationScope, confirmationScopes, type ConfirmationScope } from "~/accounts/permissions.server";
import { requireUser } from "~/accounts/session.server";
import { communeByCode } from "~/organisation/communes.server";
import { confirmations, confirmationsCsv, confirmationsJson, logDownload } from "~/records/confirmations.server";
import { badRequest, forbidden } from "~/ui/http.server";

export const meta: MetaFunction = () => [{ title: "Xuất dữ liệu xác nhận — Học vụ số Tây Ninh" }];

// The confirmation export for the national records (docs/exports.md): administrators for the province or a
// commune, commune officers for their own commune. Every download is logged. A plain GET form: works without JS.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const scopes = confirmationScopes(user);
  if (scopes.length === 0) forbidden("Trang này chỉ dành cho quản trị viên và cán bộ phụ trách xã/phường.");
  const url = new URL(request.url);
  const format = url.searchParams.get("dinh-dang");
  const thisYear = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear());
  if (!format) return { scopes, thisYear };

  if (format !== "csv" && format !== "json") badRequest("Định dạng tệp phải là CSV hoặc JSON.");
  const commune = url.searchParams.get("xa")?.trim() || null;
  if (commune && !(await communeByCode(commune))) badRequest("Mã xã/phường không hợp lệ.");
  const scope = allowedConfirmationScope(user, commune);
  if (!scope) forbidden("Bạn chỉ được xuất dữ liệu của xã/phường mình phụ trách.");
  const period = (url.searchParams.get("ky") ?? "").trim();
  const rows = await confirmations(period, scope);
  if (!rows) badRequest("Kỳ không hợp lệ: ghi năm (ví dụ 2026) hoặc tháng (ví dụ 2026-03).");
  await logDownload(user.id, scope, period, format, rows.length);
  const name = `xac-nhan-ky-nang-so-${period}${scope.kind === "commune" ? `-xa-${scope.code}` : ""}`;
  const body = format === "csv" ? confirmationsCsv(rows) : JSON.stringify(confirmationsJson(rows, period, scope), null, 2);
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}

export default function ConfirmationExport() {
  // A download returns the file itself; the page only ever renders the form's data.
  const { scopes, thisYear } = useLoaderData() as { scopes: ConfirmationScope[]; thisYear: string };
  const province = scopes.some((s) => s.kind === "province");
  const communes = scopes.flatMap((s) => (s.kind === "commune" ? [s.code] : []));
  return (
    <>
      <h1>Xuất dữ liệu xác nhận hoàn thành</h1>
      <p>
        Danh sách những người đã hoàn thành bộ kỹ năng số cơ bản hoặc bộ khóa học bắt buộc với cán bộ, tính đến hết kỳ chọn — đúng những người được
        tính trong báo cáo chỉ tiêu — để gửi cơ sở dữ liệu quốc gia. Số CCCD chỉ có khi người học tự nguyện cung cấp. Mỗi lần tải về đều được ghi lại.
      </p>
      <Form method="get">
        <div className="field">
          <label htmlFor="ky">Kỳ (năm hoặc tháng)</label>
          <input id="ky" name="ky" defaultValue={thisYear} required pattern="\d{4}(-(0[1-9]|1[0-2]))?" aria-describedby="ky-hint" />
          <p className="hint" id="ky-hint">Ví dụ: 2026 (cả năm) hoặc 2026-03 (tháng 3/2026), theo giờ Việt Nam.</p>
        </div>
        {province ? (
          <div className="field">
            <label htmlFor="xa">Mã xã/phường (để trống: toàn tỉnh)</label>
            <input id="xa" name="xa" inputMode="numeric" />
          </div>
        ) : communes.length > 1 ? (
          <div className="field">
            <label htmlFor="xa">Xã/phường</label>
            <select id="xa" name="xa">
              {communes.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
        ) : null}
        <fieldset>
          <legend>Định dạng tệp</legend>
          <label className="checkbox"><input type="radio" name="dinh-dang" value="csv" defaultChecked /> <span>CSV (mở bằng Excel)</span></label>
          <label className="checkbox"><input type="radio" name="dinh-dang" value="json" /> <span>JSON (cho hệ thống khác)</span></label>
        </fieldset>
        <button type="submit">Tải về</button>
      </Form>
    </>
  );
}
