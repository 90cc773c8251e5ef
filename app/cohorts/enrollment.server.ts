import { z } from "zod";
import { oneTimePin } from "~/accounts/password.server";
import { birthYearField, createPerson, fullNameField, normalizeUsername, setPassword, usernameTaken } from "~/accounts/people.server";
import { mayAddWithoutConsent, pinResetRefusal } from "~/accounts/permissions.server";
import type { SessionUser } from "~/accounts/session.server";
import { endAllSessions } from "~/accounts/lucia.server";
import { foldForSearch } from "~/text/folding";
import { db, nowIso } from "~/db.server";
import { recordLearningEvent } from "~/records/xapi.server";
import { communeByCode } from "~/organisation/communes.server";
import { addMember, type Cohort } from "./cohorts.server";
import { invite, type InviteOutcome } from "./invitations.server";
import { isCalendarDate } from "~/ui/vietnam-time";

// Assisted enrollment: a trainer registers someone who has no e-mail (and maybe no phone), records how they
// consented, and hands them a card with a username and a one-time PIN they change at first login.

export const CONSENT_METHODS = {
  verbal: "Đồng ý bằng lời, trực tiếp với người hướng dẫn",
  paper: "Ký vào phiếu đồng ý bằng giấy",
  guardian: "Người thân/người giám hộ đồng ý thay (người học cần hỗ trợ)",
} as const;

const schema = z.object({
  full_name: fullNameField,
  birth_year: birthYearField,
  commune_code: z.string().min(1, "Hãy chọn xã/phường."),
  phone: z
    .string()
    .transform((s) => s.replace(/[\s.-]/g, ""))
    .pipe(z.string().regex(/^(0\d{9})?$/, "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (có thể để trống)."))
    .default(""),
  consent_method: z.enum(Object.keys(CONSENT_METHODS) as [keyof typeof CONSENT_METHODS], { error: "Hãy ghi lại người học đã đồng ý bằng cách nào." }),
  consent_confirmed: z.literal("yes", { error: "Hãy xác nhận người học đã được giải thích và đồng ý." }),
});

export type Card = { fullName: string; username: string; pin: string };
/**
 * Someone who already has an account with the details the trainer typed. It carries only what the trainer
 * typed (name, birth year) plus what they may see anyway: the username of their own cohort's members and of
 * people in their care. Never an id or a stranger's username (often a phone number).
 */
export type Duplicate = { match: number; fullName: string; birthYear: number; username: string | null; alreadyMember: boolean; inCare: boolean };
export type EnrollResult = { ok: true; card: Card } | { ok: false; errors: Record<string, string>; values: Record<string, string>; duplicates?: Duplicate[] };

/** "Nguyễn Văn An", 1960 → "an1960-482": the given name, the birth year, three digits. Easy to read aloud. */
async function makeUsername(fullName: string, birthYear: number): Promise<string> {
  const given =
    foldForSearch(fullName)
      .split(" ")
      .at(-1)
      ?.replace(/[^a-z]/g, "") || "hv";
  for (;;) {
    const candidate = `${given.slice(0, 12)}${birthYear}-${String(Math.floor(Math.random() * 900) + 100)}`;
    if (!(await usernameTaken(candidate))) return candidate;
  }
}

/** Accounts with exactly these details, oldest first, so that a match number stays stable between two posts. */
async function matchingPeople(fullName: string, birthYear: number, communeCode: string) {
  if (!Number.isSafeInteger(birthYear)) return [];
  return db()
    .selectFrom("person")
    .select(["id", "username", "full_name", "birth_year"])
    .where("search_name", "=", foldForSearch(fullName))
    .where("birth_year", "=", birthYear)
    .where("commune_code", "=", communeCode)
    .orderBy("created_at")
    .orderBy("id")
    .limit(20)
    .execute();
}

export async function findDuplicates(cohortId: number, fullName: string, birthYear: number, communeCode: string): Promise<Duplicate[]> {
  const rows = await matchingPeople(fullName, birthYear, communeCode);
  const members = new Set(
    (
      await db()
        .selectFrom("cohort_member")
        .select("person_id")
        .where("cohort_id", "=", cohortId)
        .where("person_id", "in", rows.length ? rows.map((r) => r.id) : [""])
        .execute()
    ).map((m) => m.person_id),
  );
  return Promise.all(
    rows.map(async (r, match) => {
      const alreadyMember = members.has(r.id);
      const inCare = alreadyMember || (await mayAddWithoutConsent(cohortId, r.id));
      return { match, fullName: r.full_name, birthYear: r.birth_year, username: inCare ? r.username : null, alreadyMember, inCare };
    }),
  );
}

export type AddExistingResult = { ok: true; message: string } | { ok: false; error: string };

