import { reportScopesOf, type ReportScope } from "~/accounts/permissions.server";
import { requireUser, type SessionUser } from "~/accounts/session.server";
import { forbidden } from "~/ui/http.server";

// Who sees which report is decided in app/accounts/permissions.server.ts (reportScopesOf): administrators
// everything; a commune officer only their commune; an agency training officer only their agency. Here the
// report pages apply it: anyone else signed in gets 403.

export type { ReportScope };

export async function requireReportAccess(request: Request): Promise<{ user: SessionUser; scopes: ReportScope[] }> {
  const user = await requireUser(request);
  const scopes = reportScopesOf(user);
  if (scopes.length === 0) forbidden("Trang báo cáo chỉ dành cho quản trị viên, cán bộ phụ trách xã/phường và cán bộ phụ trách đào tạo của cơ quan.");
  return { user, scopes };
}

export function canSee(scopes: ReportScope[], target: ReportScope): boolean {
  return scopes.some((s) => {
    if (s.kind === "province") return true;
    return target.kind !== "province" && s.kind === target.kind && s.code === target.code;
  });
}
