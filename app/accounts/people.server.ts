import { randomBytes } from "node:crypto";
import { z } from "zod";
import { foldForSearch } from "~/text/folding";
import { db, isUniqueViolation, nowIso } from "~/db.server";
import type { Transaction } from "kysely";
import type { DB, PersonKind } from "../../db/schema";
import { recountRosterCodes, releasePerson } from "~/reports/indicators.server";
import { vietnamMonth } from "~/ui/vietnam-time";
import { hashPassword, verifyPassword } from "./password.server";

// People: sign-up, credentials, and the learner's own data (export and deletion, Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Nghị định 356/2025/NĐ-CP, which replaced Nghị định 13/2023/NĐ-CP).

export function newPersonId(): string {
  return randomBytes(12).toString("base64url");
}

/** "0912 345 678", "+84912345678" → "0912345678"; other usernames lower-cased. */
export function normalizeUsername(raw: string): string {
  const text = raw.normalize("NFC").trim().toLowerCase();
  const digits = text.replace(/[\s.\-()]/g, "");
  if (/^\+?84\d{9}$/.test(digits)) return `0${digits.replace(/^\+?84/, "")}`;
  if (/^0\d{9}$/.test(digits)) return digits;
  return text;
}

const CURRENT_YEAR = new Date().getUTCFullYear();

export const fullNameField = z
  .string()
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(2, "Vui lòng nhập họ và tên.")
      .max(100, "Họ và tên dài quá 100 ký tự.")
      .regex(/^[\p{L}\p{M} .'-]+$/u, "Họ và tên chỉ gồm chữ cái và dấu cách."),
  );

export const usernameField = z
  .string()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .min(1, "Vui lòng nhập số điện thoại hoặc tên đăng nhập.")
      .regex(
        /^(0\d{9}|[a-z][a-z0-9._-]{2,31})$/,
        "Nhập số điện thoại 10 số (ví dụ 0912345678) hoặc tên đăng nhập 3–32 ký tự: chữ không dấu, số, dấu chấm hoặc gạch.",
      ),
  );

export const passwordField = z.string().min(8, "Mật khẩu cần ít nhất 8 ký tự.").max(200, "Mật khẩu dài quá 200 ký tự.");

export const birthYearField = z.coerce
  .number({ error: "Năm sinh phải là một số, ví dụ 1965." })
  .int("Năm sinh phải là một số, ví dụ 1965.")
  .min(1900, "Năm sinh không hợp lệ.")
  .max(CURRENT_YEAR - 6, "Năm sinh không hợp lệ.");

export const personnelCodeField = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9-]{3,20}$/, "Mã cán bộ gồm 3–20 chữ cái không dấu, số hoặc dấu gạch."));

export type NewPerson = {
  username: string;
  fullName: string;
  birthYear: number;
  communeCode: string;
  kind: PersonKind;
  password: string;
  phone?: string | null;
  agencyCode?: string | null;
  personnelCode?: string | null;
  consentMethod: string;
  consentRecordedBy?: string | null;
  createdBy?: string | null;
  mustChangePassword?: boolean;
  isDemo?: boolean;
};

export async function usernameTaken(username: string): Promise<boolean> {
  return Boolean(await db().selectFrom("person").select("id").where("username", "=", username).executeTakeFirst());
}

/** Creates a person; throws UsernameTaken if the username is in use (checked again inside the insert). */
export class UsernameTaken extends Error {}

/**
 * One account per roster entry (decision 019): a second account with the same personnel code, name and birth
 * year would never count (only the first claimant does), so it is refused and the person is sent to their
 * agency's training officer, who can check who holds the first account.
 */
export class RosterEntryClaimed extends Error {}

async function existingClaimant(executor: Transaction<DB>, personnelCode: string, fullName: string, birthYear: number) {
  return executor
    .selectFrom("person")
    .select("id")
    .where("personnel_code", "=", personnelCode)
    .where("search_name", "=", foldForSearch(fullName))
    .where("birth_year", "=", birthYear)
    .executeTakeFirst();
}

