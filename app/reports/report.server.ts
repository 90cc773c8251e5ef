import { sql } from "kysely";
import { db } from "~/db.server";
import { lastDayOfMonth } from "~/ui/vietnam-time";
import { countBuilds, listIndicators, rebuildIfStale, type Indicator } from "./indicators.server";

// Indicator values "as of" the end of a period (a year "2026" or a month "2026-03"), with numerator,
// denominator and target, at province, commune and agency level. Reads aggregates and denominators only.

export type Period = { label: string; endMonth: string; year: number };

export function parsePeriod(input: string | null | undefined, now = new Date()): Period | null {
  const text = (input ?? "").trim() || String(now.getUTCFullYear());
  const year = /^(\d{4})$/.exec(text);
  if (year && +year[1] >= 2020 && +year[1] <= 2100) return { label: text, endMonth: `${text}-12`, year: +year[1] };
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (month && +month[1] >= 2020 && +month[1] <= 2100) return { label: text, endMonth: text, year: +month[1] };
  return null;
}

export type Row = {
  level: "province" | "commune" | "agency";
  code: string;
  name: string;
  numerator: number;
  denominator: number;
  percent: number | null; // one decimal; null when there is no denominator
  gap: number | null; // target − percent, in percentage points
};

export type IndicatorReport = {
  id: string;
  name: string;
  population: "officials" | "adults";
  courses: string[];
  targetPercent: number | null;
  targetYear: number | null;
  period: string;
  province: Row;
  communes: Row[];
  agencies: Row[];
};

function percentOf(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator * 1000) / denominator) / 10 : null;
}

function row(level: Row["level"], code: string, name: string, numerator: number, denominator: number, target: number | null): Row {
  const percent = percentOf(numerator, denominator);
  return { level, code, name, numerator, denominator, percent, gap: percent === null || target === null ? null : Math.round((target - percent) * 10) / 10 };
}

/** The target that applies to a period: the first target year at or after it, else the last one. */
export function targetFor(indicator: Indicator, year: number): { year: number; percent: number } | null {
  return indicator.targets.find((t) => t.year >= year) ?? indicator.targets.at(-1) ?? null;
}

// A report reads everything it needs up front, in a handful of statements that do not wait for each other
// (decision 031): on PostgreSQL each statement is a round trip to another process, and the report used to
// make about forty of them one after another. The sums are then made here, from a few hundred rows.

type Labels = { communes: Map<string, string>; agencies: Map<string, string> };
type CountRow = { indicator_id: string; agency_code: string; commune_code: string; month: string; n: number };
type PopulationRow = { commune_code: string; year: number; n: number };
type Headcount = { agency_code: string; commune_code: string; n: number }[];

export type ReportData = {
  indicators: Indicator[];
  labels: Labels;
  counts: CountRow[]; // every stored count up to the period's last month, all indicators, all places
  population: PopulationRow[]; // every adult population figure imported
  headcounts: Map<string, Headcount>; // officials on the roster, by the month-end dates the period needs
};

async function names(): Promise<Labels> {
  const [communes, agencies] = await Promise.all([
    db().selectFrom("commune").select(["code", "name", "type"]).execute(),
    db().selectFrom("agency").select(["code", "name", "commune_code"]).execute(),
  ]);
  return {
    communes: new Map(communes.map((c) => [c.code, `${c.type === "phường" ? "Phường" : "Xã"} ${c.name}`])),
    agencies: new Map(agencies.map((a) => [a.code, a.name])),
  };
}

