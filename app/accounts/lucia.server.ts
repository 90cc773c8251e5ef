import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { db, preparedQuery } from "~/db.server";
import { unavailableKind } from "~/operations/errors.server";
import type { PersonKind, Role } from "../../db/schema";
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

/** A role the person holds, and where (a commune, an agency, "province"). */
export type SessionRole = { role: Role; scope: string };

type PersonRow = {
  username: string;
  full_name: string;
  kind: SessionPerson["kind"];
  commune_code: string;
  agency_code: string | null;
  must_change_password: number;
  roles: SessionRole[];
};

// Read on every signed-in request, in one statement: the session, its person and the person's roles (one row
// per role, or one row with no role). Built and compiled once (db/prepared.ts).
const selectSessionAndPerson = preparedQuery((db, storedId: string) =>
  db
    .selectFrom("session as s")
    .innerJoin("person as p", "p.id", "s.user_id")
    .leftJoin("person_role as r", "r.person_id", "s.user_id")
    .select([
      "s.user_id",
      "s.expires_at",
      "p.username",
      "p.full_name",
      "p.kind",
      "p.commune_code",
      "p.agency_code",
      "p.must_change_password",
      "r.role",
      "r.scope",
    ])
    .where("s.id", "=", storedId),
);

/**
 * lucia's session storage, written with Kysely so that it runs on both engines and through the same driver
 * (and, on SQLite, the same write lock) as every other query:
 * - session ids are stored hashed (the cookie carries the id, the row its SHA-256);
 * - a session is read in one query with only the person columns a request needs, and the person's roles (the
 *   stock adapters run two queries, one of them `person.*` with the password hash; this runs on every
 *   signed-in request).
 * expires_at is in seconds, as lucia's SQLite adapter stored it.
 */
class SessionAdapter implements Adapter {
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const rows = await selectSessionAndPerson(db(), storedToken(sessionId));
    if (!rows.length) return [null, null];
    const { user_id: userId, expires_at: expiresAt, role: _role, scope: _scope, ...person } = rows[0];
    const roles = rows.flatMap((r) => (r.role === null || r.scope === null ? [] : [{ role: r.role, scope: r.scope }]));
    const attributes: PersonRow = { ...person, roles };
    return [
      { id: sessionId, userId, expiresAt: new Date(expiresAt * 1000), attributes: {} },
      { id: userId, attributes },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    // Only the stored hashes are known, not the ids the cookies carry: lucia uses this list for nothing here.
    const rows = await db().selectFrom("session").select(["id", "expires_at"]).where("user_id", "=", userId).execute();
    return rows.map((r) => ({ id: r.id, userId, expiresAt: new Date(r.expires_at * 1000), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await db()
      .insertInto("session")
      .values({ id: storedToken(session.id), user_id: session.userId, expires_at: toSeconds(session.expiresAt) })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    try {
      await db()
        .updateTable("session")
        .set({ expires_at: toSeconds(expiresAt) })
        .where("id", "=", storedToken(sessionId))
        .execute();
    } catch (error) {
      // Extending a valid session is a convenience: while the database cannot take writes (locked by another
      // process, disk low) the page is still served, and the next request extends it (decision 013).
      if (!unavailableKind(error)) throw error;
    }
  }

  async deleteSession(sessionId: string): Promise<void> {
    await db().deleteFrom("session").where("id", "=", storedToken(sessionId)).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await db().deleteFrom("session").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await deleteExpiredSessions();
  }
}

const toSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Deletes the sessions that have expired (a device not used for 30 days), a batch per transaction so that the
 * write lock is never held for long; returns how many. Run every hour by the server (server/start.ts): a
 * session that has expired can never be used again, and the row is personal data kept for no purpose.
 */
export async function deleteExpiredSessions(now = new Date(), batch = 1000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const expired = db().selectFrom("session").select("id").where("expires_at", "<=", toSeconds(now)).limit(batch);
    const { numDeletedRows } = await db().deleteFrom("session").where("id", "in", expired).executeTakeFirst();
    deleted += Number(numDeletedRows);
    if (Number(numDeletedRows) < batch) return deleted;
  }
}

function lucia(): Lucia {
  instance ??= new Lucia(new SessionAdapter(), {
    getUserAttributes: (attributes) => {
      const row = attributes as unknown as PersonRow;
      return {
        username: row.username,
        fullName: row.full_name,
        kind: row.kind,
        communeCode: row.commune_code,
        agencyCode: row.agency_code,
        mustChangePassword: row.must_change_password === 1,
        roles: row.roles ?? [],
      } satisfies SessionPerson & { roles: SessionRole[] };
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

export type SessionRef = { sessionId: string; userId: string; person: SessionPerson; roles: SessionRole[] };

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
  if (!session || !user) return null;
  const { roles, ...person } = user as unknown as SessionPerson & { roles: SessionRole[] };
  return { sessionId: session.id, userId: session.userId, person, roles };
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
