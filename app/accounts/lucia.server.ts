import { BetterSqlite3Adapter } from "@lucia-auth/adapter-sqlite";
import { Lucia, TimeSpan } from "lucia";
import { database } from "~/db.server";

// The only module that knows lucia exists. lucia v3 is deprecated upstream; to replace it, reimplement the
// five functions below (sessions are rows in the `session` table, ids are random strings) — no route changes.

let instance: Lucia | undefined;

/** Secure cookies in production; COOKIE_SECURE=0 only for plain-http test setups on loopback. */
export function secureCookies(): boolean {
  return process.env.COOKIE_SECURE ? process.env.COOKIE_SECURE === "1" : process.env.NODE_ENV === "production";
}

function lucia(): Lucia {
  instance ??= new Lucia(new BetterSqlite3Adapter(database().sqlite, { user: "person", session: "session" }), {
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

export type SessionRef = { sessionId: string; userId: string };

/** Starts a new session (a new id every login) and returns the Set-Cookie value. */
export async function startSession(userId: string): Promise<string> {
  const session = await lucia().createSession(userId, {});
  return lucia().createSessionCookie(session.id).serialize();
}

/** Reads and validates the session cookie; null when absent, unknown or expired. */
export async function readSession(cookieHeader: string | null): Promise<SessionRef | null> {
  const sessionId = lucia().readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return null;
  const { session } = await lucia().validateSession(sessionId);
  return session ? { sessionId: session.id, userId: session.userId } : null;
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