/**
 * The trainer picked one of the duplicates: someone in their care joins the cohort at once; anyone else is
 * invited and decides on their own account.
 */
export async function addExisting(trainerId: string, cohort: Cohort, fields: Record<string, string>): Promise<AddExistingResult> {
  const rows = await matchingPeople(fields.full_name ?? "", Number(fields.birth_year), fields.commune_code ?? "");
  const person = rows[Number(fields.match)];
  if (!person || !/^\d{1,2}$/.test(fields.match ?? "")) return { ok: false, error: "Không thêm được người này vào lớp. Hãy nhập lại thông tin." };
  if (await mayAddWithoutConsent(cohort.id, person.id)) {
    const added = await addMember(cohort.id, person.id, "assisted");
    return { ok: true, message: added ? `Đã thêm ${person.full_name} (${person.username}) vào lớp.` : `${person.full_name} đã ở trong lớp.` };
  }
  const outcome = await invite(cohort.id, person.id, trainerId);
  return { ok: true, message: inviteMessage(person.full_name, outcome, cohort.joinCode) };
}

export function inviteMessage(fullName: string, outcome: InviteOutcome, joinCode: string): string {
  if (outcome === "declined-before") return `${fullName} đã từ chối lời mời vào lớp này trước đây. Nếu nay họ muốn tham gia, họ tự nhập mã lớp ${joinCode}.`;
  return `Đã gửi lời mời tới ${fullName}. Khi người này đăng nhập tài khoản của mình và đồng ý, họ sẽ vào lớp. Hoặc đưa họ mã lớp ${joinCode} để tự tham gia.`;
}

export async function assistedEnroll(trainerId: string, cohort: Cohort, fields: Record<string, string>): Promise<EnrollResult> {
  const values = Object.fromEntries(["full_name", "birth_year", "commune_code", "phone", "consent_method"].map((k) => [k, (fields[k] ?? "").slice(0, 120)]));
  const parsed = schema.safeParse(fields);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  if (parsed.success && !(await communeByCode(parsed.data.commune_code))) errors.commune_code = "Xã/phường không hợp lệ.";
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors, values };
  const data = parsed.data;
  if (fields.create_anyway !== "yes") {
    const duplicates = await findDuplicates(cohort.id, data.full_name, data.birth_year, data.commune_code);
    if (duplicates.length) {
      return { ok: false, errors: { form: "Đã có người cùng họ tên, năm sinh và xã/phường. Có phải là người này không?" }, values, duplicates };
    }
  }
  const pin = oneTimePin();
  const username = await makeUsername(data.full_name, data.birth_year);
  const personId = await createPerson({
    username,
    fullName: data.full_name,
    birthYear: data.birth_year,
    communeCode: data.commune_code,
    kind: "citizen",
    phone: data.phone || null,
    password: pin,
    mustChangePassword: true,
    consentMethod: `assisted:${data.consent_method}`,
    consentRecordedBy: trainerId,
    createdBy: trainerId,
  });
  await addMember(cohort.id, personId, "assisted");
  return { ok: true, card: { fullName: data.full_name, username, pin } };
}

export type PinResetResult = { ok: true; card: Card } | { ok: false; error: string };

/**
 * A new one-time PIN for a member of the trainer's cohort (the caller has checked membership): only for an
 * account this trainer enrolled, holding no role (pinResetRefusal); the old password and every session end.
 */
export async function resetMemberPin(actor: SessionUser, personId: string): Promise<PinResetResult> {
  const refusal = await pinResetRefusal(actor, { id: personId });
  if (refusal) return { ok: false, error: refusal };
  const person = await db().selectFrom("person").select(["full_name", "username"]).where("id", "=", personId).executeTakeFirstOrThrow();
  const pin = oneTimePin();
  await setPassword(personId, pin, true);
  await endAllSessions(personId);
  return { ok: true, card: { fullName: person.full_name, username: person.username, pin } };
}

// ---------------------------------------------------------------------------------------------------------
// In-person sessions

const sessionSchema = z.object({
  held_on: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày học phải có dạng năm-tháng-ngày.")
    .refine(isCalendarDate, "Ngày học không có trên lịch."),
  place: z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().min(2, "Hãy ghi nơi học (ví dụ: nhà văn hóa ấp 3).").max(200, "Nơi học dài quá 200 ký tự.")),
  topic: z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().min(2, "Hãy ghi nội dung buổi học.").max(200, "Nội dung dài quá 200 ký tự.")),
  course_slug: z.string().max(100).default(""),
});

export type SessionResult =
  { ok: true; id: number; attendees: number; invited: string[]; declinedBefore: string[] } | { ok: false; errors: Record<string, string> };

