import type { LoaderFunctionArgs } from "@remix-run/node";
import { agencyByCode } from "~/organisation/agencies.server";
import { communeByCode } from "~/organisation/communes.server";
import { authenticateBearer } from "~/reports/api-tokens.server";
import { reportJson } from "~/reports/exports.server";
import { parsePeriod, provinceReport } from "~/reports/report.server";

// GET /api/v1/indicators?period=2026[&commune=25459][&agency=SNV] with Authorization: Bearer <token>.
// For the provincial operations centre (IOC). Errors are JSON with a Vietnamese message.

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await authenticateBearer(request))) {
    return json({ error: "Thiếu hoặc sai mã truy cập. Gửi tiêu đề Authorization: Bearer <mã do quản trị viên cấp>." }, 401, {
      "WWW-Authenticate": 'Bearer realm="hoc-vu-so"',
    });
  }
  const url = new URL(request.url);
  const allowed = new Set(["period", "commune", "agency"]);
  const unknown = [...url.searchParams.keys()].filter((k) => !allowed.has(k));
  if (unknown.length) return json({ error: `Tham số không được hỗ trợ: ${unknown.join(", ")}. Chỉ dùng period, commune, agency.` }, 400);
  const period = parsePeriod(url.searchParams.get("period"));
  if (!period) return json({ error: "period phải là năm (2026) hoặc tháng (2026-03)." }, 400);
  const commune = url.searchParams.get("commune") ?? undefined;
  const agency = url.searchParams.get("agency") ?? undefined;
  if (commune && !(await communeByCode(commune))) return json({ error: `Không có xã/phường mã "${commune.slice(0, 20)}".` }, 400);
  if (agency && !(await agencyByCode(agency))) return json({ error: `Không có cơ quan mã "${agency.slice(0, 40)}".` }, 400);
  return json(reportJson(await provinceReport(period, { commune, agency }), period.label));
}
