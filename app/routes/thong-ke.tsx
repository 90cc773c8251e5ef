import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { reportParams } from "~/reports/page-input.server";
import { number, pct, PeriodForm } from "~/reports/report-ui";
import { provinceReport } from "~/reports/report.server";
import { TableScroll } from "~/ui/table-scroll";

export const meta: MetaFunction = () => [{ title: "Thống kê kỹ năng số — Học vụ số Tây Ninh" }];

// Public statistics: percentages only, and no row for a commune or agency with fewer than 10 people in its
// denominator (a small group's percentage could reveal who has or has not trained).
const MIN_PUBLIC_DENOMINATOR = 10;

export async function loader({ request }: LoaderFunctionArgs) {
  const { period } = reportParams(request);
  const reports = await provinceReport(period);
  const visible = <T extends { denominator: number }>(rows: T[]) => rows.filter((r) => r.denominator >= MIN_PUBLIC_DENOMINATOR);
  return {
    period: period.label,
    indicators: reports.map((r) => ({
      id: r.id,
      name: r.name,
      target: r.targetPercent,
      targetYear: r.targetYear,
      province: r.province,
      communes: visible(r.communes).map((c) => ({ code: c.code, name: c.name, percent: c.percent })),
      agencies: visible(r.agencies).map((a) => ({ code: a.code, name: a.name, percent: a.percent })),
      hidden: r.communes.length - visible(r.communes).length + r.agencies.length - visible(r.agencies).length,
    })),
  };
}

export default function PublicStatistics() {
  const { period, indicators } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Thống kê kỹ năng số tỉnh Tây Ninh</h1>
      <p>Tỉ lệ người đã hoàn thành các khóa học kỹ năng số trên Học vụ số Tây Ninh, so với mục tiêu của tỉnh.</p>
      <PeriodForm period={period} />
      {indicators.map((i) => (
        <section key={i.id} className="indicator-card" aria-label={i.name}>
          <h2>{i.name}</h2>
          <p className="big-number">{pct(i.province.percent)}</p>
          <p>
            {number(i.province.numerator)} / {number(i.province.denominator)} · mục tiêu {pct(i.target)}
            {i.targetYear ? ` năm ${i.targetYear}` : ""}
          </p>
          <PercentTable indicator={i.name} places={i.communes} of="xã/phường" heading="Xã/phường" />
          {i.agencies.length ? <PercentTable indicator={i.name} places={i.agencies} of="cơ quan, đơn vị" heading="Cơ quan, đơn vị" /> : null}
          {i.hidden ? (
            <p className="muted">
              {i.hidden} đơn vị có dưới {MIN_PUBLIC_DENOMINATOR} người không được hiển thị riêng, để bảo vệ thông tin cá nhân.
            </p>
          ) : null}
        </section>
      ))}
    </>
  );
}

/** One folded table of places and their percentages (no counts: the public page shows rates only). */
function PercentTable({
  indicator,
  places,
  of,
  heading,
}: {
  indicator: string;
  places: { code: string; name: string; percent: number | null }[];
  of: string;
  heading: string;
}) {
  return (
    <details>
      <summary>
        Theo {of} ({places.length})
      </summary>
      <TableScroll label={`${indicator} — theo ${of}`}>
        <table className="data-table">
          <caption>
            {indicator} — tỉ lệ theo {of}
          </caption>
          <thead>
            <tr>
              <th scope="col">{heading}</th>
              <th scope="col" className="num">
                Tỉ lệ
              </th>
            </tr>
          </thead>
          <tbody>
            {places.map((p) => (
              <tr key={p.code}>
                <th scope="row">{p.name}</th>
                <td className="num">{pct(p.percent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}
