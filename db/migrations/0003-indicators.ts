import { sql, type Kysely } from "kysely";

// Denominators (officials roster, adult population), indicators as data, their aggregates, API tokens.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("roster_official")
    .addColumn("personnel_code", "text", (c) => c.primaryKey())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("search_name", "text", (c) => c.notNull())
    .addColumn("birth_year", "integer", (c) => c.notNull())
    .addColumn("agency_code", "text", (c) => c.notNull().references("agency.code"))
    .addColumn("commune_code", "text", (c) => c.references("commune.code"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active', 'left')`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await sql`create index roster_agency on roster_official(agency_code, status)`.execute(db);

  await db.schema
    .createTable("adult_population")
    .addColumn("commune_code", "text", (c) => c.notNull().references("commune.code"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("adult_population", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("adult_population_pk", ["commune_code", "year"])
    .execute();

  await db.schema
    .createTable("import_batch")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull())
    .addColumn("changed", "integer", (c) => c.notNull())
    .addColumn("imported_by", "text")
    .addColumn("imported_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("indicator")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("population", "text", (c) => c.notNull().check(sql`population in ('officials', 'adults')`))
    .addColumn("course_set", "text", (c) => c.notNull())
    .addColumn("min_age", "integer", (c) => c.notNull().defaultTo(15))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("indicator_target")
    .addColumn("indicator_id", "text", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("target_percent", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("indicator_target_pk", ["indicator_id", "year"])
    .execute();
  await db
    .insertInto("indicator")
    .values([
      {
        id: "officials-proficient",
        name: "Cán bộ, công chức, viên chức thành thạo kỹ năng số",
        population: "officials",
        course_set: "official-required",
        min_age: 0,
        position: 1,
      },
      { id: "adults-skilled", name: "Người trưởng thành có kỹ năng số cơ bản", population: "adults", course_set: "adult-basic", min_age: 15, position: 2 },
    ])
    .execute();
  await db
    .insertInto("indicator_target")
    .values([
      { indicator_id: "officials-proficient", year: 2026, target_percent: 85 },
      { indicator_id: "adults-skilled", year: 2030, target_percent: 90 },
    ])
    .execute();

  // Numerators by the month a person starts to count (set completed, and old enough for adult indicators).
  // agency_code is '' for adult indicators; commune_code is '' for officials of province-level agencies.
  await db.schema
    .createTable("indicator_count")
    .addColumn("indicator_id", "text", (c) => c.notNull())
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("commune_code", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("indicator_count_pk", ["indicator_id", "agency_code", "commune_code", "month"])
    .execute();
  // Contributions of deleted accounts, kept as anonymous counts so the province's numbers do not drop.
  await db.schema
    .createTable("retained_count")
    .addColumn("indicator_id", "text", (c) => c.notNull())
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("commune_code", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("retained_count_pk", ["indicator_id", "agency_code", "commune_code", "month"])
    .execute();
  // Which courses each indicator's aggregates were built for: a change of course set triggers a rebuild.
  await db.schema
    .createTable("indicator_build")
    .addColumn("indicator_id", "text", (c) => c.primaryKey())
    .addColumn("courses_key", "text", (c) => c.notNull())
    .addColumn("built_at", "text", (c) => c.notNull())
    .execute();
  await sql`create index course_progress_completed on course_progress(course_slug, completed_at)`.execute(db);

  await db.schema
    .createTable("api_token")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
}
