import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowedConfirmationScope, confirmationScopes } from "~/accounts/permissions.server";
import { requireUser } from "~/accounts/session.server";
import { communeByCode } from "~/organisation/communes.server";
import { confirmations, confirmationsCsv, confirmationsJson, logDownload } from "~/records/confirmations.server";
import { badRequest, forbidden } from "~/ui/http.server";

// The confirmation export file for the national records (docs/exports.md), from the form on /bao-cao/xac-nhan:
// administrators for the province or a commune, commune officers for their own commune. Every download is
// logged. A resource route (no page), so that the answer is the file itself.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (confirmationScopes(user).length === 0) forbidden("Trang này chỉ dành cho quản trị viên và cán bộ phụ trách xã/phường.");
  const url = new URL(request.url);
  const format = url.searchParams.get("dinh-dang");
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