export async function createPerson(input: NewPerson): Promise<string> {
  const id = newPersonId();
  const now = nowIso();
  const passwordHash = await hashPassword(input.password);
  try {
    // The check and the insert in one transaction: two sign-ups at once cannot both claim the entry.
    await db()
      .transaction()
      .execute(async (trx) => {
        if (input.personnelCode && (await existingClaimant(trx, input.personnelCode, input.fullName, input.birthYear))) throw new RosterEntryClaimed();
        await trx
          .insertInto("person")
          .values({
            id,
            username: input.username,
            full_name: input.fullName,
            search_name: foldForSearch(input.fullName),
            birth_year: input.birthYear,
            commune_code: input.communeCode,
            kind: input.kind,
            phone: input.phone ?? null,
            agency_code: input.agencyCode ?? null,
            personnel_code: input.personnelCode ?? null,
            password_hash: passwordHash,
            must_change_password: input.mustChangePassword ? 1 : 0,
            consent_at: now,
            consent_method: input.consentMethod,
            consent_recorded_by: input.consentRecordedBy ?? null,
            created_at: now,
            created_by: input.createdBy ?? null,
            is_demo: input.isDemo ? 1 : 0,
          })
          .execute();
      });
  } catch (error) {
    if (isUniqueViolation(error, "person", "username")) throw new UsernameTaken();
    throw error;
  }
  return id;
}

// A fixed hash to verify against when the username is unknown, so timing does not reveal which usernames exist.
let decoyHash: Promise<string> | undefined;

export async function checkCredentials(username: string, password: string): Promise<string | null> {
  const person = await db().selectFrom("person").select(["id", "password_hash"]).where("username", "=", username).executeTakeFirst();
  if (!person) {
    // Not kept if the hash queue was full: the next login tries again.
    decoyHash ??= hashPassword("decoy-password").catch((error: unknown) => {
      decoyHash = undefined;
      throw error;
    });
    await verifyPassword(password, await decoyHash);
    return null;
  }
  return (await verifyPassword(password, person.password_hash)) ? person.id : null;
}

export async function setPassword(personId: string, password: string, mustChange: boolean): Promise<void> {
  await db()
    .updateTable("person")
    .set({ password_hash: await hashPassword(password), must_change_password: mustChange ? 1 : 0 })
    .where("id", "=", personId)
    .execute();
}

export async function passwordMatches(personId: string, password: string): Promise<boolean> {
  const row = await db().selectFrom("person").select("password_hash").where("id", "=", personId).executeTakeFirst();
  return Boolean(row && (await verifyPassword(password, row.password_hash)));
}

