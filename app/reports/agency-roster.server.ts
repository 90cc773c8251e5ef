import { sql, type RawBuilder } from "kysely";
import { foldForSearch } from "~/text/folding";
import { db, withoutIndex } from "~/db.server";
import type { Deadline } from "./deadlines.server";

// The agency officer's list of officials (issue 17, item 4): counts first, then one page of a filtered list,
// computed in SQL so an agency of 20,000 officials costs one indexed pass, never 20,000 rows of HTML.
// The same rule as the indicator: an active roster entry counts through its first matching account.

export type RosterFilter = "all" | "overdue" | "at-risk" | "not-started" | "in-progress" | "completed" | "not-matched";
export const ROSTER_FILTERS: { value: RosterFilter; label: string }[] = [
  { value: "all", label: "Tất cả" },
  { value: "overdue", label: "Quá hạn" },
  { value: "at-risk", label: "Sắp đến hạn" },
  { value: "not-started", label: "Chưa bắt đầu" },
  { value: "in-progress", label: "Đang học" },
  { value: "completed", label: "Đã hoàn thành" },
  { value: "not-matched", label: "Chưa khớp danh sách" },
];
export const STATUS_LABELS = { "not-started": "Chưa bắt đầu", "in-progress": "Đang học", completed: "Đã hoàn thành" } as const;
/** With this many days or fewer left, anyone not finished is "at risk". */
export const AT_RISK_DAYS = 60;
export const PAGE_SIZE = 50;

export type RosterRow = {
  personnelCode: string;
  fullName: string;
  status: keyof typeof STATUS_LABELS;
  coursesCompleted: number;
  personId: string | null;
};
export type Unmatched = { personId: string; username: string; fullName: string; personnelCode: string };
export type RosterCounts = { total: number; completed: number; inProgress: number; notStarted: number; withoutAccount: number; notMatched: number };

/**
 * An entry's first claimant: the earliest account with its personnel code, folded name and birth year. One
 * index-only seek per entry on person_claim (migration 0017).
 */
function claimantOf(entry: string) {
  return sql`(select p2.id from person p2
    where p2.personnel_code = ${sql.ref(`${entry}.personnel_code`)} and p2.search_name = ${sql.ref(`${entry}.search_name`)}
      and p2.birth_year = ${sql.ref(`${entry}.birth_year`)}
    order by p2.created_at, p2.id limit 1)`;
}

/**
 * Status and courses finished for the entries `entries` selects (personnel_code, full_name, search_name,
 * birth_year). Per entry: the claimant seek, then the claimant's few course_progress rows read as one range
 * (course_slug is kept out of the seek on SQLite: one seek on person_id beats one seek per required course).
 */
function withStatus(entries: RawBuilder<unknown>, required: string[]) {
  const courses = required.length ? sql.join(required.map((c) => sql.lit(c))) : sql`null`;
  const slug = withoutIndex(db(), sql`cp.course_slug`);
  return sql`
    with entries as (${entries}), claimed as (
      select e.personnel_code, e.full_name, e.search_name, ${claimantOf("e")} as person_id from entries e
    ), progress as (
      select c.*,
        (select count(*) from course_progress cp where cp.person_id = c.person_id and ${slug} in (${courses}) and cp.completed_at is not null) as done,
        (select count(*) from course_progress cp where cp.person_id = c.person_id and ${slug} in (${courses})) as started
      from claimed c
    )
    select personnel_code, full_name, search_name, person_id, done,
      case when ${required.length} > 0 and done = ${required.length} then 'completed' when started > 0 then 'in-progress' else 'not-started' end as status
    from progress`;
}

function activeEntries(agencyCode: string) {
  return sql`select r.personnel_code, r.full_name, r.search_name, r.birth_year from roster_official r where r.agency_code = ${agencyCode} and r.status = 'active'`;
}

/** Every active entry of the agency with its status (counts, filtered pages, reminders, CSV). */
function rosterStatus(agencyCode: string, required: string[]) {
  return withStatus(activeEntries(agencyCode), required);
}

function unmatchedQuery(agencyCode: string) {
  // Officials who declared this agency but count nowhere: no matching active entry, or not its first claimant.
  return sql`
    select p.id as person_id, p.username, p.full_name, p.personnel_code from person p
    where p.kind = 'official' and p.agency_code = ${agencyCode} and not exists (
      select 1 from roster_official r where r.personnel_code = p.personnel_code and r.search_name = p.search_name
        and r.birth_year = p.birth_year and r.status = 'active' and p.id = ${claimantOf("r")})`;
}

