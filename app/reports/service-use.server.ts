import { sql, type Kysely, type Transaction } from "kysely";
import { getCatalog } from "~/courses/catalog.server";
import { SERVICE_SECTORS } from "~/courses/services";
import { greatest, januaryOf, vietnamMonthOf } from "~/db.server";
import type { DB } from "../../db/schema";
import type { Contribution, Indicator } from "./indicators.server";

// The third indicator, "adults using digital services" (decision 021): an adult counts once they have a
// practice task recorded in a course of the indicator's sector — reported by themselves after answering the
// task's self-check question, or confirmed by a trainer in person. The "confirmed" variant counts trainer
// confirmations only. Like the course-set indicators, a person counts from a month: the month (Vietnam time) of their first
// qualifying record, or the January of the year they reach the minimum age, whichever is later.
// This file holds the one definition twice — per person (incremental) and in SQL (the full recomputation) —
// and the tests check the two agree.

type Executor = Kysely<DB> | Transaction<DB>;

/** Slugs of the courses whose tasks count for a service-use indicator ('' = the four sectors of the target). */
export function coursesInSector(sector: string): string[] {
  const sectors: readonly string[] = sector ? [sector] : SERVICE_SECTORS;
  return getCatalog()
    .courses.filter((c) => sectors.includes(c.sector))
    .map((c) => c.slug)
    .sort();
}

/** The earliest moment a record qualifies: its confirmation, or (evidence 'any') its self-report if earlier. */
function qualifyingTime(evidence: Indicator["evidence"]) {
  return evidence === "confirmed"
    ? sql<string | null>`tr.confirmed_at`
    : sql<string | null>`case when tr.self_reported_at is null then tr.confirmed_at
        when tr.confirmed_at is null or tr.self_reported_at < tr.confirmed_at then tr.self_reported_at
        else tr.confirmed_at end`;
}

export async function serviceContribution(executor: Executor, personId: string, indicator: Indicator): Promise<Contribution | undefined> {
  if (indicator.courses.length === 0) return undefined;
  const courses = sql.join(indicator.courses.map((c) => sql.lit(c)));
  const { rows } = await sql<{ commune_code: string; month: string | null }>`
    select p.commune_code,
           ${greatest(executor, vietnamMonthOf(executor, sql`min(${qualifyingTime(indicator.evidence)})`), januaryOf(executor, sql`p.birth_year + ${indicator.minAge}`))} as month
    from person p join task_record tr on tr.person_id = p.id
    where p.id = ${personId} and tr.course_slug in (${courses}) and ${qualifyingTime(indicator.evidence)} is not null
    group by p.id`.execute(executor);
  const row = rows[0];
  return row?.month ? { agency: "", commune: row.commune_code, month: row.month } : undefined;
}

export type ServiceCountRow = { agency_code: string; commune_code: string; month: string; count: number };

/** The same rule over everyone, in one query: counts by commune and month. */
export async function computeServiceCounts(executor: Executor, indicator: Indicator): Promise<ServiceCountRow[]> {
  if (indicator.courses.length === 0) return [];
  const courses = sql.join(indicator.courses.map((c) => sql.lit(c)));
  const { rows } = await sql<ServiceCountRow>`
    select '' as agency_code, commune_code, month, count(*) as count from (
      select p.commune_code,
             ${greatest(executor, vietnamMonthOf(executor, sql`min(${qualifyingTime(indicator.evidence)})`), januaryOf(executor, sql`p.birth_year + ${indicator.minAge}`))} as month
      from task_record tr join person p on p.id = tr.person_id
      where tr.course_slug in (${courses}) and ${qualifyingTime(indicator.evidence)} is not null
      group by p.id
    ) as firsts group by commune_code, month`.execute(executor);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