/** What quick add will do with each name, so the trainer can confirm before anything is saved. */
export type QuickAddPerson = { username: string; fullName: string; outcome: "present" | "joins" | "invited" };
export type QuickAddPlan = {
  people: QuickAddPerson[];
  notFound: string[];
  joining: string[];
  toInvite: Array<{ id: string; fullName: string }>;
  present: string[];
};

/** Usernames typed in "quick add": separated by spaces, commas or semicolons, phone numbers in any form, each once, at most 50. */
function quickAddNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((u) => normalizeUsername(u))
        .filter(Boolean),
    ),
  ].slice(0, 50);
}

/** Looks up every quick-add name without writing anything: who is already in the class, who joins, who is invited. */
export async function planQuickAdd(cohort: Cohort, text: string): Promise<QuickAddPlan> {
  const members = new Set((await db().selectFrom("cohort_member").select("person_id").where("cohort_id", "=", cohort.id).execute()).map((m) => m.person_id));
  const plan: QuickAddPlan = { people: [], notFound: [], joining: [], toInvite: [], present: [] };
  for (const username of quickAddNames(text)) {
    const person = await db().selectFrom("person").select(["id", "full_name"]).where("username", "=", username).executeTakeFirst();
    if (!person) {
      plan.notFound.push(username.slice(0, 40));
      continue;
    }
    const outcome = members.has(person.id) ? "present" : (await mayAddWithoutConsent(cohort.id, person.id)) ? "joins" : "invited";
    if (outcome === "present") plan.present.push(person.id);
    else if (outcome === "joins") plan.joining.push(person.id);
    else plan.toInvite.push({ id: person.id, fullName: person.full_name });
    plan.people.push({ username, fullName: person.full_name, outcome });
  }
  return plan;
}

/** The refusal when quick add names someone who has no account: nothing is saved until the list is right. */
export function unknownNamesError(notFound: string[]): string {
  return `Không tìm thấy tài khoản: ${notFound.join(", ")}. Hãy kiểm tra lại tên đăng nhập, hoặc xóa khỏi ô này. Buổi học chưa được ghi.`;
}

/** Checks the session's own fields (date, place, topic, course) without saving. */
export function sessionFieldErrors(cohort: Cohort, fields: Record<string, string>): Record<string, string> {
  const parsed = sessionSchema.safeParse(fields);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  if (parsed.success && parsed.data.course_slug && !cohort.courses.includes(parsed.data.course_slug)) errors.course_slug = "Khóa học không thuộc lớp này.";
  return errors;
}

/**
 * Records a session with its attendees: members ticked in the form, plus "quick add" usernames. People in the
 * trainers' care join the cohort on the way; anyone else is invited (never added silently) and counted as
 * attending once they accept. An unknown username refuses the whole session (issue 18 item 9): a session saved
 * with a note about a missing person was easy to overlook; the rest is saved in one transaction.
 */
export async function recordSession(trainerId: string, cohort: Cohort, fields: Record<string, string>, attendeeIds: string[]): Promise<SessionResult> {
  const errors = sessionFieldErrors(cohort, fields);
  const parsed = sessionSchema.safeParse(fields);
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  const plan = await planQuickAdd(cohort, fields.quick_add ?? "");
  if (plan.notFound.length) return { ok: false, errors: { quick_add: unknownNamesError(plan.notFound) } };
  const members = new Set((await db().selectFrom("cohort_member").select("person_id").where("cohort_id", "=", cohort.id).execute()).map((m) => m.person_id));
  const chosen = new Set([...attendeeIds.filter((id) => members.has(id)), ...plan.present]);
  const { joining, toInvite } = plan;
  const invited: string[] = [];
  const declinedBefore: string[] = [];
  const id = await db()
    .transaction()
    .execute(async (trx) => {
      const { id } = await trx
        .insertInto("training_session")
        .values({
          cohort_id: cohort.id,
          held_on: parsed.data.held_on,
          place: parsed.data.place,
          topic: parsed.data.topic,
          course_slug: parsed.data.course_slug || null,
          recorded_by: trainerId,
          recorded_at: nowIso(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const personId of joining) {
        await addMember(cohort.id, personId, "quick-add", trx);
        chosen.add(personId);
      }
      if (chosen.size)
        await trx
          .insertInto("session_attendance")
          .values([...chosen].map((person_id) => ({ session_id: id, person_id })))
          .execute();
      if (chosen.size) await recordLearningEvent(trx, { kind: "attended-session", personIds: [...chosen], sessionId: id });
      for (const person of toInvite) {
        const outcome = await invite(cohort.id, person.id, trainerId, id, trx);
        (outcome === "declined-before" ? declinedBefore : invited).push(person.fullName);
      }
      return id;
    });
  return { ok: true, id, attendees: chosen.size, invited, declinedBefore };
}
