import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { confirmationScopes, type ConfirmationScope } from "~/accounts/permissions.server";
import { requireUser } from "~/accounts/session.server";
import { forbidden } from "~/ui/http.server";

export const meta: MetaFunction = () => [{ title: "Xuất dữ liệu xác nhận — Học vụ số Tây Ninh" }];

// The confirmation export for the national records (docs/exports.md): administrators for the province or a
// commune, commune officers for their own commune. Every download is logged. A plain GET form: works without JS.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const scopes = confirmationScopes(user);
  if (scopes.length === 0) forbidden("Trang này chỉ dành cho quản trị viên và cán bộ phụ trách xã/phường.");
  // The file itself comes from a resource route: a page route's loader cannot answer with a file (Remix would
  // render the page with the file as its data). Addresses with ?dinh-dang= keep working through a redirect.
  const url = new URL(request.url);
  if (url.searchParams.get("dinh-dang")) throw redirect(`/bao-cao/xac-nhan/tai-ve${url.search}`);
  const thisYear = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear());
  return { scopes, thisYear };
}

export default function ConfirmationExport() {
  const { scopes, thisYear } = useLoaderData<typeof loader>() as { scopes: ConfirmationScope[]; thisYear: string };
  const province = scopes.some((s) => s.kind === "province");
  const communes = scopes.flatMap((s) => (s.kind === "commune" ? [s.code] : []));
  return (
    <>
      <h1>Xuất dữ liệu xác nhận hoàn thành</h1>
      <p>
        Danh sách những người đã hoàn thành bộ kỹ năng số cơ bản hoặc bộ khóa học bắt buộc với cán bộ, tính đến hết kỳ chọn — đúng những người được tính trong
        báo cáo chỉ tiêu — để gửi cơ sở dữ liệu quốc gia. Số CCCD chỉ có khi người học tự nguyện cung cấp. Mỗi lần tải về đều được ghi lại.
      </p>
      {/* A plain GET to the file (reloadDocument): the browser downloads it, with or without JavaScript. */}
      <Form method="get" action="/bao-cao/xac-nhan/tai-ve" reloadDocument>
        <div className="field">
          <label htmlFor="ky">Kỳ (năm hoặc tháng)</label>
          <input id="ky" name="ky" defaultValue={thisYear} required pattern="\d{4}(-(0[1-9]|1[0-2]))?" aria-describedby="ky-hint" />
          <p className="hint" id="ky-hint">
            Ví dụ: 2026 (cả năm) hoặc 2026-03 (tháng 3/2026), theo giờ Việt Nam.
          </p>
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
              {communes.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <fieldset>
          <legend>Định dạng tệp</legend>
          <label className="checkbox">
            <input type="radio" name="dinh-dang" value="csv" defaultChecked /> <span>CSV (mở bằng Excel)</span>
          </label>
          <label className="checkbox">
            <input type="radio" name="dinh-dang" value="json" /> <span>JSON (cho hệ thống khác)</span>
          </label>
        </fieldset>
        <button type="submit">Tải về</button>
      </Form>
    </>
  );
}
