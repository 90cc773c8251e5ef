import { stringify } from "csv-stringify/sync";

// Every CSV the site hands out (report, cohort matrix, import templates) is written here: UTF-8 with a
// byte-order mark and CRLF, as spreadsheet programs expect, so Vietnamese names show correctly — and with the
// one formula guard, so a name typed by a user never runs as a formula when the file is opened.

export type Cell = string | number | null | undefined;

/** A text cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets an apostrophe. */
export function spreadsheetSafe(value: Cell): string | number {
  if (value === null || value === undefined) return "";
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function spreadsheetCsv(rows: Cell[][]): string {
  return `\uFEFF${stringify(
    rows.map((row) => row.map(spreadsheetSafe)),
    { record_delimiter: "\r\n" },
  )}`;
}

/** The download of a CSV file, never kept by a cache (it holds personal or scoped data). */
export function csvDownload(csv: string, fileName: string): Response {
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "no-store" },
  });
}
