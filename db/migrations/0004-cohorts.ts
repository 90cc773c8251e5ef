import { sql, type Kysely } from "kysely";

// Trainers' workspace: cohorts, members, trainers, in-person sessions, supervised attempts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cohort")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("join_code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("commune_code", "text", (c) => c.notNull().references("commune.code"))
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text")
    .addColumn("created_by", "text", (c) => c.references("person.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .execute();
  await db.schema
    .createTable("cohort_course")
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cohort_course_pk", ["cohort_id", "course_slug"])
    .execute();
  await db.schema
    .createTable("cohort_trainer")
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("is_owner", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("added_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cohort_trainer_pk", ["cohort_id", "person_id"])
    .execute();
  await sql`create index cohort_trainer_person on cohort_trainer(person_id)`.execute(db);
  await db.schema
    .createTable("cohort_member")
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addColumn("joined_via", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cohort_member_pk", ["cohort_id", "person_id"])
    .execute();
  await sql`create index cohort_member_person on cohort_member(person_id)`.execute(db);
  await db.schema
    .createTable("training_session")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("held_on", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("course_slug", "text")
    .addColumn("recorded_by", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("session_attendance")
    .addColumn("session_id", "integer", (c) => c.notNull().references("training_session.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("session_attendance_pk", ["session_id", "person_id"])
    .execute();
  // A learner using the trainer's phone: recorded for the learner, while the trainer's session waits.
  await db.schema
    .createTable("supervised_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("trainer_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("learner_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("ended_at", "text")
    .execute();
}
