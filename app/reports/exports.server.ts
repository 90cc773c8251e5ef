import { spreadsheetCsv, type Cell } from "~/ui/csv.server";
import type { IndicatorReport, Row } from "./report.server";

// The two machine-readable shapes of the report: CSV for spreadsheets and JSON for the operations centre.

export const CSV_HEADER = ["indicator", "level", "code", "name", "numerator", "denominator", "percent", "target_percent", "period"];

/** The CSV a person opens: Vietnamese headers, indicator names and levels. Same rows and numbers as the machine CSV. */
export const PEOPLE_CSV_HEADER = ["Chỉ tiêu", "Cấp", "Mã", "Tên", "Số đã đạt", "Tổng số", "Tỉ lệ (%)", "Mục tiêu (%)", "Kỳ báo cáo"];
const LEVEL_WORDS: Record<string, string> = { province: "Toàn tỉnh", commune: "Xã/phường", agency: "Cơ quan, đơn vị" };

export function reportCsvForPeople(reports: IndicatorReport[], include: { province: boolean }): string {
  const records: Cell[][] = [];
  for (const r of reports) {
    const rows: Row[] = [...(include.province ? [r.province] : []), ...r.communes, ...r.agencies];
    for (const row of rows) {
      records.push([r.name, LEVEL_WORDS[row.level] ?? row.level, row.code, row.name, row.numerator, row.denominator, row.percent, r.targetPercent, r.period]);
    }
  }
  return spreadsheetCsv([PEOPLE_CSV_HEADER, ...records]);
}

/** The machine CSV (`?dang=may`): English column names and ids, unchanged since it was first published. */
export function reportCsv(reports: IndicatorReport[], include: { province: boolean }): string {
  const records: Cell[][] = [];
  for (const r of reports) {
    const rows: Row[] = [...(include.province ? [r.province] : []), ...r.communes, ...r.agencies];
    for (const row of rows) {
      records.push([r.id, row.level, row.code, row.name, row.numerator, row.denominator, row.percent, r.targetPercent, r.period]);
    }
  }
  return spreadsheetCsv([CSV_HEADER, ...records]);
}

const apiRow = (row: Row) => ({ code: row.code, name: row.name, numerator: row.numerator, denominator: row.denominator, percent: row.percent });

export function reportJson(reports: IndicatorReport[], period: string) {
  return {
    period,
    generated_at: new Date().toISOString(),
    indicators: reports.map((r) => ({
      id: r.id,
      name: r.name,
      population: r.population,
      courses: r.courses,
      target_percent: r.targetPercent,
      target_year: r.targetYear,
      province: apiRow(r.province),
      communes: r.communes.map(apiRow),
      agencies: r.agencies.map(apiRow),
    })),
  };
}
