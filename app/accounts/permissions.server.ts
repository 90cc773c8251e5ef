import { db } from "~/db.server";
import type { SessionUser } from "./session.server";

// Who may do what to whom: the rules that let one person act on another person's account live here, so that a
// reviewer reads them in one place (docs/decisions/008-permissions.md has the whole table, pages included).
//
// The rule that matters most: power over someone's *credentials* (a new PIN) is granted only where the actor
// already holds that power legitimately — an administrator, or the trainer who created the account for the
// person at an assisted enrollment. Membership of a cohort is never enough, because membership can be given
// to a trainer's cohort without the person doing anything.

export type PersonRef = { id: string };

export function isAdmin(user: SessionUser): boolean {
  return user.roles.some((r) => r.role === "admin");
}

/**
 * Denominator imports (roster, adult population) and a full list's confirmation, which marks officials as
 * left: province administrators only.
 */
export function mayImportDenominators(user: SessionUser): boolean {
  return isAdmin(user);
}

export function isTrainer(user: SessionUser): boolean {
  return user.roles.some((r) => r.role === "trainer");
}

/** What part of the reports a person may see (decision 008). */
export type ReportScope = { kind: "province" } | { kind: "commune"; code: string } | { kind: "agency"; code: string };

/** Administrators see the whole province; a commune officer their commune; an agency training officer their agency. */
export function reportScopesOf(user: SessionUser): ReportScope[] {
  if (isAdmin(user)) return [{ kind: "province" }];
  return user.roles.flatMap((r): ReportScope[] =>
    r.role === "commune_officer" ? [{ kind: "commune", code: r.scope }] : r.role === "agency_officer" ? [{ kind: "agency", code: r.scope }] : [],
  );
}

export function canSeeReports(user: SessionUser): boolean {
  return reportScopesOf(user).length > 0;
}

async function holdsAnyRole(personId: string): Promise<boolean> {
  return Boolean(await db().selectFrom("person_role").select("person_id").where("person_id", "=", personId).executeTakeFirst());
}

/**
 * Why this actor may not give the person a new one-time PIN, or null when they may. A trainer may reset only
 * accounts they created themselves at an assisted enrollment, and only while the account holds no role beyond
 * learner: taking over a trainer, officer or administrator through a cohort is impossible.
 */
export async function pinResetRefusal(actor: SessionUser, person: PersonRef): Promise<string | null> {
  if (isAdmin(actor)) return null;
  const row = await db().selectFrom("person").select(["created_by", "consent_method"]).where("id", "=", person.id).executeTakeFirst();
  const enrolledByActor = row?.created_by === actor.id && row.consent_method.startsWith("assisted:");
  if (!enrolledByActor) return "Chỉ người đã đăng ký hộ tài khoản này mới tạo được mã PIN mới. Người học tự đăng ký thì nhờ quản trị viên đặt lại mật khẩu.";
  if (await holdsAnyRole(person.id)) return "Tài khoản này có vai trò quản lý; chỉ quản trị viên mới đặt lại được mật khẩu.";
  return null;
}

/**
 * Whether a trainer may put this person into the cohort without asking them: only people already in the care
 * of this cohort's trainers — accounts one of them created at an assisted enrollment, or members of another
 * of their cohorts who joined it themselves (join code, accepted invitation) or were enrolled by them.
 * Everyone else is invited and decides on their own account.
 */
export async function mayAddWithoutConsent(cohortId: number, personId: string): Promise<boolean> {
  const trainers = db().selectFrom("cohort_trainer").select("person_id").where("cohort_id", "=", cohortId);
  const created = await db()
    .selectFrom("person")
    .select("id")
    .where("id", "=", personId)
    .where("consent_method", "like", "assisted:%")
    .where("created_by", "in", trainers)
    .executeTakeFirst();
  if (created) return true;
  const theirCohorts = db().selectFrom("cohort_trainer").select("cohort_id").where("person_id", "in", trainers);
  const member = await db()
    .selectFrom("cohort_member")
    .select("person_id")
    .where("person_id", "=", personId)
    .where("cohort_id", "in", theirCohorts)
    .where("joined_via", "in", ["code", "invitation"])
    .executeTakeFirst();
  return Boolean(member);
}

/**
 * Whether this user may chase the officials of an agency (see the list, send reminders): an administrator, or
 * that agency's training officer. A commune officer or another agency's officer may not (issue 17).
 */
export function mayManageAgency(user: SessionUser, agencyCode: string): boolean {
  return isAdmin(user) || user.roles.some((r) => r.role === "agency_officer" && r.scope === agencyCode);
}

/**
 * Why this actor may not confirm a practice task for the person, or null when they may (decision 021). A
 * confirmation says "I saw this person do it": only a trainer of a cohort the person belongs to can give it,
 * never for themselves, and never from a learner's supervised session. An administrator who does not train
 * the cohort cannot either, because they were not there.
 */
export async function taskConfirmationRefusal(actor: SessionUser, cohortId: number, personId: string): Promise<string | null> {
  if (actor.supervisedBy) return "Đang học trên máy của người hướng dẫn: hãy kết thúc phiên học này trước khi xác nhận.";
  if (actor.id === personId) return "Bạn không tự xác nhận nhiệm vụ cho chính mình được.";
  const trains = await db()
    .selectFrom("cohort_trainer")
    .select("person_id")
    .where("cohort_id", "=", cohortId)
    .where("person_id", "=", actor.id)
    .executeTakeFirst();
  if (!trains || !actor.roles.some((r) => r.role === "trainer")) return "Chỉ người hướng dẫn của lớp này mới xác nhận được nhiệm vụ thực hành.";
  const member = await db()
    .selectFrom("cohort_member")
    .select("person_id")
    .where("cohort_id", "=", cohortId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  if (!member) return "Người này không có trong lớp của bạn.";
  return null;
}

/**
 * Which confirmation exports for the national records (issue 20) this person may download: administrators the
 * whole province (or any one commune), commune officers their own commune only. Everyone else: none.
 */
export type ConfirmationScope = { kind: "province" } | { kind: "commune"; code: string };

export function confirmationScopes(user: SessionUser): ConfirmationScope[] {
  if (isAdmin(user)) return [{ kind: "province" }];
  return user.roles.filter((r) => r.role === "commune_officer").map((r) => ({ kind: "commune" as const, code: r.scope }));
}

/** The scope asked for (`commune` code, or the whole province when null), if this person may have it. */
export function allowedConfirmationScope(user: SessionUser, commune: string | null): ConfirmationScope | null {
  const scopes = confirmationScopes(user);
  if (scopes.some((s) => s.kind === "province")) return commune ? { kind: "commune", code: commune } : { kind: "province" };
  if (!commune) return scopes.length === 1 ? scopes[0] : null;
  return scopes.find((s) => s.kind === "commune" && s.code === commune) ?? null;
}
