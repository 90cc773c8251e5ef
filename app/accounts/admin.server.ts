import { z } from "zod";
import { foldForSearch } from "~/text/folding";
import { db, nowIso } from "~/db.server";
import { agencyByCode } from "~/organisation/agencies.server";
import { communeByCode } from "~/organisation/communes.server";
import type { Role } from "../../db/schema";
import { endAllSessions } from "./lucia.server";
import { oneTimePin } from "./password.server";
import { normalizeUsername, setPassword } from "./people.server";

// What a province administrator does to accounts: find people, grant and revoke roles, reset passwords.

export const ROLE_LABELS: Record<Role, string> = {
  trainer: "Người hướng dẫn (tập huấn viên, tổ công nghệ số cộng đồng)",
  commune_officer: "Cán bộ phụ trách xã/phường",
  agency_officer: "Cán bộ phụ trách đào tạo của cơ quan",
  admin: "Quản trị viên tỉnh",
};

export async function searchPeople(query: string, limit = 30) {
  const text = query.trim().slice(0, 100);
  let q = db()
    .selectFrom("person")
    .select(["id", "username", "full_name", "kind", "commune_code", "agency_code", "birth_year"])
    .orderBy("full_name")
    .limit(limit);
  if (text) {
    const folded = foldForSearch(text);
    const username = normalizeUsername(text);
    q = q.where((eb) => eb.or([eb("search_name", "like", `%${folded}%`), eb("username", "=", username)]));
  }
  const people = await q.execute();
  const roles = people.length
    ? await db()
        .selectFrom("person_role")
        .select(["person_id", "role", "scope"])
        .where(
          "person_id",
          "in",
          people.map((p) => p.id),
        )
        .execute()
    : [];
  return people.map((p) => ({ ...p, roles: roles.filter((r) => r.person_id === p.id).map(({ role, scope }) => ({ role, scope })) }));
}

const grantSchema = z.object({
  username: z.string().min(1, "Nhập tên đăng nhập của người được cấp quyền.").max(100, "Tên đăng nhập dài quá 100 ký tự."),
  role: z.enum(["trainer", "commune_officer", "agency_officer", "admin"], { error: "Vai trò không hợp lệ." }),
  scope: z.string().max(40, "Mã xã/phường hoặc mã cơ quan dài quá 40 ký tự.").default(""),
});

export type GrantResult = { ok: true; message: string } | { ok: false; error: string };

export async function grantRole(grantedBy: string, fields: Record<string, string>): Promise<GrantResult> {
  const parsed = grantSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { role } = parsed.data;
  const person = await db().selectFrom("person").select(["id", "full_name"]).where("username", "=", normalizeUsername(parsed.data.username)).executeTakeFirst();
  if (!person) return { ok: false, error: `Không có tài khoản “${parsed.data.username}”.` };
  let scope = "";
  if (role === "commune_officer") {
    if (!(await communeByCode(parsed.data.scope.trim()))) return { ok: false, error: "Cán bộ xã/phường cần mã xã/phường hợp lệ (5 chữ số)." };
    scope = parsed.data.scope.trim();
  } else if (role === "agency_officer") {
    if (!(await agencyByCode(parsed.data.scope.trim()))) return { ok: false, error: "Cán bộ phụ trách cơ quan cần mã cơ quan hợp lệ." };
    scope = parsed.data.scope.trim();
  }
  await db()
    .insertInto("person_role")
    .values({ person_id: person.id, role, scope, granted_by: grantedBy, granted_at: nowIso() })
    .onConflict((oc) => oc.columns(["person_id", "role", "scope"]).doNothing())
    .execute();
  return { ok: true, message: `Đã cấp quyền “${ROLE_LABELS[role]}”${scope ? ` (${scope})` : ""} cho ${person.full_name}.` };
}

export async function revokeRole(personId: string, role: string, scope: string): Promise<void> {
  await db()
    .deleteFrom("person_role")
    .where("person_id", "=", personId)
    .where("role", "=", role as Role)
    .where("scope", "=", scope)
    .execute();
}

/** Replaces the password with a one-time PIN the person must change at next login; signs them out everywhere. */
export async function resetPassword(personId: string): Promise<{ fullName: string; username: string; pin: string } | null> {
  const person = await db().selectFrom("person").select(["id", "full_name", "username"]).where("id", "=", personId).executeTakeFirst();
  if (!person) return null;
  const pin = oneTimePin();
  await setPassword(person.id, pin, true);
  await endAllSessions(person.id);
  return { fullName: person.full_name, username: person.username, pin };
}
