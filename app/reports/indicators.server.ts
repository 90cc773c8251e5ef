import { sql, type Kysely, type Transaction } from "kysely";
import { getCatalog } from "~/courses/catalog.server";
import { db, greatest, januaryOf, preparedQuery, vietnamMonthOf, withoutIndex } from "~/db.server";
import type { DB } from "../../db/schema";
import { vietnamMonth } from "~/ui/vietnam-time";
import { computeServiceCounts, coursesInSector, serviceContribution } from "./service-use.server";

// Indicators are data (table `indicator`): a population, a course set from the courses' front matter, a minimum
// age and targets by year. Their numerators are kept as monthly counts (`indicator_count`) that change in the
// same transaction as the completion that moves them, so a report reads a few hundred rows, never the learners.

export type Indicator = {
  id: string;
  name: string;
  population: "officials" | "adults";
  courseSet: string;
  minAge: number;
  // 'course-set': the person completed every course of the set; 'service-use': the person has a practice
  // task recorded in a course of the sector (decision 021, app/reports/service-use.server.ts).
  measure: "course-set" | "service-use";
  sector: string;
  evidence: "any" | "confirmed";
  courses: string[]; // slugs of the courses in the set (or, for service use, of the sector), from the catalogue
  targets: { year: number; percent: number }[];
};

type Executor = Kysely<DB> | Transaction<DB>;

export function coursesInSet(set: string): string[] {
  return getCatalog()
    .courses.filter((c) => (c.sets as string[]).includes(set))
    .map((c) => c.slug)
    .sort();
}

// Read by every course completion, inside the group commit of a quiz answer: compiled once (db/prepared.ts).
const selectIndicators = preparedQuery((db) => db.selectFrom("indicator").selectAll().orderBy("position"));
const selectTargets = preparedQuery((db) => db.selectFrom("indicator_target").selectAll().orderBy("year"));

export async function listIndicators(executor: Executor = db()): Promise<Indicator[]> {
  const rows = await selectIndicators(executor);
  const targets = await selectTargets(executor);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    population: r.population,
    courseSet: r.course_set,
    minAge: r.min_age,
    measure: r.measure,
    sector: r.sector,
    evidence: r.evidence,
    courses: r.measure === "service-use" ? coursesInSector(r.sector) : coursesInSet(r.course_set),
    targets: targets.filter((t) => t.indicator_id === r.id).map((t) => ({ year: t.year, percent: t.target_percent })),
  }));
}

export type Contribution = { agency: string; commune: string; month: string };

/**
 * The roster entry this person is the first claimant of (same code, folded name and birth year; earliest
 * account first), whatever its status: whether it counts, and from when to when, is officialCounts' to say.
 */
export async function claimedRosterEntry(executor: Executor, personId: string) {
  const person = await executor
    .selectFrom("person")
    .select(["id", "personnel_code", "search_name", "birth_year"])
    .where("id", "=", personId)
    .executeTakeFirst();
  if (!person?.personnel_code) return undefined;
  const roster = await executor
    .selectFrom("roster_official")
    .selectAll()
    .where("personnel_code", "=", person.personnel_code)
    .where("search_name", "=", person.search_name)
    .where("birth_year", "=", person.birth_year)
    .executeTakeFirst();
  if (!roster) return undefined;
  const first = await executor
    .selectFrom("person")
    .select("id")
    .where("personnel_code", "=", roster.personnel_code)
    .where("search_name", "=", roster.search_name)
    .where("birth_year", "=", roster.birth_year)
    .orderBy("created_at")
    .orderBy("id")
    .executeTakeFirst();
  return first?.id === personId ? roster : undefined;
}

/**
 * Where and from which month a person counts for an adults' indicator; undefined if they do not (yet).
 * Months are Vietnam's: a course finished at 00:30 on 1 March in Tây Ninh counts in March.
 */
const selectCommuneAndBirthYear = preparedQuery((db, personId: string) =>
  db.selectFrom("person").select(["commune_code", "birth_year"]).where("id", "=", personId),
);

