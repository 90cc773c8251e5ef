import { randomInt } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/schema";
import { hasRole, type SessionUser } from "~/accounts/session.server";
import { findCourse, getCatalog } from "~/courses/catalog.server";
import { db, nowIso } from "~/db.server";
import { recordLearningEvent } from "~/records/xapi.server";
import { CODE_ALPHABET } from "~/learning/certificates.server";
import { communeByCode } from "~/organisation/communes.server";
import { forbidden, notFound } from "~/ui/http.server";
import { isCalendarDate } from "~/ui/vietnam-time";

// Cohorts (lớp học): created by a trainer, joined with a short code. A trainer sees only the cohorts they
// train; any other cohort id in a URL is "not found", so ids reveal nothing.

export type Cohort = {
  id: number;
  joinCode: string;
  name: string;
  communeCode: string;
  startDate: string;
  endDate: string | null;
  archivedAt: string | null;
  courses: string[];
};

const JOIN_CODE_LENGTH = 6;

function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").slice(0, 20);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const cohortSchema = z
  .object({
    name: z
      .string()
      .transform((s) => s.normalize("NFC").trim())
      .pipe(z.string().min(3, "Tên lớp cần ít nhất 3 ký tự.").max(120, "Tên lớp dài quá 120 ký tự.")),
    commune_code: z.string().min(1, "Hãy chọn xã/phường của lớp.").max(10),
    start_date: z.string().regex(DATE, "Ngày bắt đầu phải có dạng năm-tháng-ngày.").refine(isCalendarDate, "Ngày bắt đầu không có trên lịch."),
    end_date: z
      .string()
      .regex(DATE, "Ngày kết thúc phải có dạng năm-tháng-ngày.")
      .refine(isCalendarDate, "Ngày kết thúc không có trên lịch.")
      .or(z.literal(""))
      .default(""),
  })
  .refine((v) => !v.end_date || v.end_date >= v.start_date, { message: "Ngày kết thúc phải sau ngày bắt đầu.", path: ["end_date"] });

export type CreateResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

