import { sql, type Kysely } from "kysely";

// Issue 20, parts 1 and 2.
// - certificate_revocation: an administrator's revocation of a certificate, with the reason (decision 022). The
//   certificate row stays, so the public pages can say "revoked" instead of "not found".
// - xapi_outbox: one xAPI statement per learning event, written in the transaction of the event itself, then
//   forwarded to the LRS by `npm run xapi:send` with retries and backoff (decision 023). Deleting an account
//   deletes its statements that were not yet sent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("certificate_revocation")
    .addColumn("code", "text", (c) => c.primaryKey().references("certificate.code").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("revoked_by", "text", (c) => c.references("person.id").onDelete("set null"))
    .addColumn("revoked_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("xapi_outbox")
    .addColumn("id", "text", (c) => c.primaryKey()) // the statement id (UUID)
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("verb", "text", (c) => c.notNull())
    .addColumn("statement", "text", (c) => c.notNull()) // the statement as JSON, exactly as it is sent
    .addColumn("timestamp", "text", (c) => c.notNull()) // when the event happened (ISO, UTC)
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "integer", (c) => c.notNull().defaultTo(0)) // ms since the epoch
    .addColumn("sent_at", "text")
    .addColumn("last_error", "text")
    .execute();
  await sql`create index xapi_outbox_pending on xapi_outbox(sent_at, next_attempt_at)`.execute(db);
  await sql`create index xapi_outbox_timestamp on xapi_outbox(timestamp)`.execute(db);
}
