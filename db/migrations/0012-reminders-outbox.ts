import type { Kysely } from "kysely";

// Reminders and the e-mail outbox (decision 018).
// - person.email: optional, given by the person for reminders only.
// - reminder: one per official per Vietnam day at most (the unique key makes "remind all" safe to repeat);
//   seen_at is set when the official has read the notice in the app.
// - outbox: every e-mail to send, with a unique key (reminder:<id>, digest:<person>:<ISO week>) so the same
//   message is never queued twice; status pending → sending → sent, or back to pending with next_attempt_at
//   after a failure, until failed after the last attempt.
// - delivery_log: each attempt and its result, shown to the agency officer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("person").addColumn("email", "text").execute();

  await db.schema
    .createTable("reminder")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("sent_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("seen_at", "text")
    .addUniqueConstraint("reminder_once_a_day", ["person_id", "day"])
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("agency_code", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("delivery_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("outbox_id", "integer", (c) => c.notNull().references("outbox.id").onDelete("cascade"))
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .addColumn("ok", "integer", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
}