export async function contribution(executor: Executor, personId: string, indicator: Indicator): Promise<Contribution | undefined> {
  if (indicator.measure === "service-use") return serviceContribution(executor, personId, indicator);
  if (indicator.courses.length === 0) return undefined;
  const done = await executor
    .selectFrom("course_progress")
    .select(["completed_at"])
    .where("person_id", "=", personId)
    .where("completed_at", "is not", null)
    .where("course_slug", "in", indicator.courses)
    .execute();
  if (done.length < indicator.courses.length) return undefined;
  const completedMonth = done.map((d) => vietnamMonth(d.completed_at!)).sort().at(-1)!;
  if (indicator.population === "adults") {
    const [person] = await selectCommuneAndBirthYear(executor, personId);
    if (!person) throw new Error(`contribution: no person ${personId}`);
    const oldEnough = `${String(person.birth_year + indicator.minAge).padStart(4, "0")}-01`;
    return { agency: "", commune: person.commune_code, month: completedMonth > oldEnough ? completedMonth : oldEnough };
  }
  // Officials count through their roster entry, with its history: see officialCounts and countCompletion.
  return undefined;
}

/**
 * Whether an official counts for the indicator at the end of `lastMonth` (YYYY-MM), and from which month:
 * officialCounts' own rule on this person's roster entry, history included (joined, left). For exports that
 * must list exactly the people behind the report's numerator.
 */
export async function officialCountedAt(executor: Executor, personId: string, indicator: Indicator, lastMonth: string): Promise<Contribution | undefined> {
  const entry = await claimedRosterEntry(executor, personId);
  if (!entry) return undefined;
  const rows = (await officialCounts(executor, indicator, { codes: [entry.personnel_code] })).filter((r) => r.month <= lastMonth);
  if (rows.reduce((n, r) => n + r.count, 0) <= 0) return undefined;
  const first = rows.filter((r) => r.count > 0).sort((a, b) => a.month.localeCompare(b.month))[0];
  return { agency: first.agency_code, commune: first.commune_code, month: first.month };
}

// One upsert per table, compiled once: a completion moves a count or two inside a quiz answer's group commit.
const upsertCount = (table: "indicator_count" | "retained_count") =>
  preparedQuery((db, indicatorId: string, agency: string, commune: string, month: string, delta: number) =>
    db
      .insertInto(table)
      .values({ indicator_id: indicatorId, agency_code: agency, commune_code: commune, month, count: delta })
      .onConflict((oc) =>
        oc.columns(["indicator_id", "agency_code", "commune_code", "month"]).doUpdateSet({ count: sql`${sql.ref(`${table}.count`)} + ${delta}` }),
      ),
  );
const countUpserts = { indicator_count: upsertCount("indicator_count"), retained_count: upsertCount("retained_count") };

async function addCount(executor: Executor, table: "indicator_count" | "retained_count", indicatorId: string, c: Contribution, delta: number) {
  await countUpserts[table](executor, indicatorId, c.agency, c.commune, c.month, delta);
}

/**
 * Called in the transaction that completes a course: the person starts to count for every indicator whose
 * set this completion finishes. Each course completes once, so each set completes once.
 */
export async function countCompletion(trx: Transaction<DB>, personId: string, courseSlug: string): Promise<void> {
  for (const indicator of await listIndicators(trx)) {
    if (indicator.measure !== "course-set" || !indicator.courses.includes(courseSlug)) continue;
    if (indicator.population === "officials") {
      // The set was not complete before this completion, so the entry contributed nothing: its rows now
      // (officialCounts, the recomputation's own rule, on this one code) are exactly what to add.
      const entry = await claimedRosterEntry(trx, personId);
      if (!entry) continue;
      for (const r of await officialCounts(trx, indicator, { codes: [entry.personnel_code] })) {
        await addCount(trx, "indicator_count", indicator.id, { agency: r.agency_code, commune: r.commune_code, month: r.month }, r.count);
      }
      continue;
    }
    const c = await contribution(trx, personId, indicator);
    if (c) await addCount(trx, "indicator_count", indicator.id, c, 1);
  }
}

