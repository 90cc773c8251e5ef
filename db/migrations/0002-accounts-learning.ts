import { sql, type Kysely } from "kysely";
import { engineOf } from "../portable";

// People, roles, sessions (lucia's table shape), progress, quiz attempts and certificates.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agency")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('province', 'commune')`))
    .addColumn("commune_code", "text", (c) => c.references("commune.code"))
    .addColumn("search_name", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("search_name", "text", (c) => c.notNull())
    .addColumn("birth_year", "integer", (c) => c.notNull())
    .addColumn("commune_code", "text", (c) => c.notNull().references("commune.code"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('citizen', 'official')`))
    .addColumn("phone", "text")
    .addColumn("agency_code", "text", (c) => c.references("agency.code"))
    .addColumn("personnel_code", "text")
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("consent_at", "text", (c) => c.notNull())
    .addColumn("consent_method", "text", (c) => c.notNull())
    .addColumn("consent_recorded_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index person_commune on person(commune_code)`.execute(db);
  await sql`create index person_personnel on person(personnel_code)`.execute(db);
  await sql`create index person_duplicate on person(search_name, birth_year, commune_code)`.execute(db);

  await db.schema
    .createTable("person_role")
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('trainer', 'commune_officer', 'agency_officer', 'admin')`))
    .addColumn("scope", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("granted_by", "text")
    .addColumn("granted_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("person_role_pk", ["person_id", "role", "scope"])
    .execute();

  // Shape required by @lucia-auth/adapter-sqlite.
  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .execute();
  // session_user is a reserved word in PostgreSQL: quoted there, and SQLite keeps its original text (decision 016).
  if (engineOf(db) === "postgres") await sql`create index "session_user" on session(user_id)`.execute(db);
  else await sql`create index session_user on session(user_id)`.execute(db);

  await db.schema
    .createTable("rate_limit")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("lesson_progress")
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addColumn("lesson_slug", "text", (c) => c.notNull())
    .addColumn("first_viewed_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addPrimaryKeyConstraint("lesson_progress_pk", ["person_id", "course_slug", "lesson_slug"])
    .execute();

  await db.schema
    .createTable("course_progress")
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addColumn("last_lesson_slug", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addPrimaryKeyConstraint("course_progress_pk", ["person_id", "course_slug"])
    .execute();
  await sql`create index course_progress_recent on course_progress(person_id, updated_at)`.execute(db);

  await db.schema
    .createTable("quiz_attempt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("correct_count", "integer", (c) => c.notNull())
    .addColumn("question_count", "integer", (c) => c.notNull())
    .addColumn("percent", "integer", (c) => c.notNull())
    .addColumn("passed", "integer", (c) => c.notNull())
    .addColumn("content_version", "text", (c) => c.notNull())
    .addColumn("supervised_by", "text")
    .addUniqueConstraint("quiz_attempt_idempotency", ["person_id", "idempotency_key"])
    .execute();
  await sql`create index quiz_attempt_person_course on quiz_attempt(person_id, course_slug, submitted_at)`.execute(db);

  await db.schema
    .createTable("quiz_answer")
    .addColumn("attempt_id", "integer", (c) => c.notNull().references("quiz_attempt.id").onDelete("cascade"))
    .addColumn("question_id", "text", (c) => c.notNull())
    .addColumn("selected", "text", (c) => c.notNull()) // option ids, comma-separated, sorted
    .addColumn("is_correct", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("quiz_answer_pk", ["attempt_id", "question_id"])
    .execute();

  await db.schema
    .createTable("certificate")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("course_title", "text", (c) => c.notNull())
    .addColumn("competences", "text", (c) => c.notNull()) // JSON array of codes, as issued
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addUniqueConstraint("certificate_once", ["person_id", "course_slug"])
    .execute();

  // What survives an account deletion: anonymous counts only (Nghị định 13/2023/NĐ-CP: least data).
  await db.schema
    .createTable("deleted_account_tally")
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("commune_code", "text", (c) => c.notNull())
    .addColumn("accounts", "integer", (c) => c.notNull())
    .addColumn("completions", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("deleted_account_tally_pk", ["month", "kind", "commune_code"])
    .execute();
}
