import { redirect } from "@remix-run/node";
import { forbidden } from "~/ui/http.server";
import { db } from "~/db.server";
import type { Role } from "../../db/schema";
import { hasSupervisionCookie, supervisedLearner } from "./supervision.server";
import { hasSessionCookie, readSession, type SessionPerson } from "./lucia.server";

export type RoleGrant = { role: Role; scope: string };
export type SessionUser = SessionPerson & {
  id: string;
  sessionId: string;
  roles: RoleGrant[];
  /** Set while a learner uses their trainer's device: this user is the learner, recorded as supervised. */
  supervisedBy: { trainerId: string; trainerName: string; cohortId: number } | null;
};

const cache = new WeakMap<Request, Promise<SessionUser | null>>();

function asUser(personId: string, sessionId: string, person: SessionPerson, roles: RoleGrant[]): SessionUser {
  return { id: personId, sessionId, ...person, roles, supervisedBy: null };
}

/** The supervised learner as the request's user: no roles, since a learner on a trainer's phone acts only as a learner. */
async function supervisedAsUser(personId: string, sessionId: string): Promise<SessionUser | null> {
  const person = await db()
    .selectFrom("person")
    .select(["username", "full_name", "kind", "commune_code", "agency_code", "must_change_password"])
    .where("id", "=", personId)
    .executeTakeFirst();
  if (!person) return null;
  const fields: SessionPerson = {
    username: person.username,
    fullName: person.full_name,
    kind: person.kind,
    communeCode: person.commune_code,
    agencyCode: person.agency_code,
    mustChangePassword: person.must_change_password === 1,
  };
  return asUser(personId, sessionId, fields, []);
}

/** The signed-in person for a Cookie header, or null. Prefer getUser(request), which reads it once per request. */
export async function userFromCookies(cookieHeader: string): Promise<SessionUser | null> {
  // The roles are read with the session, in the same statement, for this request (no cache: a signed-out
  // session or a changed role takes effect at once in every process).
  const session = await readSession(cookieHeader);
  if (!session) return null;
  const user = asUser(session.userId, session.sessionId, session.person, session.roles);
  if (!user.roles.some((r) => r.role === "trainer")) return user;
  // A trainer's device in supervised mode acts as the learner; the trainer's session is untouched.
  const supervised = await supervisedLearner(cookieHeader, user.id);
  if (!supervised) return user;
  const learner = await supervisedAsUser(supervised.learnerId, session.sessionId);
  return learner && { ...learner, supervisedBy: { trainerId: user.id, trainerName: user.fullName, cohortId: supervised.cohortId } };
}

/**
 * Whether a request with this Cookie header could belong to someone signed in. False means certainly
 * anonymous, without a query: the page cache serves such visitors public pages (decision 014).
 */
export function mayBeSignedIn(cookieHeader: string): boolean {
  return cookieHeader !== "" && (hasSessionCookie(cookieHeader) || hasSupervisionCookie(cookieHeader));
}

/** The signed-in person, or null. Read once per request. */
export function getUser(request: Request): Promise<SessionUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = userFromCookies(request.headers.get("Cookie") ?? "");
    cache.set(request, pending);
  }
  return pending;
}

const CHANGE_PASSWORD_PATH = "/ca-nhan/doi-mat-khau";

/** The signed-in person; otherwise a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  const url = new URL(request.url);
  if (!user) {
    throw redirect(`/dang-nhap?tiep=${encodeURIComponent(url.pathname + url.search)}`);
  }
  // A one-time PIN or reset password must be replaced before anything else — except on a trainer's phone,
  // where the learner changes it later on their own device.
  if (user.mustChangePassword && !user.supervisedBy && url.pathname !== CHANGE_PASSWORD_PATH) throw redirect(CHANGE_PASSWORD_PATH);
  return user;
}

/** Account pages (password, data, deletion) are for the person's own device, not a trainer's. */
export async function requireOwnDevice(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.supervisedBy) forbidden("Không dùng được chức năng này khi đang học trên máy của người hướng dẫn.");
  return user;
}

export function hasRole(user: SessionUser | null, role: Role, scope?: string): boolean {
  return Boolean(user?.roles.some((r) => r.role === role && (scope === undefined || r.scope === scope)));
}

/** The signed-in person holding one of the roles; 403 for anyone else who is signed in. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.roles.some((r) => roles.includes(r.role))) forbidden();
  return user;
}

/** Only same-site relative paths, so a crafted ?tiep= cannot send someone to another site. */
export function safeRedirectPath(target: string | null | undefined, fallback = "/ca-nhan"): string {
  // Browsers drop tabs and newlines from URLs and read "\\" as "/", so "/\t/evil" or "/\\evil" would lead
  // off-site; CR/LF would also break the Location header (a 500). Such targets are refused, not repaired.
  if (!target || !target.startsWith("/") || target.startsWith("//") || /[\x00-\x1f\x7f\\]/.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, "http://x");
  } catch {
    return fallback;
  }
  // After normalising, "/.//evil" is "//evil" again: check the resolved path, not only what was sent.
  if (url.origin !== "http://x" || url.pathname.startsWith("//")) return fallback;
  // The parsed form is percent-encoded ASCII, always a valid header value.
  return url.pathname + url.search + url.hash;
}
