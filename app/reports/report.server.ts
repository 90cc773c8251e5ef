import { sql } from "kysely";
import { db } from "~/db.server";
import { lastDayOfMonth } from "~/ui/vietnam-time";
import { ensureCountsMatchContent, listIndicators, type Indicator } from "./indicators.server";

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

async function names() {
  const communes = await db().selectFrom("commune").select(["code", "name", "type"]).execute();
  const agencies = await db().selectFrom("agency").select(["code", "name", "commune_code"]).execute();
  return {
    communes: new Map(communes.map((c) => [c.code, `${c.type === "phường" ? "Phường" : "Xã"} ${c.name}`])),
    agencies: new Map(agencies.map((a) => [a.code, a.name])),
  };
}

async function numerators(indicatorId: string, endMonth: string) {
  return db()
    .selectFrom("indicator_count")
    .select(["agency_code", "commune_code", (eb) => eb.fn.sum<number>("count").as("n")])
    .where("indicator_id", "=", indicatorId)
    .where("month", "<=", endMonth)
    .groupBy(["agency_code", "commune_code"])
    .execute();
}

// The roster changes only by import: its headcount per period end is cached until a new import batch appears.
type Headcount = { agency_code: string; commune_code: unknown; n: number }[];
let headcountCache: { batch: number; byEnd: Map<string, Headcount> } | undefined;

async function officialHeadcount(endMonth: string) {
  const latest = await db().selectFrom("import_batch").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  const batch = Number(latest?.id ?? 0);
  if (headcountCache?.batch !== batch) headcountCache = { batch, byEnd: new Map() };
  const end = lastDayOfMonth(endMonth);
  const cached = headcountCache.byEnd.get(end);
  if (cached) return cached;
  const rows = await countRoster(end);
  headcountCache.byEnd.set(end, rows);
  return rows;
}

/**
 * Officials on the roster on the last day of a period (a Vietnam date): joined by then (or before the
 * platform), and still active or left only after it — the roster as it was, not as it is (decision 019).
 */
async function countRoster(endDate: string) {
  return db()
    .selectFrom("roster_official")
    .select(["agency_code", (eb) => eb.fn.coalesce("commune_code", sql.lit("")).as("commune_code"), (eb) => eb.fn.countAll<number>().as("n")])
    .where((eb) => eb.or([eb("joined_on", "is", null), eb("joined_on", "<=", endDate)]))
    .where((eb) => eb.or([eb("status", "=", "active"), eb("left_on", ">", endDate)]))
    .groupBy(["agency_code", "commune_code"])
    .execute();
}

/** Adults per commune for a year: the latest figure imported for that year or before. */
async function adultPopulation(year: number) {
  const { rows } = await sql<{ commune_code: string; n: number }>`
    select commune_code, adult_population as n from adult_population a
    where year = (select max(year) from adult_population b where b.commune_code = a.commune_code and b.year <= ${year})`.execute(db());
  return rows;
}

function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + Number(value(item)));
  return out;
}

type Denominators = { byCommune: Map<string, number>; byAgency: Map<string, number>; total: number };

async function denominators(indicator: Indicator, endMonth: string): Promise<Denominators> {
  const year = Number(endMonth.slice(0, 4));
  if (indicator.population === "officials") {
    const heads = await officialHeadcount(endMonth);
    const byCommune = sumBy(heads, (h) => h.commune_code as string, (h) => h.n);
    return { byCommune, byAgency: sumBy(heads, (h) => h.agency_code, (h) => h.n), total: heads.reduce((s, h) => s + Number(h.n), 0) };
  }
  const byCommune = sumBy(await adultPopulation(year), (p) => p.commune_code, (p) => p.n);
  return { byCommune, byAgency: new Map(), total: [...byCommune.values()].reduce((s, n) => s + n, 0) };
}

export async function indicatorReport(indicator: Indicator, period: Period, lookup?: Awaited<ReturnType<typeof names>>): Promise<IndicatorReport> {
  const labels = lookup ?? (await names());
  const target = targetFor(indicator, period.year);
  const targetPercent = target?.percent ?? null;
  const counts = await numerators(indicator.id, period.endMonth);
  const numByCommune = sumBy(counts, (c) => c.commune_code, (c) => c.n);
  const numByAgency = sumBy(counts, (c) => c.agency_code, (c) => c.n);
  const total = counts.reduce((s, c) => s + Number(c.n), 0);
  const den = await denominators(indicator, period.endMonth);

  const communes = [...labels.communes.entries()].map(([code, name]) =>
    row("commune", code, name, numByCommune.get(code) ?? 0, den.byCommune.get(code) ?? 0, targetPercent),
  );
  const agencies =
    indicator.population === "officials"
      ? [...labels.agencies.entries()].map(([code, name]) => row("agency", code, name, numByAgency.get(code) ?? 0, den.byAgency.get(code) ?? 0, targetPercent))
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

/** Every indicator for a period, optionally narrowed to one commune or one agency. */
export async function provinceReport(period: Period, filter: ReportFilter = {}): Promise<IndicatorReport[]> {
  await ensureCountsMatchContent();
  const lookup = await names();
  const reports: IndicatorReport[] = [];
  for (const indicator of await listIndicators()) {
    const report = await indicatorReport(indicator, period, lookup);
    if (filter.commune) report.communes = report.communes.filter((c) => c.code === filter.commune);
    if (filter.agency) report.agencies = report.agencies.filter((a) => a.code === filter.agency);
    if (filter.commune && !filter.agency) report.agencies = [];
    if (filter.agency && !filter.commune) report.communes = [];
    reports.push(report);
  }
  return reports;
}

export type TrendPoint = { month: string; numerator: number; denominator: number; percent: number | null };

/** Month by month over the 12 months ending with the period, for one indicator, at one level. */
export async function monthlyTrend(indicator: Indicator, period: Period, filter: ReportFilter = {}): Promise<TrendPoint[]> {
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
  let counts = db()
    .selectFrom("indicator_count")
    .select(["month", (eb) => eb.fn.sum<number>("count").as("n")])
    .where("indicator_id", "=", indicator.id)
    .where("month", "<=", period.endMonth)
    .groupBy("month");
  if (filter.commune) counts = counts.where("commune_code", "=", filter.commune);
  if (filter.agency) counts = counts.where("agency_code", "=", filter.agency);
  const byMonth = await counts.execute();
  const out: TrendPoint[] = [];
  // Adults' denominators change by year, officials' by the roster on each month's last day.
  const byKey = new Map<string, Denominators>();
  for (const month of months) {
    const key = indicator.population === "officials" ? month : month.slice(0, 4);
    if (!byKey.has(key)) byKey.set(key, await denominators(indicator, indicator.population === "officials" ? month : `${key}-12`));
    const den = byKey.get(key)!;
    const numerator = byMonth.filter((r) => r.month <= month).reduce((s, r) => s + Number(r.n), 0);
    const denominator = filter.commune ? den.byCommune.get(filter.commune) ?? 0 : filter.agency ? den.byAgency.get(filter.agency) ?? 0 : den.total;
    out.push({ month, numerator, denominator, percent: percentOf(numerator, denominator) });
  }
  return out;
}
