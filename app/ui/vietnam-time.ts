// Dates and times as people in Tây Ninh read them, and the periods they count in: Vietnam time
// (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving), day first. Times are stored as UTC ISO strings; every
// page, CSV, period and deadline goes through this one module (decision 018; SQL's side is vietnamMonthOf in
// db/portable.ts).

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

function shifted(time: string | Date): string {
  const ms = typeof time === "string" ? Date.parse(time) : time.getTime();
  return new Date(ms + VIETNAM_OFFSET_MS).toISOString();
}

/** "2026-02-28T17:30:00Z" → "2026-03": the month in Vietnam. */
export function vietnamMonth(time: string | Date): string {
  return shifted(time).slice(0, 7);
}

/** YYYY-MM-DD in Vietnam. */
export function vietnamDate(time: string | Date = new Date()): string {
  return shifted(time).slice(0, 10);
}

/** Whether "YYYY-MM-DD" names a day that exists: "2026-02-31" and "2026-13-01" have the shape and do not. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const day = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

/** "2026-06-30" (or a stored time, already in Vietnam's date) → "30/06/2026". */
export function formatVietnamDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** Whole days from `today` to `deadline` (both YYYY-MM-DD): 0 on the day itself, negative once past. */
export function daysUntil(deadline: string, today: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The last day of a YYYY-MM month, as YYYY-MM-DD. */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, "0")}`;
}

/** ISO week of a Vietnam date, "2026-W49": the digest's once-a-week key. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** "05/03/2026 14:30" — for pages. */
export function vietnamDateTime(iso: string): string {
  const time = shifted(iso);
  return `${formatVietnamDate(time)} ${time.slice(11, 16)}`;
}

/** "2026-03-05 14:30" — for CSV files: the form every spreadsheet reads as a date and time. */
export function vietnamSpreadsheetDateTime(iso: string): string {
  const time = shifted(iso);
  return `${time.slice(0, 10)} ${time.slice(11, 16)}`;
}