/**
 * Runs `work` (a deletion, a change of who claims a code) and moves the stored officials' counts by the
 * difference it made to those roster codes, computed by the recomputation's own rule before and after. This
 * is what keeps the aggregates equal to a full recomputation when the first claimant of an entry goes and a
 * second account, which did the work too, becomes the one that counts (issue 17, item 6).
 */
export async function recountRosterCodes<T>(trx: Transaction<DB>, codes: string[], work: () => Promise<T>): Promise<T> {
  const indicators = (await listIndicators(trx)).filter((i) => i.population === "officials" && i.courses.length > 0);
  if (codes.length === 0 || indicators.length === 0) return work();
  const before = await Promise.all(indicators.map((i) => officialCounts(trx, i, { codes })));
  const result = await work();
  for (const [n, indicator] of indicators.entries()) {
    await moveDifferences(trx, indicator.id, before[n], await officialCounts(trx, indicator, { codes }));
  }
  return result;
}

const countKey = (r: CountRow) => JSON.stringify([r.agency_code, r.commune_code, r.month]);

/** Moves the stored counts of one indicator from `before` to `after` (rows of officialCounts). */
export async function moveDifferences(executor: Executor, indicatorId: string, before: CountRow[], after: CountRow[]): Promise<void> {
  const delta = new Map<string, number>();
  for (const r of before) delta.set(countKey(r), (delta.get(countKey(r)) ?? 0) - Number(r.count));
  for (const r of after) delta.set(countKey(r), (delta.get(countKey(r)) ?? 0) + Number(r.count));
  for (const [key, n] of delta) {
    if (!n) continue;
    const [agency, commune, month] = JSON.parse(key) as [string, string, string];
    await addCount(executor, "indicator_count", indicatorId, { agency, commune, month }, n);
  }
}

/**
 * Called in the transaction that deletes an account: adult indicators keep the person as an anonymous count
 * (the province did train them). Officials' indicators are moved by recountRosterCodes around the deletion:
 * the roster entry stops counting, or counts through the next account that claims it.
 */
