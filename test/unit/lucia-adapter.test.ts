import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Lucia } from "lucia";
import { makePerson, useTempDatabase } from "./support/db";

// The two adapter methods of app/accounts/lucia.server.ts that the app's own functions never reach:
// `getUserSessions` and `deleteExpiredSessions`. They are part of the adapter contract, so lucia calls them
// as soon as anyone uses `Lucia.getUserSessions()` or `Lucia.deleteExpiredSessions()`. The app's Lucia
// instance is private to that module; the test borrows it (the `this` of its first `validateSession`) and
// calls lucia's public API on it, against a real database. Every expectation is written out by hand.

let lucia: Lucia;
beforeAll(async () => {
  await useTempDatabase();
  // Caught once, on a fresh session: validating a session that expires within 15 days extends it, which
  // would move the expiries the tests set.
  lucia = await appLucia(await signIn(await makePerson()));
});

async function signIn(personId: string): Promise<string> {
  const { startSession } = await import("~/accounts/lucia.server");
  return (await startSession(personId)).split(";")[0];
}

/** The app's own Lucia instance, caught while it validates a session cookie. */
async function appLucia(cookie: string): Promise<Lucia> {
  const { readSession } = await import("~/accounts/lucia.server");
  const spy = vi.spyOn(Lucia.prototype, "validateSession");
  try {
    await readSession(cookie);
    return spy.mock.contexts[0] as Lucia;
  } finally {
    spy.mockRestore();
  }
}

/** Sets the expiry (in seconds, as stored) of the session a cookie carries. */
async function expireAt(cookie: string, seconds: number) {
  const { db } = await import("~/db.server");
  const storedId = createHash("sha256").update(cookie.split("=")[1]).digest("hex");
  await db().updateTable("session").set({ expires_at: seconds }).where("id", "=", storedId).execute();
  return storedId;
}

async function sessionRows(personId: string) {
  const { db } = await import("~/db.server");
  return db().selectFrom("session").select(["id", "expires_at"]).where("user_id", "=", personId).orderBy("expires_at").execute();
}

describe("lucia.getUserSessions through the app's adapter", () => {
  it("lists the person's sessions still valid, with their expiry to the second, and no one else's", async () => {
    const now = Math.floor(Date.now() / 1000);
    const person = await makePerson();
    const neighbour = await makePerson();
    const phone = await signIn(person);
    const computer = await signIn(person);
    const oldTablet = await signIn(person);
    await signIn(neighbour);
    const phoneRow = await expireAt(phone, now + 3600);
    const computerRow = await expireAt(computer, now + 10 * 86_400);
    await expireAt(oldTablet, now - 60);

    const sessions = (await lucia.getUserSessions(person)).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());

    // The tablet's session expired a minute ago: lucia leaves it out. The ids are the stored SHA-256 of the
    // cookies' ids (the cookies' own ids are never stored), the expiries the stored seconds.
    expect(sessions).toEqual([
      { id: phoneRow, userId: person, expiresAt: new Date((now + 3600) * 1000), fresh: false },
      { id: computerRow, userId: person, expiresAt: new Date((now + 10 * 86_400) * 1000), fresh: false },
    ]);
    expect(await lucia.getUserSessions(await makePerson())).toEqual([]);
  });
});

describe("lucia.deleteExpiredSessions through the app's adapter", () => {
  it("deletes every person's expired sessions and keeps the ones still valid, whose people stay signed in", async () => {
    const { readSession } = await import("~/accounts/lucia.server");
    const now = Math.floor(Date.now() / 1000);
    const person = await makePerson();
    const neighbour = await makePerson();
    const live = await signIn(person);
    const lapsed = await signIn(person);
    const longGone = await signIn(person);
    const neighbourLapsed = await signIn(neighbour);
    const neighbourLive = await signIn(neighbour);
    const liveRow = await expireAt(live, now + 3600);
    await expireAt(lapsed, now - 1);
    await expireAt(longGone, now - 40 * 86_400);
    await expireAt(neighbourLapsed, now - 5);
    const neighbourLiveRow = await expireAt(neighbourLive, now + 86_400);

    expect(await sessionRows(person)).toHaveLength(3);
    await lucia.deleteExpiredSessions();

    expect(await sessionRows(person)).toEqual([{ id: liveRow, expires_at: now + 3600 }]);
    expect(await sessionRows(neighbour)).toEqual([{ id: neighbourLiveRow, expires_at: now + 86_400 }]);
    expect(await readSession(live)).toMatchObject({ userId: person });
    expect(await readSession(neighbourLive)).toMatchObject({ userId: neighbour });
    expect(await readSession(lapsed)).toBeNull();
  });
});