export async function createCohort(trainerId: string, fields: Record<string, string>, courses: string[]): Promise<CreateResult> {
  const parsed = cohortSchema.safeParse(fields);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const validCourses = [...new Set(courses)].filter((slug) => findCourse(slug));
  if (validCourses.length === 0 || validCourses.length !== new Set(courses).size) errors.courses = "Hãy chọn ít nhất một khóa học có trong danh sách.";
  if (parsed.success && !(await communeByCode(parsed.data.commune_code))) errors.commune_code = "Xã/phường không hợp lệ.";
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  const now = nowIso();
  const id = await db()
    .transaction()
    .execute(async (trx) => {
      let joinCode = newJoinCode();
      while (await trx.selectFrom("cohort").select("id").where("join_code", "=", joinCode).executeTakeFirst()) joinCode = newJoinCode();
      const { id } = await trx
        .insertInto("cohort")
        .values({
          join_code: joinCode,
          name: parsed.data.name,
          commune_code: parsed.data.commune_code,
          start_date: parsed.data.start_date,
          end_date: parsed.data.end_date || null,
          created_by: trainerId,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("cohort_course")
        .values(validCourses.map((course_slug) => ({ cohort_id: id, course_slug })))
        .execute();
      await trx.insertInto("cohort_trainer").values({ cohort_id: id, person_id: trainerId, is_owner: 1, added_at: now }).execute();
      return id;
    });
  return { ok: true, id };
}

async function loadCohort(id: number): Promise<Cohort | undefined> {
  const row = await db().selectFrom("cohort").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const courses = await db().selectFrom("cohort_course").select("course_slug").where("cohort_id", "=", id).execute();
  const order = new Map(getCatalog().courses.map((c, i) => [c.slug, i]));
  return {
    id: row.id,
    joinCode: row.join_code,
    name: row.name,
    communeCode: row.commune_code,
    startDate: row.start_date,
    endDate: row.end_date,
    archivedAt: row.archived_at,
    courses: courses
      .map((c) => c.course_slug)
      .filter((s) => order.has(s))
      .sort((a, b) => order.get(a)! - order.get(b)!),
  };
}

/** The cohort, if this person trains it (or is an administrator); otherwise 404 — the same as a missing id. */
export async function requireCohort(user: SessionUser, rawId: string | undefined): Promise<Cohort> {
  if (!hasRole(user, "trainer") && !hasRole(user, "admin")) forbidden("Trang này dành cho người hướng dẫn.");
  const id = Number(rawId);
  const cohort = Number.isSafeInteger(id) && id > 0 ? await loadCohort(id) : undefined;
  if (!cohort) notFound("Không tìm thấy lớp học này.");
  if (hasRole(user, "admin")) return cohort;
  const trains = await db()
    .selectFrom("cohort_trainer")
    .select("person_id")
    .where("cohort_id", "=", cohort.id)
    .where("person_id", "=", user.id)
    .executeTakeFirst();
  if (!trains) notFound("Không tìm thấy lớp học này.");
  return cohort;
}

export async function cohortsOf(user: SessionUser) {
  let query = db()
    .selectFrom("cohort")
    .select([
      "cohort.id",
      "cohort.name",
      "cohort.join_code",
      "cohort.start_date",
      "cohort.end_date",
      "cohort.archived_at",
      (eb) =>
        eb
          .selectFrom("cohort_member")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("cohort_member.cohort_id", "=", "cohort.id")
          .as("members"),
    ])
    // Open cohorts first: ordered by "is archived", since the engines sort nulls at opposite ends.
    .orderBy(sql`cohort.archived_at is not null`)
    .orderBy("cohort.archived_at")
    .orderBy("cohort.start_date", "desc");
  if (!hasRole(user, "admin")) {
    query = query.where("cohort.id", "in", db().selectFrom("cohort_trainer").select("cohort_id").where("person_id", "=", user.id));
  }
  return query.execute();
}

export async function trainersOf(cohortId: number) {
  return db()
    .selectFrom("cohort_trainer")
    .innerJoin("person", "person.id", "cohort_trainer.person_id")
    .select(["person.full_name", "person.username", "cohort_trainer.is_owner"])
    .where("cohort_id", "=", cohortId)
    .execute();
}

export type JoinResult = { ok: true; cohortName: string; already: boolean } | { ok: false; error: string };

export async function joinByCode(personId: string, input: string): Promise<JoinResult> {
  const code = normalizeJoinCode(input);
  const cohort = code ? await db().selectFrom("cohort").select(["id", "name", "archived_at"]).where("join_code", "=", code).executeTakeFirst() : undefined;
  if (!cohort) return { ok: false, error: "Mã lớp không đúng. Hãy kiểm tra lại với người hướng dẫn." };
  if (cohort.archived_at) return { ok: false, error: "Lớp này đã kết thúc, không nhận thêm học viên." };
  const added = await addMember(cohort.id, personId, "code");
  return { ok: true, cohortName: cohort.name, already: !added };
}

/** Adds a member; false if they were already in the cohort. Pass the transaction when inside one. */
export async function addMember(cohortId: number, personId: string, via: string, executor: Kysely<DB> = db()): Promise<boolean> {
  // Joining and its xAPI "registered" statement commit together (decision 023).
  if (!executor.isTransaction) return executor.transaction().execute((trx) => addMember(cohortId, personId, via, trx));
  const joinedAt = nowIso();
  const result = await executor
    .insertInto("cohort_member")
    .values({ cohort_id: cohortId, person_id: personId, joined_at: joinedAt, joined_via: via })
    .onConflict((oc) => oc.columns(["cohort_id", "person_id"]).doNothing())
    .executeTakeFirst();
  const added = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  if (added) await recordLearningEvent(executor, { kind: "joined-cohort", personId, cohortId, at: joinedAt });
  return added;
}

/** A member of this cohort, or 404: a trainer cannot reach a learner through someone else's cohort. */
export async function requireMember(cohort: Cohort, personId: string | undefined) {
  const person = personId
    ? await db()
        .selectFrom("cohort_member")
        .innerJoin("person", "person.id", "cohort_member.person_id")
        .select([
          "person.id",
          "person.full_name",
          "person.username",
          "person.birth_year",
          "person.commune_code",
          "person.phone",
          "cohort_member.joined_at",
          "person.consent_method",
          "person.consent_at",
        ])
        .where("cohort_member.cohort_id", "=", cohort.id)
        .where("person.id", "=", personId)
        .executeTakeFirst()
    : undefined;
  if (!person) notFound("Không tìm thấy học viên này trong lớp.");
  return person;
}

export async function archiveCohort(cohortId: number, archived: boolean): Promise<void> {
  await db()
    .updateTable("cohort")
    .set({ archived_at: archived ? nowIso() : null })
    .where("id", "=", cohortId)
    .execute();
}

export async function addCoTrainer(cohortId: number, username: string): Promise<{ ok: boolean; message: string }> {
  const person = await db().selectFrom("person").select(["id", "full_name"]).where("username", "=", username.trim().toLowerCase()).executeTakeFirst();
  if (!person) return { ok: false, message: `Không có tài khoản “${username.slice(0, 40)}”.` };
  const isTrainer = await db()
    .selectFrom("person_role")
    .select("person_id")
    .where("person_id", "=", person.id)
    .where("role", "=", "trainer")
    .executeTakeFirst();
  if (!isTrainer) return { ok: false, message: `${person.full_name} chưa có vai trò người hướng dẫn; hãy cấp quyền trước.` };
  await db()
    .insertInto("cohort_trainer")
    .values({ cohort_id: cohortId, person_id: person.id, is_owner: 0, added_at: nowIso() })
    .onConflict((oc) => oc.columns(["cohort_id", "person_id"]).doNothing())
    .execute();
  return { ok: true, message: `Đã thêm ${person.full_name} làm người hướng dẫn cùng lớp.` };
}
