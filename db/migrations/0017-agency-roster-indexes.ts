import { sql, type Kysely } from "kysely";

// Issue 17, item 4: the agency page of a 20,000-official agency computes every roster entry's status on each
// view (decision 030). Three indexes turn each per-entry lookup into one index-only seek, on both engines:
// - the roster page sorted by name comes straight off an index, so an unfiltered page reads only its 51 rows;
// - an entry's first claimant (same code, folded name, birth year; earliest account) is the first index row;
// - an account's progress in the required courses (started, finished) is read without the table.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index roster_agency_name on roster_official(agency_code, status, search_name, personnel_code)`.execute(db);
  await sql`create index person_claim on person(personnel_code, search_name, birth_year, created_at, id)`.execute(db);
  await sql`create index course_progress_person_course on course_progress(person_id, course_slug, completed_at)`.execute(db);
}
