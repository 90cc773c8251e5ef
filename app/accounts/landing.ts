import type { Role } from "../../db/schema";

// Where each person lands after logging in, when they did not ask for a page: where their work is (issue 18).
// Reports first (an officer or administrator who also teaches reads reports daily), then cohorts, then the
// learner's own page. A pure function of the roles, so it is tested without a server.

export function landingPath(roles: ReadonlyArray<{ role: Role }>): string {
  const has = (role: Role) => roles.some((r) => r.role === role);
  if (has("admin") || has("commune_officer") || has("agency_officer")) return "/bao-cao";
  if (has("trainer")) return "/lop-hoc";
  return "/ca-nhan";
}
