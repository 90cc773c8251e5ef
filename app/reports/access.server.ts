import { requireUser, type SessionUser } from "~/accounts/session.server";
import { forbidden } from "~/ui/http.server";

// Who sees which report: administrators everything; a commune officer only their commune; an agency
// training officer only their agency. Anyone else signed in gets 403.

export type ReportScope = { kind: "province" } | { kind: "commune"; code: string } | { kind: "agency"; code: string };

export function scopesOf(user: SessionUser): ReportScope[] {
  if (user.roles.some((r) => r.role === "admin")) return [{ kind: "province" }];
  return user.roles.flatMap((r): ReportScope[] =>
    r.role === "commune_officer" ? [{ kind: "commune", code: r.scope }] : r.role === "agency_officer" ? [{ kind: "agency", code: r.scope }] : [],
  );
}

export async function requireReportAccess(request: Request): Promise<{ user: SessionUser; scopes: ReportScope[] }> {
  const user = await requireUser(request);
  const scopes = scopesOf(user);
  if (scopes.length === 0) forbidden("Trang báo cáo chỉ dành cho quản trị viên, cán bộ phụ trách xã/phường và cán bộ phụ trách đào tạo của cơ quan.");
  return { user, scopes };
}

export function canSee(scopes: ReportScope[], target: ReportScope): boolean {
  return scopes.some((s) => {
    if (s.kind === "province") return true;
    return target.kind !== "province" && s.kind === target.kind && s.code === target.code;
  });
}
