import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireReportAccess } from "~/reports/access.server";
import { BarChart, TrendChart } from "~/reports/charts";
import { listIndicators } from "~/reports/indicators.server";
import { reportParams } from "~/reports/page-input.server";
import { PeriodForm, RowsTable, sortRows, Summary } from "~/reports/report-ui";
import { monthlyTrend, provinceReport } from "~/reports/report.server";

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
    period: period.label,
    sort,
    reports: reports.map((r, i) => ({ ...r, communes: sortRows(r.communes, sort), agencies: sortRows(r.agencies, sort), trend: trends[i] })),
  };
}

export default function ProvinceReport() {
  const { period, sort, reports } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Báo cáo chỉ tiêu kỹ năng số</h1>
      <p>Số liệu toàn tỉnh Tây Ninh theo từng chỉ tiêu: số đạt (tử số), tổng số (mẫu số), tỉ lệ và mục tiêu.</p>
      <PeriodForm period={period} sort={sort} />
      <p className="no-print">
        <a className="button secondary" href={`/bao-cao/tai-ve.csv?ky=${period}`} download>Tải bảng số liệu (CSV)</a>
      </p>
      {reports.map((r) => (
        <section key={r.id} aria-label={r.name}>
          <Summary report={r} />
          <TrendChart title={`Diễn biến 12 tháng: ${r.name}`} points={r.trend} target={r.targetPercent} />
          <h3>Theo xã/phường</h3>
          <BarChart title={`Tỉ lệ theo xã/phường: ${r.name}`} bars={r.communes.filter((c) => c.denominator > 0).map((c) => ({ label: c.name, percent: c.percent }))} target={r.targetPercent} />
          <RowsTable caption={`${r.name} — theo xã/phường`} rows={r.communes.filter((c) => c.denominator > 0)} linkTo={(row) => `/bao-cao/xa/${row.code}?ky=${period}`} targetPercent={r.targetPercent} />
          {r.agencies.length ? (
            <>
              <h3>Theo cơ quan, đơn vị</h3>
              <RowsTable caption={`${r.name} — theo cơ quan, đơn vị`} rows={r.agencies.filter((a) => a.denominator > 0)} linkTo={(row) => `/bao-cao/co-quan/${row.code}?ky=${period}`} targetPercent={r.targetPercent} />
            </>
          ) : null}
        </section>
      ))}
      <p className="muted">
        Cách tính: <Link to="/thong-ke">xem trang thống kê công khai</Link>. Tử số là số người đã hoàn thành toàn bộ các khóa trong bộ khóa học của
        chỉ tiêu tính đến hết kỳ; mẫu số là danh sách cán bộ đang công tác (chỉ tiêu cán bộ) hoặc số người từ 15 tuổi trở lên của xã/phường
        (chỉ tiêu người trưởng thành).
      </p>
    </>
  );
}
