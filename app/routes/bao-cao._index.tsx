import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireReportAccess } from "~/reports/access.server";
import { BarChart, TrendChart } from "~/reports/charts";
import { taskCountsBySector } from "~/learning/practice-tasks.server";
import { listIndicators } from "~/reports/indicators.server";
import { reportParams } from "~/reports/page-input.server";
import { PeriodForm, RowsTable, sortRows, Summary } from "~/reports/report-ui";
import { monthlyTrend, provinceReport } from "~/reports/report.server";
import { TableScroll } from "~/ui/table-scroll";

export const meta: MetaFunction = () => [{ title: "Báo cáo chỉ tiêu — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scopes } = await requireReportAccess(request);
  const { period, sort } = reportParams(request);
  if (!scopes.some((s) => s.kind === "province")) {
    const own = scopes[0];
    if (own.kind === "commune") throw redirect(`/bao-cao/xa/${own.code}?ky=${period.label}`);
    if (own.kind === "agency") throw redirect(`/bao-cao/co-quan/${own.code}?ky=${period.label}`);
  }
  const reports = await provinceReport(period);
  const indicators = await listIndicators();
  const trends = await Promise.all(indicators.map((i) => monthlyTrend(i, period)));
  return {
    taskCounts: await taskCountsBySector(),
    period: period.label,
    sort,
    reports: reports.map((r, i) => ({ ...r, communes: sortRows(r.communes, sort), agencies: sortRows(r.agencies, sort), trend: trends[i] })),
  };
}

export default function ProvinceReport() {
  const { period, sort, reports, taskCounts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Báo cáo chỉ tiêu kỹ năng số</h1>
      <p>Số liệu toàn tỉnh Tây Ninh theo từng chỉ tiêu: số đạt (tử số), tổng số (mẫu số), tỉ lệ và mục tiêu.</p>
      <PeriodForm period={period} sort={sort} />
      <p className="no-print">
        <a href={`/bao-cao/tai-ve.csv?ky=${period}`} download>Tải bảng số liệu (CSV)</a>
      </p>
      {reports.map((r) => (
        <section key={r.id} aria-label={r.name}>
          <Summary report={r} />
          <TrendChart title={`Diễn biến 12 tháng: ${r.name}`} points={r.trend} target={r.targetPercent} />
          {r.targetPercent === null ? (
            // Breakdown rows (per sector, trainer-confirmed) have no target of their own: their commune figures are in
            // each commune's page and the CSV, which keeps this page light enough to read on a phone.
            <p className="muted">Số liệu theo từng xã/phường của chỉ tiêu này có trong trang của từng xã/phường và trong tệp CSV.</p>
          ) : (
            <>
          <h3>Theo xã/phường</h3>
          <BarChart title={`Tỉ lệ theo xã/phường: ${r.name}`} bars={r.communes.filter((c) => c.denominator > 0).map((c) => ({ label: c.name, percent: c.percent }))} target={r.targetPercent} />
          <RowsTable caption={`${r.name} — theo xã/phường`} rows={r.communes.filter((c) => c.denominator > 0)} linkTo={(row) => `/bao-cao/xa/${row.code}?ky=${period}`} />
            </>
          )}
          {r.agencies.length ? (
            <>
              <h3>Theo cơ quan, đơn vị</h3>
              <RowsTable caption={`${r.name} — theo cơ quan, đơn vị`} rows={r.agencies.filter((a) => a.denominator > 0)} linkTo={(row) => `/bao-cao/co-quan/${row.code}?ky=${period}`} />
            </>
          ) : null}
        </section>
      ))}
      <section aria-labelledby="nhiem-vu-thuc-hanh">
        <h2 id="nhiem-vu-thuc-hanh">Nhiệm vụ thực hành theo lĩnh vực (đến nay)</h2>
        <p>Số người đã có ít nhất một nhiệm vụ thực hành trong lĩnh vực: người học tự báo và người hướng dẫn xác nhận trực tiếp được đếm riêng (một người có thể ở cả hai cột).</p>
        <TableScroll label="Nhiệm vụ thực hành theo lĩnh vực">
          <table className="data-table">
            <caption>Nhiệm vụ thực hành: tự báo và được xác nhận</caption>
            <thead><tr><th scope="col">Lĩnh vực</th><th scope="col" className="num">Người tự báo</th><th scope="col" className="num">Người được xác nhận</th></tr></thead>
            <tbody>
              {taskCounts.length === 0 ? <tr><td colSpan={3}>Chưa có nhiệm vụ nào được ghi nhận.</td></tr> : null}
              {taskCounts.map((t) => (
                <tr key={t.sector}><th scope="row">{t.label}</th><td className="num">{t.selfReported.toLocaleString("vi-VN")}</td><td className="num">{t.confirmed.toLocaleString("vi-VN")}</td></tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
      <p className="muted">
        Cách tính: <Link to="/thong-ke">xem trang thống kê công khai</Link>. Tử số là số người đã hoàn thành toàn bộ các khóa trong bộ khóa học của
        chỉ tiêu tính đến hết kỳ; mẫu số là danh sách cán bộ đang công tác (chỉ tiêu cán bộ) hoặc số người từ 15 tuổi trở lên của xã/phường
        (chỉ tiêu người trưởng thành). Chỉ tiêu sử dụng dịch vụ số đếm người từ 15 tuổi trở lên đã có ít nhất một nhiệm vụ thực hành (tự báo
        hoặc được xác nhận) trong khóa học về y tế, giáo dục, bảo hiểm xã hội hoặc giao thông.
      </p>
    </>
  );
}