export async function rosterCounts(agencyCode: string, required: string[]): Promise<RosterCounts> {
  const { rows } = await sql<{ status: string; n: number; without_account: number }>`
    select status, count(*) as n, sum(case when person_id is null then 1 else 0 end) as without_account from (${rosterStatus(agencyCode, required)}) as s group by status`.execute(db());
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const unmatched = await sql<{ n: number }>`select count(*) as n from (${unmatchedQuery(agencyCode)}) as u`.execute(db());
  return {
    total: rows.reduce((s, r) => s + Number(r.n), 0),
    completed: n("completed"),
    inProgress: n("in-progress"),
    notStarted: n("not-started"),
    withoutAccount: rows.reduce((s, r) => s + Number(r.without_account), 0),
    notMatched: Number(unmatched.rows[0]?.n ?? 0),
  };
}

/** Which statuses a filter keeps, given the agency's deadline (overdue and at-risk depend on it). */
function statusesFor(filter: RosterFilter, deadline: Deadline | null): string[] | null {
  if (filter === "completed" || filter === "in-progress" || filter === "not-started") return [filter];
  if (filter === "overdue") return deadline && deadline.daysLeft < 0 ? ["in-progress", "not-started"] : [];
  if (filter === "at-risk") return deadline && deadline.daysLeft >= 0 && deadline.daysLeft <= AT_RISK_DAYS ? ["in-progress", "not-started"] : [];
  return null;
}

/** Name (typed with or without diacritics) or the start of a personnel code. */
function searchCondition(search: string, prefix = "") {
  const folded = foldForSearch(search);
  if (!folded) return sql`1 = 1`;
  const code = search.trim().toUpperCase();
  return sql`(${sql.ref(`${prefix}search_name`)} like ${`%${folded}%`} or ${sql.ref(`${prefix}personnel_code`)} like ${`${code}%`})`;
}

export type RosterQuery = { filter: RosterFilter; search: string; page: number };

export async function rosterPage(agencyCode: string, required: string[], deadline: Deadline | null, query: RosterQuery) {
  const offset = (query.page - 1) * PAGE_SIZE;
  if (query.filter === "not-matched") {
    const { rows } = await sql<{ person_id: string; username: string; full_name: string; personnel_code: string; search_name: string }>`
      select u.*, p.search_name from (${unmatchedQuery(agencyCode)}) u join person p on p.id = u.person_id
      where ${searchCondition(query.search, "p.")}
      order by p.search_name limit ${PAGE_SIZE + 1} offset ${offset}`.execute(db());
    return {
      rows: [] as RosterRow[],
      unmatched: rows.slice(0, PAGE_SIZE).map((r) => ({ personId: r.person_id, username: r.username, fullName: r.full_name, personnelCode: r.personnel_code })),
      hasMore: rows.length > PAGE_SIZE,
    };
  }
  const statuses = statusesFor(query.filter, deadline);
  if (statuses && statuses.length === 0) return { rows: [], unmatched: [], hasMore: false };
  // Without a status filter, page the roster first (straight off roster_agency_name) and compute the status of
  // those 51 entries only; a status filter has to compute every entry's status before it can page.
  const list = statuses
    ? sql`select * from (${rosterStatus(agencyCode, required)}) as s where status in (${sql.join(statuses)}) and ${searchCondition(query.search)}
        order by search_name, personnel_code limit ${PAGE_SIZE + 1} offset ${offset}`
    : sql`select * from (${withStatus(
        sql`${activeEntries(agencyCode)} and ${searchCondition(query.search, "r.")} order by r.search_name, r.personnel_code limit ${PAGE_SIZE + 1} offset ${offset}`,
        required,
      )}) as s order by search_name, personnel_code`;
  const { rows } = await sql<{ personnel_code: string; full_name: string; person_id: string | null; done: number; status: RosterRow["status"] }>`${list}`.execute(db());
  return {
    rows: rows.slice(0, PAGE_SIZE).map((r) => ({ personnelCode: r.personnel_code, fullName: r.full_name, status: r.status, coursesCompleted: Number(r.done), personId: r.person_id })),
    unmatched: [] as Unmatched[],
    hasMore: rows.length > PAGE_SIZE,
  };
}

/** The people a "remind everyone behind" reaches: accounts of active entries that have not finished. */
export async function officialsBehind(agencyCode: string, required: string[]): Promise<string[]> {
  const { rows } = await sql<{ person_id: string }>`
    select person_id from (${rosterStatus(agencyCode, required)}) as s where person_id is not null and status != 'completed'`.execute(db());
  return rows.map((r) => r.person_id);
}

/** Every active official of the agency, for the CSV download (one pass, streamed into one string). */
export async function fullRoster(agencyCode: string, required: string[]) {
  const { rows } = await sql<{ personnel_code: string; full_name: string; person_id: string | null; done: number; status: RosterRow["status"] }>`
    select * from (${rosterStatus(agencyCode, required)}) as s order by search_name, personnel_code`.execute(db());
  return rows;
}
