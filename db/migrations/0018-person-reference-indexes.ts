import { sql, type Kysely } from "kysely";

// Deleting an account (the learner's right to erasure, Luật Bảo vệ dữ liệu cá nhân) deletes or clears every row
// that refers to it. A reference column without an index makes each such deletion read the whole table while it
// holds the write lock: on SQLite every other write waits. The outbox keeps every xAPI statement (the archive
// for period exports, two or more per quiz answer), so it is the largest table after progress; attendance and
// confirmed practice tasks grow with every session and task. The other references live in small tables, and
// are indexed too so that the rule is simply "every column that refers to an account is indexed" (a test in
// engines.test.ts reads both engines' catalogues for it).
const REFERENCES: Array<[table: string, column: string]> = [
  ["xapi_outbox", "person_id"],
  ["session_attendance", "person_id"],
  ["task_record", "confirmed_by"],
  ["cohort", "created_by"],
  ["supervised_session", "learner_id"],
  ["supervised_session", "trainer_id"],
  ["cohort_invitation", "invited_by"],
  ["certificate_revocation", "revoked_by"],
  ["export_download", "person_id"],
  ["pending_import", "created_by"],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of REFERENCES) {
    await sql`create index ${sql.raw(`${table}_${column}`)} on ${sql.table(table)}(${sql.ref(column)})`.execute(db);
  }
}