async function storedCountsUpTo(endMonth: string): Promise<CountRow[]> {
  const rows = await db()
    .selectFrom("indicator_count")
    .select(["indicator_id", "agency_code", "commune_code", "month", "count as n"])
    .where("month", "<=", endMonth)
    .where("count", "!=", 0)
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

async function adultPopulations(): Promise<PopulationRow[]> {
  const rows = await db().selectFrom("adult_population").select(["commune_code", "year", "adult_population as n"]).execute();
  return rows.map((r) => ({ commune_code: r.commune_code, year: Number(r.year), n: Number(r.n) }));
}

async function latestImportBatch(): Promise<number> {
  const latest = await db().selectFrom("import_batch").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  return Number(latest?.id ?? 0);
}

/** The 12 months ending with the period (YYYY-MM), oldest first. */
function trendMonths(period: Period): string[] {
  const months: string[] = [];
  let [y, m] = period.endMonth.split("-").map(Number);
  for (let i = 0; i < 12; i++) {
    months.unshift(`${y}-${String(m).padStart(2, "0")}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return months;
}

/** Reads what the reports of one period need: the statements run together, and officials' headcounts once per roster. */
export async function readReportData(period: Period): Promise<ReportData> {
  const [indicators, builds, labels, stored, population, batch] = await Promise.all([
    listIndicators(),
    countBuilds(),
    names(),
    storedCountsUpTo(period.endMonth),
    adultPopulations(),
    latestImportBatch(),
  ]);
  // After a content change (a course added to or removed from a set) the counts are rebuilt, then read again.
  const rebuilt = await rebuildIfStale(indicators, builds);
  const counts = rebuilt.length ? await storedCountsUpTo(period.endMonth) : stored;
  const ends = indicators.some((i) => i.population === "officials") ? trendMonths(period).map(lastDayOfMonth) : [];
  return { indicators, labels, counts, population, headcounts: await officialHeadcounts(batch, ends) };
}

// The roster changes only by import: its headcount per period end is cached until a new import batch appears.
let headcountCache: { batch: number; byEnd: Map<string, Headcount> } | undefined;

async function officialHeadcounts(batch: number, ends: string[]): Promise<Map<string, Headcount>> {
  if (headcountCache?.batch !== batch) headcountCache = { batch, byEnd: new Map() };
  const cache = headcountCache;
  const missing = ends.filter((end) => !cache.byEnd.has(end));
  if (missing.length) for (const [end, rows] of await countRoster(missing)) cache.byEnd.set(end, rows);
  return new Map(ends.map((end) => [end, cache.byEnd.get(end)!]));
}

/**
 * Officials on the roster on each of several days (Vietnam dates): joined by then (or before the platform),
 * and still active or left only after it — the roster as it was, not as it is (decision 019). One pass over
 * the roster with one conditional count per day, instead of one scan per day.
 */
async function countRoster(endDates: string[]): Promise<Map<string, Headcount>> {
  const onRoster = (end: string) =>
    sql`sum(case when (joined_on is null or joined_on <= ${end}) and (status = 'active' or left_on > ${end}) then 1 else 0 end)`;
  const { rows } = await sql<Record<string, unknown>>`
    select agency_code, coalesce(commune_code, '') as commune_code,
           ${sql.join(endDates.map((end, i) => sql`${onRoster(end)} as ${sql.ref(`n${i}`)}`))}
    from roster_official group by agency_code, coalesce(commune_code, '')`.execute(db());
  return new Map(
    endDates.map((end, i) => [
      end,
      rows
        .map((r) => ({ agency_code: String(r.agency_code), commune_code: String(r.commune_code), n: Number(r[`n${i}`]) }))
        .filter((r) => r.n > 0),
    ]),
  );
}

/** Adults per commune for a year: the latest figure imported for that year or before. */
function adultPopulation(data: ReportData, year: number): Map<string, number> {
  const latest = new Map<string, PopulationRow>();
  for (const row of data.population) {
    if (row.year > year) continue;
    const seen = latest.get(row.commune_code);
    if (!seen || row.year > seen.year) latest.set(row.commune_code, row);
  }
  return new Map([...latest.values()].map((r) => [r.commune_code, r.n]));
}

function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + Number(value(item)));
  return out;
}

type Denominators = { byCommune: Map<string, number>; byAgency: Map<string, number>; total: number };

function denominators(data: ReportData, indicator: Indicator, endMonth: string): Denominators {
  if (indicator.population === "officials") {
    const heads = data.headcounts.get(lastDayOfMonth(endMonth)) ?? [];
    const byCommune = sumBy(heads, (h) => h.commune_code, (h) => h.n);
    return { byCommune, byAgency: sumBy(heads, (h) => h.agency_code, (h) => h.n), total: heads.reduce((s, h) => s + h.n, 0) };
  }
  const byCommune = adultPopulation(data, Number(endMonth.slice(0, 4)));
  return { byCommune, byAgency: new Map(), total: [...byCommune.values()].reduce((s, n) => s + n, 0) };
}

function indicatorReport(data: ReportData, indicator: Indicator, period: Period): IndicatorReport {
  const target = targetFor(indicator, period.year);
  const targetPercent = target?.percent ?? null;
  const counts = data.counts.filter((c) => c.indicator_id === indicator.id);
  const numByCommune = sumBy(counts, (c) => c.commune_code, (c) => c.n);
  const numByAgency = sumBy(counts, (c) => c.agency_code, (c) => c.n);
  const total = counts.reduce((s, c) => s + c.n, 0);
  const den = denominators(data, indicator, period.endMonth);

  const communes = [...data.labels.communes.entries()].map(([code, name]) =>
    row("commune", code, name, numByCommune.get(code) ?? 0, den.byCommune.get(code) ?? 0, targetPercent),
  );
  const agencies =
    indicator.population === "officials"
      ? [...data.labels.agencies.entries()].map(([code, name]) => row("agency", code, name, numByAgency.get(code) ?? 0, den.byAgency.get(code) ?? 0, targetPercent))
      : [];
  return {
    id: indicator.id,
    name: indicator.name,
    population: indicator.population,
    courses: indicator.courses,
    targetPercent,
    targetYear: target?.year ?? null,
    period: period.label,
    province: row("province", "80", "Tỉnh Tây Ninh", total, den.total, targetPercent),
    communes,
    agencies,
  };
}

export type ReportFilter = { commune?: string; agency?: string };

function narrowed(report: IndicatorReport, filter: ReportFilter): IndicatorReport {
  if (filter.commune) report.communes = report.communes.filter((c) => c.code === filter.commune);
  if (filter.agency) report.agencies = report.agencies.filter((a) => a.code === filter.agency);
  if (filter.commune && !filter.agency) report.agencies = [];
  if (filter.agency && !filter.commune) report.communes = [];
  return report;
}

/** Every indicator for a period, optionally narrowed to one commune or one agency. */
export async function provinceReport(period: Period, filter: ReportFilter = {}, data?: ReportData): Promise<IndicatorReport[]> {
  const read = data ?? (await readReportData(period));
  return read.indicators.map((indicator) => narrowed(indicatorReport(read, indicator, period), filter));
}

/** provinceReport with each indicator's 12-month trend at the same level, from one read. */
export async function reportWithTrends(period: Period, filter: ReportFilter = {}): Promise<Array<IndicatorReport & { trend: TrendPoint[] }>> {
  const data = await readReportData(period);
  const reports = await provinceReport(period, filter, data);
  return reports.map((report, i) => ({ ...report, trend: trendOf(data, data.indicators[i], period, filter) }));
}

export type TrendPoint = { month: string; numerator: number; denominator: number; percent: number | null };

/** Month by month over the 12 months ending with the period, for one indicator, at one level. */
export async function monthlyTrend(indicator: Indicator, period: Period, filter: ReportFilter = {}): Promise<TrendPoint[]> {
  return trendOf(await readReportData(period), indicator, period, filter);
}

function trendOf(data: ReportData, indicator: Indicator, period: Period, filter: ReportFilter): TrendPoint[] {
  const counts = data.counts.filter(
    (c) =>
      c.indicator_id === indicator.id && (!filter.commune || c.commune_code === filter.commune) && (!filter.agency || c.agency_code === filter.agency),
  );
  const byMonth = [...sumBy(counts, (c) => c.month, (c) => c.n)].map(([month, n]) => ({ month, n }));
  // Adults' denominators change by year, officials' by the roster on each month's last day.
  return trendMonths(period).map((month) => {
    const den = denominators(data, indicator, indicator.population === "officials" ? month : `${month.slice(0, 4)}-12`);
    const numerator = byMonth.filter((r) => r.month <= month).reduce((s, r) => s + r.n, 0);
    const denominator = filter.commune ? den.byCommune.get(filter.commune) ?? 0 : filter.agency ? den.byAgency.get(filter.agency) ?? 0 : den.total;
    return { month, numerator, denominator, percent: percentOf(numerator, denominator) };
  });
}
