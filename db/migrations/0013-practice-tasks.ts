import { sql, type Kysely } from "kysely";

// Practice tasks and the third indicator (issue 19, decision 021).
// - task_record: one row per person and practice task. The learner's own report (after answering the task's
//   self-check question) and a trainer's in-person confirmation (who, when, in which cohort) are kept apart,
//   so reports can count them apart.
// - indicator.measure: 'course-set' (the first two indicators: a set of courses completed) or 'service-use'
//   (a practice task recorded in a course of the indicator's sector); indicator.sector narrows a service-use
//   indicator to one sector ('' = the four sectors of the target); indicator.evidence is 'any' (self-reported
//   or confirmed) or 'confirmed' (trainer-confirmed only).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("task_record")
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("course_slug", "text", (c) => c.notNull())
    .addColumn("task_id", "text", (c) => c.notNull())
    .addColumn("self_reported_at", "text")
    .addColumn("confirmed_at", "text")
    .addColumn("confirmed_by", "text", (c) => c.references("person.id").onDelete("set null"))
    .addColumn("confirmed_cohort_id", "integer", (c) => c.references("cohort.id").onDelete("set null"))
    .addPrimaryKeyConstraint("task_record_pk", ["person_id", "course_slug", "task_id"])
    .addCheckConstraint("task_record_has_evidence", sql`self_reported_at is not null or confirmed_at is not null`)
    .execute();
  await sql`create index task_record_course on task_record(course_slug)`.execute(db);

  await db.schema
    .alterTable("indicator")
    .addColumn("measure", "text", (c) =>
      c
        .notNull()
        .defaultTo("course-set")
        .check(sql`measure in ('course-set', 'service-use')`),
    )
    .execute();
  await db.schema
    .alterTable("indicator")
    .addColumn("sector", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("indicator")
    .addColumn("evidence", "text", (c) =>
      c
        .notNull()
        .defaultTo("any")
        .check(sql`evidence in ('any', 'confirmed')`),
    )
    .execute();

  const service = { population: "adults", course_set: "", min_age: 15, measure: "service-use" };
  await db
    .insertInto("indicator")
    .values([
      {
        ...service,
        id: "adults-using-digital-services",
        name: "Người trưởng thành sử dụng dịch vụ số (y tế, giáo dục, bảo hiểm, giao thông)",
        position: 3,
        sector: "",
        evidence: "any",
      },
      {
        ...service,
        id: "adults-using-digital-services-confirmed",
        name: "Sử dụng dịch vụ số — được người hướng dẫn xác nhận trực tiếp",
        position: 4,
        sector: "",
        evidence: "confirmed",
      },
      { ...service, id: "adults-using-digital-services-health", name: "Sử dụng dịch vụ số — lĩnh vực y tế", position: 5, sector: "health", evidence: "any" },
      {
        ...service,
        id: "adults-using-digital-services-education",
        name: "Sử dụng dịch vụ số — lĩnh vực giáo dục",
        position: 6,
        sector: "education",
        evidence: "any",
      },
      {
        ...service,
        id: "adults-using-digital-services-insurance",
        name: "Sử dụng dịch vụ số — lĩnh vực bảo hiểm xã hội",
        position: 7,
        sector: "insurance",
        evidence: "any",
      },
      {
        ...service,
        id: "adults-using-digital-services-transport",
        name: "Sử dụng dịch vụ số — lĩnh vực giao thông",
        position: 8,
        sector: "transport",
        evidence: "any",
      },
    ])
    .execute();
  // Kế hoạch 2087/KH-UBND: 82% of adults using digital services in health, education, insurance and transport by 2026.
  await db.insertInto("indicator_target").values({ indicator_id: "adults-using-digital-services", year: 2026, target_percent: 82 }).execute();
}
