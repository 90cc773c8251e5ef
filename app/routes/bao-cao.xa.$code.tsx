import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden } from "~/ui/http.server";
import { communeByCode } from "~/organisation/communes.server";
import { canSee, requireReportAccess } from "~/reports/access.server";
import { TrendChart } from "~/reports/charts";
import { reportParams } from "~/reports/page-input.server";
import { gapWords, number, pct, PlaceReportHeader } from "~/reports/report-ui";
import { reportWithTrends } from "~/reports/report.server";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.commune ?? "Xã/phường"} — Báo cáo — Học vụ số Tây Ninh` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scopes } = await requireReportAccess(request);
  const commune = (await communeByCode(params.code ?? "")) ?? notFound("Không có xã/phường này.");
  if (!canSee(scopes, { kind: "commune", code: commune.code })) forbidden("Bạn chỉ xem được báo cáo của xã/phường mình phụ trách.");
  const { period } = reportParams(request);
  const reports = await reportWithTrends(period, { commune: commune.code });
  return {
    commune: commune.label,
    code: commune.code,
    period: period.label,
    isProvince: scopes.some((s) => s.kind === "province"),
    items: reports.map((r) => ({
      id: r.id,
      name: r.name,
      row: r.communes[0],
      target: r.targetPercent,
      targetYear: r.targetYear,
      population: r.population,
      trend: r.trend,
    })),
  };
}

export default function CommuneReport() {
  const { commune, code, period, isProvince, items } = useLoaderData<typeof loader>();
  return (
    <>
      <PlaceReportHeader
        name={commune}
        period={period}
        isProvince={isProvince}
        csvUrl={`/bao-cao/tai-ve.csv?ky=${period}&xa=${code}`}
        csvLabel={`Tải số liệu của ${commune} (CSV)`}
      />
      <p className="no-print">
        <a href="/bao-cao/xac-nhan">Xuất danh sách xác nhận hoàn thành (gửi cơ sở dữ liệu quốc gia)</a>
      </p>
      {items.map((item) => (
        <section key={item.id} className="indicator-card" aria-label={item.name}>
          <h2>{item.name}</h2>
          <p className="big-number">{pct(item.row.percent)}</p>
          <p>
            <strong>{number(item.row.numerator)}</strong> / {number(item.row.denominator)}{" "}
            {item.population === "officials" ? "cán bộ của các cơ quan cấp xã đóng tại đây" : "người từ 15 tuổi trở lên"} · mục tiêu{" "}
            <strong>{pct(item.target)}</strong>
            {item.targetYear ? ` năm ${item.targetYear}` : ""}
            {item.row.gap !== null ? ` · ${gapWords(item.row, item.target)}` : ""}
          </p>
          <TrendChart title={`Diễn biến 12 tháng tại ${commune}`} points={item.trend} target={item.target} />
        </section>
      ))}
    </>
  );
}
