import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden } from "~/accounts/session.server";
import { agencyByCode } from "~/organisation/agencies.server";
import { canSee, requireReportAccess } from "~/reports/access.server";
import { TrendChart } from "~/reports/charts";
import { listIndicators } from "~/reports/indicators.server";
import { reportParams } from "~/reports/page-input.server";
import { number, PeriodForm, pct } from "~/reports/report-ui";
import { monthlyTrend, provinceReport } from "~/reports/report.server";
import { agencyRosterStatus, STATUS_LABELS } from "~/reports/roster-status.server";
import { notFound } from "~/ui/http.server";
import { TableScroll } from "~/ui/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.agency ?? "Cơ quan"} — Báo cáo — Học vụ số Tây Ninh` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scopes } = await requireReportAccess(request);
  const agency = (await agencyByCode(params.code ?? "")) ?? notFound("Không có cơ quan này.");
  if (!canSee(scopes, { kind: "agency", code: agency.code })) forbidden("Bạn chỉ xem được báo cáo của cơ quan mình phụ trách.");
  const { period } = reportParams(request);
  const officials = (await listIndicators()).filter((i) => i.population === "officials");
  const reports = (await provinceReport(period, { agency: agency.code })).filter((r) => r.population === "officials");
  const trends = await Promise.all(officials.map((i) => monthlyTrend(i, period, { agency: agency.code })));
  const roster = await agencyRosterStatus(agency.code);
  return {
    agency: agency.name,
    code: agency.code,
    period: period.label,
    isProvince: scopes.some((s) => s.kind === "province"),
    items: reports.map((r, i) => ({ id: r.id, name: r.name, row: r.agencies[0], target: r.targetPercent, targetYear: r.targetYear, trend: trends[i] })),
    roster,
    counts: {
      completed: roster.filter((r) => r.status === "completed").length,
      inProgress: roster.filter((r) => r.status === "in-progress").length,
      notStarted: roster.filter((r) => r.status === "not-started").length,
    },
  };
}

export default function AgencyReport() {
  const { agency, code, period, isProvince, items, roster, counts } = useLoaderData<typeof loader>();
  return (
    <>
      {isProvince ? <p className="no-print"><Link to={`/bao-cao?ky=${period}`}>← Báo cáo toàn tỉnh</Link></p> : null}
      <h1>{agency}</h1>
      <PeriodForm period={period} />
      <p className="no-print"><a className="button secondary" href={`/bao-cao/tai-ve.csv?ky=${period}&co-quan=${code}`} download>Tải số liệu của đơn vị (CSV)</a></p>
      {items.map((item) => (
        <section key={item.id} className="indicator-card" aria-label={item.name}>
          <h2>{item.name}</h2>
          <p className="big-number">{pct(item.row?.percent ?? null)}</p>
          <p>
            <strong>{number(item.row?.numerator ?? 0)}</strong> / {number(item.row?.denominator ?? 0)} cán bộ đang công tác · mục tiêu{" "}
            <strong>{pct(item.target)}</strong>{item.targetYear ? ` năm ${item.targetYear}` : ""}
          </p>
          <TrendChart title={`Diễn biến 12 tháng tại ${agency}`} points={item.trend} target={item.target} />
        </section>
      ))}
      <h2>Danh sách cán bộ</h2>
      <ul className="stat-grid">
        <li><strong>{counts.completed}</strong> đã hoàn thành</li>
        <li><strong>{counts.inProgress}</strong> đang học</li>
        <li><strong>{counts.notStarted}</strong> chưa bắt đầu</li>
      </ul>
      <TableScroll label="Danh sách cán bộ">
            <table className="data-table">
        <caption>Cán bộ đang công tác theo danh sách của tỉnh, hiện trạng học các khóa bắt buộc</caption>
        <thead>
          <tr><th scope="col">Mã cán bộ</th><th scope="col">Họ và tên</th><th scope="col">Tình trạng</th><th scope="col" className="num">Khóa đã xong</th></tr>
        </thead>
        <tbody>
          {roster.map((r) => (
            <tr key={r.personnelCode}>
              <td>{r.personnelCode}</td>
              <td>{r.fullName}</td>
              <td>{STATUS_LABELS[r.status]}{r.hasAccount ? "" : " (chưa có tài khoản)"}</td>
              <td className="num">{r.coursesCompleted}/{r.coursesRequired}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
    </>
  );
}
