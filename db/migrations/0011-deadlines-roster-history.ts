import { sql, type Kysely } from "kysely";

// Deadlines as data and the roster's history (decisions 018 and 019).
// - indicator_target.deadline: the day (Vietnam date, YYYY-MM-DD) a target falls due; null means 31/12 of the
//   target year. agency_deadline: an administrator's earlier (or later) date for one agency.
// - roster_official.joined_on / left_on: Vietnam dates the entry became active and stopped being active. Null
//   joined_on means "since before the platform"; a "left" entry without left_on left before any period we report.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("indicator_target").addColumn("deadline", "text").execute();
  await db
    .updateTable("indicator_target")
    .set({ deadline: sql`cast(year as text) || '-12-31'` })
    .where("indicator_id", "in", db.selectFrom("indicator").select("id").where("population", "=", "officials"))
    .execute();
  await db.schema
    .createTable("agency_deadline")
    .addColumn("indicator_id", "text", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("agency_code", "text", (c) => c.notNull().references("agency.code").onDelete("cascade"))
    .addColumn("deadline", "text", (c) => c.notNull())
    .addColumn("set_by", "text")
    .addColumn("set_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("agency_deadline_pk", ["indicator_id", "agency_code"])
    .execute();

  await db.schema.alterTable("roster_official").addColumn("joined_on", "text").execute();
  await db.schema.alterTable("roster_official").addColumn("left_on", "text").execute();
  // One account per roster entry: looking up who already claims a code must be cheap at sign-up.
  await sql`create index if not exists person_personnel_code on person(personnel_code)`.execute(db);
}