export async function releasePerson(trx: Transaction<DB>, personId: string): Promise<void> {
  for (const indicator of await listIndicators(trx)) {
    if (indicator.population !== "adults") continue;
    const c = await contribution(trx, personId, indicator);
    // Adults stay in the stored counts; `retained_count` lets a rebuild from raw data find them again.
    if (c) await addCount(trx, "retained_count", indicator.id, c, 1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Full recomputation from raw data: the reference the incremental counts must always equal.

type CountRow = { agency_code: string; commune_code: string; month: string; count: number };

export async function computeCounts(executor: Executor, indicator: Indicator): Promise<CountRow[]> {
  if (indicator.courses.length === 0) return [];
  const n = indicator.courses.length;
  const courses = sql.join(indicator.courses.map((c) => sql.lit(c)));
  let rows: CountRow[];
  if (indicator.measure === "service-use") {
    rows = await computeServiceCounts(executor, indicator);
  } else if (indicator.population === "adults") {
    const result = await sql<CountRow>`
      select '' as agency_code, commune_code, month, count(*) as count from (
        select p.commune_code,
               ${greatest(executor, vietnamMonthOf(executor, sql`max(cp.completed_at)`), januaryOf(executor, sql`p.birth_year + ${indicator.minAge}`))} as month
        from course_progress cp join person p on p.id = cp.person_id
        where cp.completed_at is not null and cp.course_slug in (${courses})
        group by cp.person_id, p.commune_code, p.birth_year having count(*) = ${n}
      ) as done group by commune_code, month`.execute(executor);
    rows = result.rows;
  } else {
    rows = await officialCounts(executor, indicator);
  }
  if (indicator.population === "adults") {
    const retained = await executor
      .selectFrom("retained_count")
      .select(["agency_code", "commune_code", "month", "count"])
      .where("indicator_id", "=", indicator.id)
      .execute();
    const merged = new Map(rows.map((r) => [`${r.agency_code}|${r.commune_code}|${r.month}`, { ...r }]));
    for (const r of retained) {
      const key = `${r.agency_code}|${r.commune_code}|${r.month}`;
      const row = merged.get(key);
      if (row) row.count += r.count;
      else merged.set(key, { ...r });
    }
    rows = [...merged.values()];
  }
  return rows.filter((r) => r.count !== 0);
}

/**
 * Officials who count, by agency, commune and month: a roster entry whose first matching account (same
 * personnel code, folded name and birth year) finished every course of the set. The entry adds 1 from the
 * later of the month the set was finished (Vietnam time) and the month it joined the roster; an entry that
 * has left adds −1 in the month it left, so a past period still counts it (decision 019). The one home of
 * this rule: the full recomputation uses it over the whole roster, a roster import over the codes it touches
 * (the import's temp table `import_affected_code`), a completion or deletion over one code.
 */
export async function officialCounts(
  executor: Executor,
  indicator: Indicator,
  scope: "all" | "import-affected" | { codes: string[] } = "all",
): Promise<CountRow[]> {
  if (indicator.courses.length === 0) return [];
  if (typeof scope === "object" && scope.codes.length === 0) return [];
  const courses = sql.join(indicator.courses.map((c) => sql.lit(c)));
  const roster =
    scope === "all"
      ? sql`roster_official r`
      : scope === "import-affected"
        ? sql`import_affected_code a join roster_official r on r.personnel_code = a.code`
        : sql`roster_official r`;
  const only = typeof scope === "object" ? sql`and r.personnel_code in (${sql.join(scope.codes)})` : sql``;
  const result = await sql<CountRow>`
    with finished as (
      select r.agency_code, coalesce(r.commune_code, '') as commune_code, r.status, substr(r.left_on, 1, 7) as left_month,
             ${greatest(executor, vietnamMonthOf(executor, sql`max(cp.completed_at)`), sql`coalesce(substr(r.joined_on, 1, 7), '')`)} as month
      from ${roster}
      join person p on p.id = (
        select p2.id from person p2
        -- on SQLite, unary + keeps the planner on the personnel_code index (names repeat; codes do not)
        where p2.personnel_code = r.personnel_code and ${withoutIndex(executor, sql`p2.search_name`)} = r.search_name
          and ${withoutIndex(executor, sql`p2.birth_year`)} = r.birth_year
        order by p2.created_at, p2.id limit 1)
      join course_progress cp on cp.person_id = p.id
      where (r.status = 'active' or r.left_on is not null) ${only}
        and cp.completed_at is not null and cp.course_slug in (${courses})
      group by r.personnel_code having count(*) = ${indicator.courses.length}
    ), moves as (
      select agency_code, commune_code, month, 1 as delta from finished where status = 'active' or left_month > month
      union all
      select agency_code, commune_code, left_month as month, -1 as delta from finished where status = 'left' and left_month > month
    )
    select agency_code, commune_code, month, sum(delta) as count from moves
    group by agency_code, commune_code, month having sum(delta) != 0`.execute(executor);
  return result.rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/**
 * Runs a write that may change whether (or from which month) a person counts for the service-use indicators
 * — a practice task reported or confirmed — and moves their stored counts in the same transaction.
 */
export async function withServiceUseCounts<T>(trx: Transaction<DB>, personId: string, write: () => Promise<T>): Promise<T> {
  const indicators = (await listIndicators(trx)).filter((i) => i.measure === "service-use");
  const before = await Promise.all(indicators.map((i) => contribution(trx, personId, i)));
  const result = await write();
  for (const [n, indicator] of indicators.entries()) {
    const after = await contribution(trx, personId, indicator);
    if (JSON.stringify(after) === JSON.stringify(before[n])) continue;
    if (before[n]) await addCount(trx, "indicator_count", indicator.id, before[n]!, -1);
    if (after) await addCount(trx, "indicator_count", indicator.id, after, 1);
  }
  return result;
}

export async function storedCounts(executor: Executor, indicatorId: string): Promise<CountRow[]> {
  return executor
    .selectFrom("indicator_count")
    .select(["agency_code", "commune_code", "month", "count"])
    .where("indicator_id", "=", indicatorId)
    .where("count", "!=", 0)
    .execute();
}

export type Difference = { indicator: string; key: string; stored: number; computed: number };

export async function compareCounts(executor: Executor = db()): Promise<Difference[]> {
  const differences: Difference[] = [];
  for (const indicator of await listIndicators(executor)) {
    const computed = new Map((await computeCounts(executor, indicator)).map((r) => [`${r.agency_code}|${r.commune_code}|${r.month}`, r.count]));
    const stored = new Map((await storedCounts(executor, indicator.id)).map((r) => [`${r.agency_code}|${r.commune_code}|${r.month}`, r.count]));
    for (const key of new Set([...computed.keys(), ...stored.keys()])) {
      if ((computed.get(key) ?? 0) !== (stored.get(key) ?? 0)) {
        differences.push({ indicator: indicator.id, key, stored: stored.get(key) ?? 0, computed: computed.get(key) ?? 0 });
      }
    }
  }
  return differences;
}

/** Replaces the stored counts of one indicator (or all) by a full recomputation, in one transaction. */
export async function rebuildCounts(only?: string): Promise<void> {
  // One short transaction per indicator (each one's counts are independent), so the write lock the server
  // also needs is held for one recomputation at a time, not for all of them (decision 013).
  for (const indicator of await listIndicators()) {
    if (only && indicator.id !== only) continue;
    await db().transaction().execute((trx) => rebuildIndicator(trx, indicator));
  }
}

export async function rebuildIndicator(trx: Transaction<DB>, indicator: Indicator): Promise<void> {
  const rows = await computeCounts(trx, indicator);
  await trx.deleteFrom("indicator_count").where("indicator_id", "=", indicator.id).execute();
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto("indicator_count")
      .values(rows.slice(i, i + 500).map((r) => ({ indicator_id: indicator.id, ...r })))
      .execute();
  }
  const coursesKey = buildKey(indicator);
  await trx
    .insertInto("indicator_build")
    .values({ indicator_id: indicator.id, courses_key: coursesKey, built_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("indicator_id").doUpdateSet({ courses_key: coursesKey, built_at: new Date().toISOString() }))
    .execute();
}

// The counting rule's version goes into the build key with the courses: counts stored under an older rule
// (UTC months, roster without history) are rebuilt once, the first time a report is read.
const COUNT_RULE = "vn-months+roster-history";
const buildKey = (indicator: Indicator) => `${COUNT_RULE}|${indicator.courses.join(",")}`;

// If a course was added to or removed from a set since the counts were built (a content change), the report
// rebuilds those indicators before reading: cheap when nothing changed, one small query read with the others.

/** What each indicator's stored counts were built from (read alongside other reads by the report, decision 031). */
export async function countBuilds(): Promise<{ indicator_id: string; courses_key: string }[]> {
  return db().selectFrom("indicator_build").select(["indicator_id", "courses_key"]).execute();
}

/** Rebuilds, in one transaction, the indicators whose counts were built from other courses; returns their ids. */
export async function rebuildIfStale(indicators: Indicator[], builds: { indicator_id: string; courses_key: string }[]): Promise<string[]> {
  const built = new Map(builds.map((b) => [b.indicator_id, b.courses_key]));
  const stale = indicators.filter((i) => built.get(i.id) !== buildKey(i));
  if (stale.length) {
    await db().transaction().execute(async (trx) => {
      for (const indicator of stale) await rebuildIndicator(trx, indicator);
    });
  }
  return stale.map((i) => i.id);
}
