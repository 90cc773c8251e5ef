import { sql, type Kysely } from "kysely";

// Decision 034: a quiz answer no longer writes its two xAPI statements on the answer path; `xapi:send` builds
// them later from the committed attempt.
// - quiz_attempt.opened_at: when the quiz form was opened (for the statements' `attempted` time and duration),
//   which until now lived only in the statements.
// - xapi_outbox.attempt_id: which attempt a statement was built from, so each attempt is built once.
// - xapi_source_cursor: the attempts below `last_id` all have their statements (every attempt stored before this
//   migration wrote them in its own transaction, so the cursor starts at the last one).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("quiz_attempt").addColumn("opened_at", "text").execute();
  await db.schema.alterTable("xapi_outbox").addColumn("attempt_id", "integer").execute();
  await sql`create index xapi_outbox_attempt on xapi_outbox(attempt_id) where attempt_id is not null`.execute(db);
  await db.schema
    .createTable("xapi_source_cursor")
    .addColumn("source", "text", (c) => c.primaryKey())
    .addColumn("last_id", "integer", (c) => c.notNull())
    .execute();
  await sql`insert into xapi_source_cursor (source, last_id) select 'quiz_attempt', coalesce(max(id), 0) from quiz_attempt`.execute(db);
}
