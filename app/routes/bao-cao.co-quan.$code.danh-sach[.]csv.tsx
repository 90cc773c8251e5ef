import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { forbidden } from "~/ui/http.server";
import { agencyByCode } from "~/organisation/agencies.server";
import { canSee, requireReportAccess } from "~/reports/access.server";
import { fullRoster, STATUS_LABELS } from "~/reports/agency-roster.server";
import { officialsIndicator } from "~/reports/deadlines.server";
import { notFound } from "~/ui/http.server";

// The agency's whole list as CSV (UTF-8 with BOM, for Excel): the page itself shows one page at a time.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scopes } = await requireReportAccess(request);
  const agency = (await agencyByCode(params.code ?? "")) ?? notFound("Không có cơ quan này.");
  if (!canSee(scopes, { kind: "agency", code: agency.code })) forbidden("Bạn chỉ xem được báo cáo của cơ quan mình phụ trách.");
  const required = (await officialsIndicator())?.courses ?? [];
  const rows = await fullRoster(agency.code, required);
  // A name a spreadsheet would run as a formula is prefixed with an apostrophe.
  const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  const records = rows.map((r) => [r.personnel_code, safe(r.full_name), STATUS_LABELS[r.status], `${r.done}/${required.length}`, r.person_id ? "có" : "chưa"]);
  const body = `\uFEFF${stringify([["ma_can_bo", "ho_ten", "tinh_trang", "khoa_da_xong", "co_tai_khoan"], ...records], { record_delimiter: "\r\n" })}`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="danh-sach-can-bo-${agency.code}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
