import { BetterSqlite3Adapter } from "@lucia-auth/adapter-sqlite";
import type Database from "better-sqlite3";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { database } from "~/db.server";
import { unavailableKind } from "~/operations/errors.server";
import type { PersonKind } from "../../db/schema";
import { storedToken } from "./token.server";

// The only module that knows lucia exists. lucia v3 is deprecated upstream; to replace it, reimplement the
// five functions below (sessions are rows in the `session` table, ids are random strings) — no route changes.

let instance: Lucia | undefined;

/** Secure cookies in production; COOKIE_SECURE=0 only for plain-http test setups on loopback. */
export function secureCookies(): boolean {
  return process.env.COOKIE_SECURE ? process.env.COOKIE_SECURE === "1" : process.env.NODE_ENV === "production";
}

/** The person columns a signed-in request needs; lucia reads the person row anyway, so nothing is read twice. */
export type SessionPerson = {
  username: string;
  fullName: string;
  kind: PersonKind;
  communeCode: string;
  agencyCode: string | null;
  mustChangePassword: boolean;
};

type PersonRow = { username: string; full_name: string; kind: SessionPerson["kind"]; commune_code: string; agency_code: string | null; must_change_password: number };

/**
 * lucia's SQLite adapter, with two changes:
 * - session ids are stored hashed (the cookie carries the id, the row its SHA-256);
 * - a session is read in one query with only the person columns a request needs. The stock adapter runs two
 *   queries, one of them `person.*` with the password hash, and this runs on every signed-in request.
 */
class SessionAdapter extends BetterSqlite3Adapter {
  constructor(private readonly sqlite: Database.Database) {
    super(sqlite, { user: "person", session: "session" });
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = this.sqlite
      .prepare(
        `select s.user_id, s.expires_at, p.username, p.full_name, p.kind, p.commune_code, p.agency_code, p.must_change_password
         from session s join person p on p.id = s.user_id where s.id = ?`,
      )
      .get(storedToken(sessionId)) as (PersonRow & { user_id: string; expires_at: number }) | undefined;
    if (!row) return [null, null];
    const { user_id: userId, expires_at: expiresAt, ...person } = row;
    return [
      { id: sessionId, userId, expiresAt: new Date(expiresAt * 1000), attributes: {} },
      { id: userId, attributes: person },
    ];
  }

  override setSession(session: DatabaseSession): Promise<void> {
    return super.setSession({ ...session, id: storedToken(session.id) });
  }

  override async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    try {
      await super.updateSessionExpiration(storedToken(sessionId), expiresAt);
    } catch (error) {
      // Extending a valid session is a convenience: while the database cannot take writes (locked by another
      // process, disk low) the page is still served, and the next request extends it (decision 013).
      if (!unavailableKind(error)) throw error;
    }
  }

  override deleteSession(sessionId: string): Promise<void> {
    return super.deleteSession(storedToken(sessionId));
  }
}

function lucia(): Lucia {
  instance ??= new Lucia(new SessionAdapter(database().statements), {
    getUserAttributes: (attributes) => {
      const row = attributes as unknown as PersonRow;
      return {
        username: row.username,
        fullName: row.full_name,
        kind: row.kind,
        communeCode: row.commune_code,
        agencyCode: row.agency_code,
        mustChangePassword: row.must_change_password === 1,
      } satisfies SessionPerson;
    },
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "hvs_session",
      attributes: {
        secure: secureCookies(),
        sameSite: "lax",
      },
    },
  });
  return instance;
}

export type SessionRef = { sessionId: string; userId: string; person: SessionPerson };

// The session row expires 30 days after the last visit: lucia pushes its expiry forward as it is used. The
// cookie only carries the id, so it is kept for a year; otherwise it would lapse 30 days after login and sign
// out a learner who comes back every week. Whether the session is valid is always the row's decision.
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Starts a new session (a new id every login) and returns the Set-Cookie value. */
export async function startSession(userId: string): Promise<string> {
  const session = await lucia().createSession(userId, {});
  const cookie = lucia().createSessionCookie(session.id);
  cookie.attributes.maxAge = COOKIE_MAX_AGE_SECONDS;
  return cookie.serialize();
}

/** Whether the header carries a session cookie at all (not whether it is valid). */
export function hasSessionCookie(cookieHeader: string): boolean {
  return lucia().readSessionCookie(cookieHeader) !== null;
}

/** Reads and validates the session cookie; null when absent, unknown or expired. */
export async function readSession(cookieHeader: string | null): Promise<SessionRef | null> {
  const sessionId = lucia().readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return null;
  const { session, user } = await lucia().validateSession(sessionId);
  return session && user ? { sessionId: session.id, userId: session.userId, person: user as unknown as SessionPerson } : null;
}

export async function endSession(sessionId: string): Promise<string> {
  await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

/** Signs a person out on every device. */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}

export function blankSessionCookie(): string {
  return lucia().createBlankSessionCookie().serialize();
}