/** Everything stored about a person, for the "download my data" button. */
export async function exportPersonData(personId: string) {
  const person = await db()
    .selectFrom("person")
    .select([
      "username",
      "full_name",
      "birth_year",
      "commune_code",
      "kind",
      "phone",
      "email",
      "agency_code",
      "personnel_code",
      "consent_at",
      "consent_method",
      "created_at",
    ])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
  const [
    roles,
    lessons,
    courses,
    attempts,
    answers,
    certificates,
    invitations,
    knownLogins,
    citizenId,
    cohorts,
    attendance,
    reminders,
    signInLinks,
    supervised,
  ] = await Promise.all([
    db().selectFrom("person_role").select(["role", "scope", "granted_at"]).where("person_id", "=", personId).execute(),
    db().selectFrom("lesson_progress").select(["course_slug", "lesson_slug", "first_viewed_at", "completed_at"]).where("person_id", "=", personId).execute(),
    db()
      .selectFrom("course_progress")
      .select(["course_slug", "last_lesson_slug", "started_at", "updated_at", "completed_at"])
      .where("person_id", "=", personId)
      .execute(),
    db()
      .selectFrom("quiz_attempt")
      .select(["id", "course_slug", "submitted_at", "correct_count", "question_count", "percent", "passed", "supervised_by"])
      .where("person_id", "=", personId)
      .execute(),
    db()
      .selectFrom("quiz_answer")
      .innerJoin("quiz_attempt", "quiz_attempt.id", "quiz_answer.attempt_id")
      .select(["quiz_answer.attempt_id", "quiz_answer.question_id", "quiz_answer.selected", "quiz_answer.is_correct"])
      .where("quiz_attempt.person_id", "=", personId)
      .execute(),
    db().selectFrom("certificate").select(["code", "course_slug", "course_title", "issued_at"]).where("person_id", "=", personId).execute(),
    db()
      .selectFrom("cohort_invitation")
      .innerJoin("cohort", "cohort.id", "cohort_invitation.cohort_id")
      .select(["cohort.name as cohort_name", "cohort_invitation.created_at", "cohort_invitation.answered_at", "cohort_invitation.accepted"])
      .where("cohort_invitation.person_id", "=", personId)
      .execute(),
    db().selectFrom("known_login").select(["kind", "last_success_at"]).where("person_id", "=", personId).execute(),
    db().selectFrom("citizen_id_consent").select(["citizen_id", "consented_at"]).where("person_id", "=", personId).execute(),
    db()
      .selectFrom("cohort_member")
      .innerJoin("cohort", "cohort.id", "cohort_member.cohort_id")
      .select(["cohort.name as cohort_name", "cohort_member.joined_at", "cohort_member.joined_via"])
      .where("cohort_member.person_id", "=", personId)
      .execute(),
    db()
      .selectFrom("session_attendance")
      .innerJoin("training_session", "training_session.id", "session_attendance.session_id")
      .innerJoin("cohort", "cohort.id", "training_session.cohort_id")
      .select(["cohort.name as cohort_name", "training_session.held_on", "training_session.place", "training_session.topic"])
      .where("session_attendance.person_id", "=", personId)
      .execute(),
    db().selectFrom("reminder").select(["day", "message", "created_at", "seen_at"]).where("person_id", "=", personId).execute(),
    db().selectFrom("oidc_link").select(["issuer", "subject", "linked_at"]).where("person_id", "=", personId).execute(),
    db()
      .selectFrom("supervised_session")
      .innerJoin("person as trainer", "trainer.id", "supervised_session.trainer_id")
      .select(["trainer.full_name as trainer_name", "supervised_session.started_at", "supervised_session.ended_at"])
      .where("supervised_session.learner_id", "=", personId)
      .execute(),
  ]);
  return {
    exported_at: nowIso(),
    note: "Toàn bộ dữ liệu Học vụ số Tây Ninh lưu về bạn. Mật khẩu chỉ được lưu ở dạng đã băm nên không có ở đây.",
    person,
    roles,
    lesson_progress: lessons,
    course_progress: courses,
    quiz_attempts: attempts.map((a) => ({ ...a, answers: answers.filter((x) => x.attempt_id === a.id) })),
    certificates,
    cohort_invitations: invitations,
    // Devices and addresses this account signed in from, kept (as one-way hashes only) so that a stranger's
    // wrong guesses never lock the owner out (decision 010).
    known_logins: knownLogins.map((k) => ({ kind: k.kind, last_success_at: new Date(k.last_success_at).toISOString() })),
    // The citizen ID number given for a confirmation export, with the moment consent was given (issue 20).
    citizen_id: citizenId,
    cohorts,
    sessions_attended: attendance,
    reminders,
    // Sign-in through another provider (decision 028): which account there is linked to this one.
    sign_in_links: signInLinks,
    // Times a trainer's phone was used to learn on this account, and whose.
    supervised_sessions: supervised,
    // Practice tasks (decision 021): the person's own reports and trainers' confirmations of them.
    practice_tasks: await db()
      .selectFrom("task_record")
      .leftJoin("person as trainer", "trainer.id", "task_record.confirmed_by")
      .select([
        "task_record.course_slug",
        "task_record.task_id",
        "task_record.self_reported_at",
        "task_record.confirmed_at",
        "trainer.full_name as confirmed_by",
      ])
      .where("task_record.person_id", "=", personId)
      .execute(),
  };
}

/**
 * Deletes a person and everything linked to them (sessions, progress, attempts, certificates) in one
 * transaction, keeping only an anonymous count per month, kind and commune.
 */
export async function deletePerson(personId: string): Promise<void> {
  await db()
    .transaction()
    .execute(async (trx) => {
      const person = await trx.selectFrom("person").select(["kind", "commune_code", "personnel_code"]).where("id", "=", personId).executeTakeFirst();
      if (!person) return;
      const completions = await trx
        .selectFrom("course_progress")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("person_id", "=", personId)
        .where("completed_at", "is not", null)
        .executeTakeFirstOrThrow();
      const month = vietnamMonth(nowIso());
      await trx
        .insertInto("deleted_account_tally")
        .values({ month, kind: person.kind, commune_code: person.commune_code, accounts: 1, completions: Number(completions.n) })
        .onConflict((oc) =>
          oc.columns(["month", "kind", "commune_code"]).doUpdateSet((eb) => ({
            accounts: eb("deleted_account_tally.accounts", "+", 1),
            completions: eb("deleted_account_tally.completions", "+", Number(completions.n)),
          })),
        )
        .execute();
      await releasePerson(trx, personId);
      // The roster entry this account claimed may now count through another account, or stop counting.
      await recountRosterCodes(trx, person.personnel_code ? [person.personnel_code] : [], () => trx.deleteFrom("person").where("id", "=", personId).execute());
    });
}
