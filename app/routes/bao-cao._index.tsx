import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireReportAccess } from "~/reports/access.server";
import { BarChart, TrendChart } from "~/reports/charts";
import { taskCountsBySector } from "~/learning/practice-tasks.server";
import { reportParams } from "~/reports/page-input.server";
import { PeriodForm, RowsTable, sortRows, Summary } from "~/reports/report-ui";
import { reportWithTrends } from "~/reports/report.server";
import { deadlineFor, officialsIndicator } from "~/reports/deadlines.server";
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
  // One read for every indicator and its trend (decision 031); the deadline and task counts alongside it.
  const [reports, deadline, taskCounts] = await Promise.all([reportWithTrends(period), officialsDeadline(), taskCountsBySector()]);
  return {
    deadline,
    taskCounts,
    period: period.label,
    sort,
    reports: reports.map((r) => ({ ...r, communes: sortRows(r.communes, sort), agencies: sortRows(r.agencies, sort) })),
  };
}

async function officialsDeadline() {
  const officials = await officialsIndicator();
  return officials ? { indicator: officials.id, ...(await deadlineFor(officials, null)) } : null;
}

export default function ProvinceReport() {
  const { period, sort, reports, deadline, taskCounts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Báo cáo chỉ tiêu kỹ năng số</h1>
      <p>Số liệu toàn tỉnh Tây Ninh theo từng chỉ tiêu: số đạt (tử số), tổng số (mẫu số), tỉ lệ và mục tiêu.</p>
      <PeriodForm period={period} sort={sort} />
      <p className="no-print">
        <a className="button secondary" href={`/bao-cao/tai-ve.csv?ky=${period}`} download>
          Tải bảng số liệu (CSV)
        </a>
      </p>
      {reports.map((r) => (
        <section key={r.id} aria-label={r.name}>
          <Summary report={r} />
          {deadline?.indicator === r.id && deadline.label && deadline.daysLeft !== undefined ? (
            <p className="notice">
              Còn <strong>{(r.province.denominator - r.province.numerator).toLocaleString("vi-VN")}</strong> người chưa xong, hạn chung{" "}
              <strong>{deadline.label}</strong> ({deadline.daysLeft >= 0 ? `còn ${deadline.daysLeft} ngày` : `đã quá hạn ${-deadline.daysLeft} ngày`}).
            </p>
          ) : null}
          <TrendChart title={`Diễn biến 12 tháng: ${r.name}`} points={r.trend} target={r.targetPercent} />
          {r.targetPercent === null ? (
            // Breakdown rows (per sector, trainer-confirmed) have no target of their own: their commune figures are in
            // each commune's page and the CSV, which keeps this page light enough to read on a phone.
            <p className="muted">Số liệu theo từng xã/phường của chỉ tiêu này có trong trang của từng xã/phường và trong tệp CSV.</p>
          ) : (
            <>
              <h3>Theo xã/phường</h3>
              <BarChart
                title={`Tỉ lệ theo xã/phường: ${r.name}`}
                bars={r.communes.filter((c) => c.denominator > 0).map((c) => ({ label: c.name, percent: c.percent }))}
                target={r.targetPercent}
              />
              <RowsTable
                caption={`${r.name} — theo xã/phường`}
                rows={r.communes.filter((c) => c.denominator > 0)}
                linkTo={(row) => `/bao-cao/xa/${row.code}?ky=${period}`}
                targetPercent={r.targetPercent}
              />
              {r.communes.some((c) => c.denominator === 0 && c.numerator > 0) ? (
                // Counted in the province's numerator but with no commune percentage: shown as their own row (issue 17).
                <p>
                  Xã/phường chưa có số dân:{" "}
                  <strong>
                    {r.communes
                      .filter((c) => c.denominator === 0)
                      .reduce((n, c) => n + c.numerator, 0)
                      .toLocaleString("vi-VN")}
                  </strong>{" "}
                  người đã đạt, có tính vào số của tỉnh nhưng chưa tính được tỉ lệ của xã/phường (
                  {r.communes
                    .filter((c) => c.denominator === 0 && c.numerator > 0)
                    .map((c) => c.name)
                    .join(", ")}
                  ).
                </p>
              ) : null}
            </>
          )}
          {r.agencies.length ? (
            <>
              <h3>Theo cơ quan, đơn vị</h3>
              <RowsTable
                caption={`${r.name} — theo cơ quan, đơn vị`}
                rows={r.agencies.filter((a) => a.denominator > 0)}
                linkTo={(row) => `/bao-cao/co-quan/${row.code}?ky=${period}`}
                targetPercent={r.targetPercent}
              />
            </>
          ) : null}
        </section>
      ))}
      <section aria-labelledby="nhiem-vu-thuc-hanh">
        <h2 id="nhiem-vu-thuc-hanh">Nhiệm vụ thực hành theo lĩnh vực (đến nay)</h2>
        <p>
          Số người đã có ít nhất một nhiệm vụ thực hành trong lĩnh vực: người học tự báo và người hướng dẫn xác nhận trực tiếp được đếm riêng (một người có thể
          ở cả hai cột).
        </p>
        <TableScroll label="Nhiệm vụ thực hành theo lĩnh vực">
          <table className="data-table">
            <caption>Nhiệm vụ thực hành: tự báo và được xác nhận</caption>
            <thead>
              <tr>
                <th scope="col">Lĩnh vực</th>
                <th scope="col" className="num">
                  Người tự báo
                </th>
                <th scope="col" className="num">
                  Người được xác nhận
                </th>
              </tr>
            </thead>
            <tbody>
              {taskCounts.length === 0 ? (
                <tr>
                  <td colSpan={3}>Chưa có nhiệm vụ nào được ghi nhận.</td>
                </tr>
              ) : null}
              {taskCounts.map((t) => (
                <tr key={t.sector}>
                  <th scope="row">{t.label}</th>
                  <td className="num">{t.selfReported.toLocaleString("vi-VN")}</td>
                  <td className="num">{t.confirmed.toLocaleString("vi-VN")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
      <p className="muted">
        Cách tính: <Link to="/thong-ke">xem trang thống kê công khai</Link>. Tử số là số người đã hoàn thành toàn bộ các khóa trong bộ khóa học của chỉ tiêu
        tính đến hết kỳ; mẫu số là danh sách cán bộ đang công tác (chỉ tiêu cán bộ) hoặc số người từ 15 tuổi trở lên của xã/phường (chỉ tiêu người trưởng
        thành). Chỉ tiêu sử dụng dịch vụ số đếm người từ 15 tuổi trở lên đã có ít nhất một nhiệm vụ thực hành (tự báo hoặc được xác nhận) trong khóa học về y
        tế, giáo dục, bảo hiểm xã hội hoặc giao thông.
      </p>
      <details className="muted">
        <summary>Định nghĩa chi tiết</summary>
        <ul>
          <li>Kỳ báo cáo tính theo giờ Việt Nam: hoàn thành lúc 00:30 ngày 01/3 được tính vào tháng 3.</li>
          <li>Tuổi tính theo năm sinh: người sinh năm 2011 được tính là đủ 15 tuổi từ tháng 01/2026.</li>
          <li>
            Kỳ đã qua dùng danh sách cán bộ của chính kỳ đó: người nghỉ tháng 12 vẫn được tính cho tháng 6; mục tiêu và hạn là của năm mục tiêu đầu tiên từ năm
            của kỳ trở đi.
          </li>
          <li>Mỗi cán bộ chỉ có một tài khoản được tính, khớp mã cán bộ, họ tên (không phân biệt dấu) và năm sinh.</li>
          <li>Tài khoản người dân đã xóa vẫn được tính (ẩn danh); tài khoản cán bộ đã xóa thì không còn được tính.</li>
          <li>Người học ở xã/phường chưa có số dân được tính vào số của tỉnh và hiện ở dòng riêng “Xã/phường chưa có số dân”.</li>
        </ul>
      </details>
    </>
  );
}
