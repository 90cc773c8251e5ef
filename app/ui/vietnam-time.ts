// Dates and times as people in Tây Ninh read them: Vietnam time (UTC+7, no daylight saving), day first.
// Stored times are UTC ISO strings; every page and CSV shows them through these helpers.

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

function vietnamParts(iso: string) {
  const shifted = new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MS).toISOString();
  return { yyyy: shifted.slice(0, 4), mm: shifted.slice(5, 7), dd: shifted.slice(8, 10), time: shifted.slice(11, 16) };
}

/** "05/03/2026 14:30" — for pages. */
export function vietnamDateTime(iso: string): string {
  const p = vietnamParts(iso);
  return `${p.dd}/${p.mm}/${p.yyyy} ${p.time}`;
}

/** "2026-03-05 14:30" — for CSV files: the form every spreadsheet reads as a date and time. */
export function vietnamSpreadsheetDateTime(iso: string): string {
  const p = vietnamParts(iso);
  return `${p.yyyy}-${p.mm}-${p.dd} ${p.time}`;
}

/** "05/03/2026" from a plain calendar date "2026-03-05" (no time zone: it is already a local date). */
export function calendarDate(ymd: string): string {
  const [y, m, d] = ymd.split("-");
  return `${d}/${m}/${y}`;
}
