import { afterEach, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { makePerson, testEngine, useTempDatabase } from "./support/db";

// Who a request is signed in as (app/accounts/session.server.ts and lucia.server.ts), as a person would
// notice it: whose name and roles a page gets, where they are sent, what a trainer's phone shows.
// Each expectation is written out by hand; nothing is checked against the module's own helpers.

// A locked database gives up on a write after this long (the default is 4 s).
process.env.DB_WRITE_DEADLINE_MS = "500";

let file: string;
beforeAll(async () => {
  file = await useTempDatabase();
});

async function grant(personId: string, role: "trainer" | "admin" | "commune_officer", scope = "") {
  const { db, nowIso } = await import("~/db.server");
  await db().insertInto("person_role").values({ person_id: personId, role, scope, granted_by: null, granted_at: nowIso() }).execute();
}

async function sessionCookie(personId: string): Promise<string> {
  const { startSession } = await import("~/accounts/lucia.server");
  return (await startSession(personId)).split(";")[0];
}

let cohortCounter = 0;

/** A trainer signed in on their phone, handing it to a learner of their cohort (the learner types their password). */
async function trainerPhone(learnerOverrides: { mustChange?: boolean } = {}) {
  const { db, nowIso } = await import("~/db.server");
  const { startSupervision } = await import("~/accounts/supervision.server");
  const { setPassword } = await import("~/accounts/people.server");
  cohortCounter += 1;
  const trainer = await makePerson({ fullName: "Trần Văn Thầy" });
  await grant(trainer, "trainer");
  const learner = await makePerson({ fullName: "Lê Thị Học", communeCode: "25486", birthYear: 1958 });
  if (learnerOverrides.mustChange) await setPassword(learner, "matkhau-123", true);
  const { username } = await db().selectFrom("person").select("username").where("id", "=", learner).executeTakeFirstOrThrow();
  const { id: cohortId } = await db()
    .insertInto("cohort")
    .values({
      join_code: `PHIEN${cohortCounter}X`,
      name: "Lớp thử",
      commune_code: "25486",
      start_date: "2026-11-01",
      created_by: trainer,
      created_at: nowIso(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const started = await startSupervision(trainer, cohortId, { id: learner, username }, "matkhau-123");
  if (!started.ok) throw new Error(started.error);
  const own = await sessionCookie(trainer);
  return { trainer, learner, learnerUsername: username, cohortId, own, both: `${own}; ${started.cookie.split(";")[0]}` };
}

const page = (path: string, cookie = "") => new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });

describe("the signed-in person", () => {
  it("is the session's own person, with the name, commune and roles stored for them", async () => {
    const { userFromCookies } = await import("~/accounts/session.server");
    const { db } = await import("~/db.server");
    const officer = await makePerson({ fullName: "Phạm Văn Xã", communeCode: "25486" });
    await grant(officer, "commune_officer", "25486");
    const cookie = await sessionCookie(officer);
    const { username } = await db().selectFrom("person").select("username").where("id", "=", officer).executeTakeFirstOrThrow();
    const user = await userFromCookies(cookie);
    expect(user).toMatchObject({
      id: officer,
      username,
      fullName: "Phạm Văn Xã",
      kind: "citizen",
      communeCode: "25486",
      agencyCode: null,
      mustChangePassword: false,
      roles: [{ role: "commune_officer", scope: "25486" }],
      supervisedBy: null,
    });
  });

  it("on a trainer's phone is the learner, with no roles, recorded as supervised by that trainer", async () => {
    const { userFromCookies } = await import("~/accounts/session.server");
    const { readSession } = await import("~/accounts/lucia.server");
    const { trainer, learner, learnerUsername, cohortId, own, both } = await trainerPhone({ mustChange: true });
    const trainerSession = (await readSession(own))!.sessionId;
    expect(await userFromCookies(both)).toEqual({
      id: learner,
      sessionId: trainerSession,
      username: learnerUsername,
      fullName: "Lê Thị Học",
      kind: "citizen",
      communeCode: "25486",
      agencyCode: null,
      mustChangePassword: true,
      roles: [],
      supervisedBy: { trainerId: trainer, trainerName: "Trần Văn Thầy", cohortId },
    });
    // The trainer's own session underneath is untouched: without the supervision cookie it is the trainer.
    expect(await userFromCookies(own)).toMatchObject({ id: trainer, fullName: "Trần Văn Thầy", roles: [{ role: "trainer", scope: "" }], supervisedBy: null });
  });

  it("is a trainer who also holds another role: supervision still applies", async () => {
    const { userFromCookies } = await import("~/accounts/session.server");
    const { trainer, learner, both } = await trainerPhone();
    await grant(trainer, "admin");
    expect(await userFromCookies(both)).toMatchObject({ id: learner, mustChangePassword: false, roles: [], supervisedBy: { trainerId: trainer } });
  });

  it("stays the trainer's own once their trainer role is removed, even with the supervision cookie", async () => {
    const { userFromCookies } = await import("~/accounts/session.server");
    const { db } = await import("~/db.server");
    const { trainer, both } = await trainerPhone();
    await db().deleteFrom("person_role").where("person_id", "=", trainer).execute();
    await grant(trainer, "admin");
    expect(await userFromCookies(both)).toMatchObject({ id: trainer, fullName: "Trần Văn Thầy", roles: [{ role: "admin", scope: "" }], supervisedBy: null });
  });

  it("is read once per request: a sign-out during the request does not change who the request is", async () => {
    const { getUser } = await import("~/accounts/session.server");
    const { readSession, endSession } = await import("~/accounts/lucia.server");
    const person = await makePerson({ fullName: "Đỗ Văn Một" });
    const cookie = await sessionCookie(person);
    const request = page("/ca-nhan", cookie);
    expect(await getUser(request)).toMatchObject({ id: person, fullName: "Đỗ Văn Một" });
    await endSession((await readSession(cookie))!.sessionId);
    expect(await getUser(request)).toMatchObject({ id: person });
    expect(await getUser(page("/ca-nhan", cookie))).toBeNull();
    expect(await getUser(page("/ca-nhan"))).toBeNull();
  });
});

describe("mayBeSignedIn (the page cache's anonymous test)", () => {
  it("is false without a session or supervision cookie, true with either", async () => {
    const { mayBeSignedIn } = await import("~/accounts/session.server");
    expect(mayBeSignedIn("")).toBe(false);
    expect(mayBeSignedIn("theme=dark; lang=vi")).toBe(false);
    expect(mayBeSignedIn("hvs_session=abc123")).toBe(true);
    expect(mayBeSignedIn("theme=dark; hvs_session=abc123")).toBe(true);
    expect(mayBeSignedIn("hvs_supervised=abcdefghijklmnopqrstuvwxyz")).toBe(true);
    expect(mayBeSignedIn("hvs_supervised=short")).toBe(false);
  });
});

describe("requireUser and requireOwnDevice", () => {
  it("send the signed-out to login and back to the page they asked for, query included", async () => {
    const { requireUser } = await import("~/accounts/session.server");
    const sent = (await requireUser(page("/khoa-hoc/lam-quen?bai=2")).catch((r: Response) => r)) as Response;
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe("/dang-nhap?tiep=%2Fkhoa-hoc%2Flam-quen%3Fbai%3D2");
  });

  it("send someone with a one-time PIN to change it first, but let them reach the change page", async () => {
    const { requireUser } = await import("~/accounts/session.server");
    const { setPassword } = await import("~/accounts/people.server");
    const person = await makePerson();
    await setPassword(person, "123456", true);
    const cookie = await sessionCookie(person);
    const sent = (await requireUser(page("/khoa-hoc", cookie)).catch((r: Response) => r)) as Response;
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe("/ca-nhan/doi-mat-khau");
    await expect(requireUser(page("/ca-nhan/doi-mat-khau", cookie))).resolves.toMatchObject({ id: person, mustChangePassword: true });
    // Once changed, every page opens.
    await setPassword(person, "matkhau-moi-1", false);
    await expect(requireUser(page("/khoa-hoc", cookie))).resolves.toMatchObject({ id: person, mustChangePassword: false });
  });

  it("let a learner with a one-time PIN learn on a trainer's phone, but not use account pages there", async () => {
    const { requireUser, requireOwnDevice } = await import("~/accounts/session.server");
    const { learner, trainer, own, both } = await trainerPhone({ mustChange: true });
    await expect(requireUser(page("/khoa-hoc", both))).resolves.toMatchObject({ id: learner, supervisedBy: { trainerId: trainer } });
    const refused = (await requireOwnDevice(page("/ca-nhan/du-lieu", both)).catch((r: Response) => r)) as Response;
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Không dùng được chức năng này khi đang học trên máy của người hướng dẫn.");
    await expect(requireOwnDevice(page("/ca-nhan/du-lieu", own))).resolves.toMatchObject({ id: trainer, supervisedBy: null });
  });
});

describe("hasRole", () => {
  it("checks the role and, when given, its scope", async () => {
    const { hasRole } = await import("~/accounts/session.server");
    const user = {
      id: "p",
      sessionId: "s",
      username: "u",
      fullName: "Người Thử",
      kind: "official" as const,
      communeCode: "25459",
      agencyCode: null,
      mustChangePassword: false,
      roles: [
        { role: "trainer" as const, scope: "" },
        { role: "commune_officer" as const, scope: "25459" },
      ],
      supervisedBy: null,
    };
    expect(hasRole(user, "commune_officer")).toBe(true);
    expect(hasRole(user, "commune_officer", "25459")).toBe(true);
    expect(hasRole(user, "commune_officer", "25486")).toBe(false);
    expect(hasRole(user, "admin")).toBe(false);
    expect(hasRole(null, "trainer")).toBe(false);
    expect(hasRole({ ...user, roles: [] }, "trainer")).toBe(false);
  });
});

describe("safeRedirectPath", () => {
  it("keeps same-site paths and refuses every way off-site, each on its own", async () => {
    const { safeRedirectPath } = await import("~/accounts/session.server");
    expect(safeRedirectPath("/ca-nhan/chung-chi")).toBe("/ca-nhan/chung-chi");
    expect(safeRedirectPath("/a//b")).toBe("/a//b"); // a double slash inside a path stays on this site
    expect(safeRedirectPath("/khoa-hoc//")).toBe("/khoa-hoc//"); // and at its end
    expect(safeRedirectPath("khoa-hoc")).toBe("/ca-nhan"); // not starting with "/"
    expect(safeRedirectPath("https://evil.example/")).toBe("/ca-nhan");
    expect(safeRedirectPath("//evil.example/")).toBe("/ca-nhan");
    expect(safeRedirectPath("/.//evil.example/")).toBe("/ca-nhan"); // "//evil.example/" once resolved
    expect(safeRedirectPath("/\tx")).toBe("/ca-nhan");
    expect(safeRedirectPath("")).toBe("/ca-nhan");
    expect(safeRedirectPath(undefined, "/")).toBe("/");
  });
});

describe("session cookies", () => {
  const saved = { secure: process.env.COOKIE_SECURE, nodeEnv: process.env.NODE_ENV };
  afterEach(() => {
    if (saved.secure === undefined) delete process.env.COOKIE_SECURE;
    else process.env.COOKIE_SECURE = saved.secure;
    process.env.NODE_ENV = saved.nodeEnv;
  });

  it("are Secure in production and when COOKIE_SECURE=1, not with COOKIE_SECURE=0 or in tests", async () => {
    const { secureCookies } = await import("~/accounts/lucia.server");
    delete process.env.COOKIE_SECURE;
    process.env.NODE_ENV = "production";
    expect(secureCookies()).toBe(true);
    process.env.NODE_ENV = "test";
    expect(secureCookies()).toBe(false);
    process.env.COOKIE_SECURE = "1";
    expect(secureCookies()).toBe(true);
    process.env.COOKIE_SECURE = "0";
    process.env.NODE_ENV = "production";
    expect(secureCookies()).toBe(false);
  });

  it("in the test setup carry no Secure flag, last a year, and are cleared by a blank cookie", async () => {
    const { startSession, blankSessionCookie, endSession, readSession } = await import("~/accounts/lucia.server");
    const person = await makePerson();
    const set = await startSession(person);
    const parts = (cookie: string) => cookie.split("; ").slice(1).sort();
    expect(set).toMatch(/^hvs_session=[a-z0-9]{20,};/);
    expect(parts(set)).toEqual(["HttpOnly", "Max-Age=31536000", "Path=/", "SameSite=Lax"]);
    expect(blankSessionCookie()).toMatch(/^hvs_session=;/);
    expect(parts(blankSessionCookie())).toEqual(["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax"]);
    const { sessionId } = (await readSession(set.split(";")[0]))!;
    expect(await endSession(sessionId)).toBe(blankSessionCookie());
    expect(await readSession(set.split(";")[0])).toBeNull();
  });

  it("end on every device at once with endAllSessions, and only that person's", async () => {
    const { endAllSessions, readSession } = await import("~/accounts/lucia.server");
    const person = await makePerson();
    const other = await makePerson();
    const phone = await sessionCookie(person);
    const computer = await sessionCookie(person);
    const theirs = await sessionCookie(other);
    await endAllSessions(person);
    expect(await readSession(phone)).toBeNull();
    expect(await readSession(computer)).toBeNull();
    expect(await readSession(theirs)).toMatchObject({ userId: other });
  });

  it("of a deleted person sign no one in", async () => {
    const { readSession } = await import("~/accounts/lucia.server");
    const { userFromCookies } = await import("~/accounts/session.server");
    const { deletePerson } = await import("~/accounts/people.server");
    const person = await makePerson();
    const cookie = await sessionCookie(person);
    await deletePerson(person);
    expect(await readSession(cookie)).toBeNull();
    expect(await userFromCookies(cookie)).toBeNull();
  });
});

describe("expired sessions (the hourly clean-up)", () => {
  it("are deleted, in batches, while sessions still in use stay and keep their person signed in", async () => {
    const { deleteExpiredSessions, readSession } = await import("~/accounts/lucia.server");
    const { db } = await import("~/db.server");
    // The clean-up's clock an hour ahead of the real one, so that "still valid" holds for readSession too.
    const nowSeconds = Math.floor(Date.now() / 1000) + 3600;
    const now = new Date(nowSeconds * 1000);
    const left = await makePerson();
    const kept = await makePerson();
    // Five devices not used for more than 30 days (one expiring exactly now), and two still valid.
    const gone = [];
    for (const expiresAt of [nowSeconds - 86_400 * 40, nowSeconds - 86_400, nowSeconds - 1, nowSeconds - 60, nowSeconds]) {
      const cookie = await sessionCookie(left);
      await db()
        .updateTable("session")
        .set({ expires_at: expiresAt })
        .where("user_id", "=", left)
        .where("expires_at", ">", nowSeconds + 60)
        .execute();
      gone.push(cookie);
    }
    const stays = await sessionCookie(kept);
    await db()
      .updateTable("session")
      .set({ expires_at: nowSeconds + 1 })
      .where("user_id", "=", kept)
      .execute();
    const alsoStays = await sessionCookie(kept);
    const count = async (person: string) =>
      (
        await db()
          .selectFrom("session")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("user_id", "=", person)
          .executeTakeFirstOrThrow()
      ).n;

    expect(await deleteExpiredSessions(now, 2)).toBe(5); // batches of 2, 2 and 1
    expect(Number(await count(left))).toBe(0);
    expect(Number(await count(kept))).toBe(2);
    expect(await deleteExpiredSessions(now, 2)).toBe(0);
    expect(await readSession(alsoStays)).toMatchObject({ userId: kept });
    expect(await readSession(stays)).toMatchObject({ userId: kept });
    for (const cookie of gone) expect(await readSession(cookie)).toBeNull();
  });
});

describe("a signed-in visit while another process holds the write lock (decision 013, SQLite)", () => {
  it.runIf(testEngine === "sqlite")("still opens the page; the session's expiry is pushed forward at the next visit instead", async () => {
    const { readSession } = await import("~/accounts/lucia.server");
    const { db } = await import("~/db.server");
    const person = await makePerson({ fullName: "Ngô Văn Khóa" });
    const cookie = await sessionCookie(person);
    const day = 24 * 60 * 60;
    const tenDaysLeft = Math.floor(Date.now() / 1000) + 10 * day; // past the half-way point: the visit extends it
    await db().updateTable("session").set({ expires_at: tenDaysLeft }).where("user_id", "=", person).execute();
    const expiry = async () => (await db().selectFrom("session").select("expires_at").where("user_id", "=", person).executeTakeFirstOrThrow()).expires_at;
    const other = new Database(file);
    other.exec("begin immediate");
    try {
      expect(await readSession(cookie)).toMatchObject({ userId: person, person: { fullName: "Ngô Văn Khóa" } });
    } finally {
      other.exec("commit");
      other.close();
    }
    expect(await expiry()).toBe(tenDaysLeft);
    expect(await readSession(cookie)).toMatchObject({ userId: person });
    expect(Math.abs((await expiry()) - (Date.now() / 1000 + 30 * day))).toBeLessThan(60);
  });
});
