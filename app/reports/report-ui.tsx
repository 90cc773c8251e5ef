import { Form, Link } from "@remix-run/react";
import type { IndicatorReport, Row } from "./report.server";
import { TableScroll } from "~/ui/table-scroll";

export const SORTS = { "khoang-cach": "Khoảng cách tới mục tiêu (xa nhất trước)", "ti-le": "Tỉ lệ (thấp nhất trước)", ten: "Tên" } as const;
export type SortKey = keyof typeof SORTS;

/** "Phường Tân Ninh" sorts under T, with the xã under the same letter. */
export const sortName = (name: string) => name.replace(/^(Xã|Phường) /, "");

export function sortRows(rows: Row[], sort: SortKey): Row[] {
  const copy = [...rows];
  if (sort === "ten") return copy.sort((a, b) => sortName(a.name).localeCompare(sortName(b.name), "vi"));
  if (sort === "ti-le") return copy.sort((a, b) => (a.percent ?? Infinity) - (b.percent ?? Infinity));
  return copy.sort((a, b) => (b.gap ?? -Infinity) - (a.gap ?? -Infinity));
}

export const number = (n: number) => n.toLocaleString("vi-VN");
export const pct = (n: number | null) => (n === null ? "—" : `${n.toLocaleString("vi-VN")}%`);

/** How many more people must complete for the row to reach the target: the gap in people, not only in points. */
export function peopleShort(row: Pick<Row, "numerator" | "denominator">, targetPercent: number | null): number | null {
  if (targetPercent === null || row.denominator === 0) return null;
  // Integer arithmetic on hundredths avoids 0.85 × 40 = 33.99999 style rounding.
  const needed = Math.ceil((Math.round(targetPercent * 100) * row.denominator) / 10000);
  return Math.max(0, needed - row.numerator);
}

/** "còn thiếu 6 người (4,5 điểm %)", or "đã đạt mục tiêu". */
export function gapWords(row: Row, targetPercent: number | null): string {
  const short = peopleShort(row, targetPercent);
  if (row.gap === null || short === null) return "—";
  if (short === 0 || row.gap <= 0) return "đã đạt mục tiêu";
  return `còn thiếu ${number(short)} người (${row.gap.toLocaleString("vi-VN")} điểm %)`;
}

export function Summary({ report }: { report: IndicatorReport }) {
  const p = report.province;
  return (
    <div className="indicator-card">
      <h2>{report.name}</h2>
      <p className="big-number">{pct(p.percent)}</p>
      <p>
        <strong>{number(p.numerator)}</strong> / {number(p.denominator)}{" "}
        {report.population === "officials" ? "cán bộ, công chức, viên chức trong danh sách đang công tác" : "người từ 15 tuổi trở lên"}
        {" · "}mục tiêu <strong>{pct(report.targetPercent)}</strong>
        {report.targetYear ? ` năm ${report.targetYear}` : ""}
        {p.gap !== null ? (
          <>
            {" · "}
            <span className={p.gap > 0 ? "gap-bad" : "gap-ok"}>{gapWords(p, report.targetPercent)}</span>
          </>
        ) : null}
      </p>
      <p className="muted">Tính đến hết {report.period.length === 4 ? `năm ${report.period}` : `tháng ${report.period.slice(5)}/${report.period.slice(0, 4)}`}.</p>
    </div>
  );
}

export function RowsTable({ caption, rows, linkTo, targetPercent = null }: { caption: string; rows: Row[]; linkTo?: (row: Row) => string | null; targetPercent?: number | null }) {
  return (
    <TableScroll label={caption}>
        <table className="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Đơn vị</th>
          <th scope="col" className="num">Đạt</th>
          <th scope="col" className="num">Tổng số</th>
          <th scope="col" className="num">Tỉ lệ</th>
          <th scope="col" className="num">Còn thiếu</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const href = linkTo?.(r);
          return (
            <tr key={r.code}>
              <th scope="row">{href ? <Link to={href}>{r.name}</Link> : r.name}</th>
              <td className="num">{number(r.numerator)}</td>
              <td className="num">{number(r.denominator)}</td>
              <td className="num">{pct(r.percent)}</td>
              <td className="num">{r.gap === null ? "—" : r.gap > 0 ? `${number(peopleShort(r, targetPercent) ?? 0)} người · ${pct(r.gap)}` : "đạt"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </TableScroll>
  );
}

export function PeriodForm({ period, sort }: { period: string; sort?: SortKey }) {
  return (
    <Form method="get" className="filters no-print" aria-label="Chọn kỳ báo cáo">
      <div className="row">
        <div className="field">
          <label htmlFor="ky">Kỳ báo cáo (năm, ví dụ 2026, hoặc tháng, ví dụ 2026-03)</label>
          <input id="ky" name="ky" type="text" defaultValue={period} inputMode="numeric" />
        </div>
        {sort ? (
          <div className="field">
            <label htmlFor="sap-xep">Sắp xếp bảng</label>
            <select id="sap-xep" name="sap-xep" defaultValue={sort}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option key={value} value={value}>{label}</option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <button type="submit">Xem</button>
    </Form>
  );
}

/**
 * The top of a commune's or an agency's report: the way back to the province (for those who see it), the name,
 * the period chooser and the CSV of this place alone.
 */
export function PlaceReportHeader({ name, period, isProvince, csvUrl, csvLabel }: { name: string; period: string; isProvince: boolean; csvUrl: string; csvLabel: string }) {
  return (
    <>
      {isProvince ? (
        <p className="no-print">
          <Link to={`/bao-cao?ky=${period}`}>← Báo cáo toàn tỉnh</Link>
        </p>
      ) : null}
      <h1>{name}</h1>
      <PeriodForm period={period} />
      <p className="no-print">
        <a className="button secondary" href={csvUrl} download>
          {csvLabel}
        </a>
      </p>
    </>
  );
}
