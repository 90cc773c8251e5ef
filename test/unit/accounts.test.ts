import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

beforeAll(async () => {
  await useTempDatabase();
});

describe("passwords", () => {
  it("are hashed with scrypt, salted, and verified only with the right password", async () => {
    const { hashPassword, verifyPassword } = await import("~/accounts/password.server");
    const a = await hashPassword("mật khẩu dài");
    const b = await hashPassword("mật khẩu dài");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("mật khẩu dài", a)).toBe(true);
    // NFC and NFD spellings of the same Vietnamese password are the same password.
    expect(await verifyPassword("mật khẩu dài".normalize("NFD"), a)).toBe(true);
    expect(await verifyPassword("mat khau dai", a)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
  });
});

describe("login", () => {
  it("slows an account down after 5 failures with a Vietnamese message, even for the right password from a stranger", async () => {
    const { logIn, FREE_ATTEMPTS } = await import("~/accounts/login.server");
    await makePerson({ username: "0912345678" });
    expect(await logIn("0912 345 678", "matkhau-123", "1.1.1.1")).toMatchObject({ ok: true });
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      expect(await logIn("0912345678", "sai", `2.2.2.${i}`)).toMatchObject({ ok: false, status: 401 });
    }
    const slowed = await logIn("+84912345678", "matkhau-123", "3.3.3.3");
    expect(slowed).toMatchObject({ ok: false, status: 429 });
    if (!slowed.ok) expect(slowed.error).toContain("nhập sai quá nhiều lần");
    // The address it signed in from before is counted apart from the strangers.
    expect(await logIn("0912345678", "matkhau-123", "1.1.1.1")).toMatchObject({ ok: true });
  });

  it("limits one address trying many accounts", async () => {
    const { logIn, addressLimit, ADDRESS_FAILURES } = await import("~/accounts/login.server");
    const { hit } = await import("~/accounts/rate-limit.server");
    for (let i = 0; i < ADDRESS_FAILURES; i++) await hit(addressLimit("9.9.9.9"));
    expect(await logIn("khongco-moi", "sai", "9.9.9.9")).toMatchObject({ ok: false, status: 429 });
    expect(await logIn("khongco-moi", "sai", "8.8.8.8")).toMatchObject({ ok: false, status: 401 });
  });
});

describe("sign-up", () => {
  const valid = {
    full_name: "  Nguyễn   Văn An ",
    username: "bacan1960",
    password: "matkhau-123",
    password_confirm: "matkhau-123",
    birth_year: "1960",
    commune: "tan ninh",
    consent: "yes",
  };

  it("creates a citizen with consent time, normalised name and resolved commune", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    const { db } = await import("~/db.server");
    const result = await signUp("citizen", valid, "127.0.0.1");
    expect(result.ok).toBe(true);
    const person = await db().selectFrom("person").selectAll().where("username", "=", "bacan1960").executeTakeFirstOrThrow();
    expect(person).toMatchObject({ full_name: "Nguyễn Văn An", birth_year: 1960, commune_code: "25459", kind: "citizen", consent_method: "self" });
    expect(Date.now() - Date.parse(person.consent_at)).toBeLessThan(60_000);
    expect(person.password_hash).not.toContain("matkhau");
  });

  it("rejects each bad field with its own Vietnamese message", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    const result = await signUp(
      "citizen",
      { ...valid, username: "a", password: "ngan", password_confirm: "khac", birth_year: "năm", commune: "Hà Nội", consent: "" },
      "127.0.0.1",
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).sort()).toEqual(["birth_year", "commune", "consent", "password", "username"]);
      expect(result.errors.commune).toContain("Không tìm thấy xã/phường");
      expect(result.values).not.toHaveProperty("password");
    }
  });

  it("refuses a username that is taken", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    await signUp("citizen", { ...valid, username: "trungten" }, "127.0.0.1");
    const again = await signUp("citizen", { ...valid, username: "TrungTen" }, "127.0.0.1");
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.errors.username).toContain("đã có người dùng");
  });

  it("requires agency and personnel code from officials", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    const missing = await signUp("official", { ...valid, username: "canbo1" }, "127.0.0.1");
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(Object.keys(missing.errors).sort()).toEqual(["agency_code", "personnel_code"]);
    const ok = await signUp("official", { ...valid, username: "canbo2", agency_code: "SNV", personnel_code: "ab-123" }, "127.0.0.1");
    expect(ok.ok).toBe(true);
  });
});

describe("communes", () => {
  it("finds current names without diacritics, by code, and offers the new commune for an old name", async () => {
    const { resolveCommune } = await import("~/organisation/communes.server");
    expect(await resolveCommune("tan ninh")).toMatchObject({ kind: "exact", commune: { code: "25459", label: "Phường Tân Ninh" } });
    expect(await resolveCommune("Phường  Tân Ninh")).toMatchObject({ kind: "exact", commune: { code: "25459" } });
    expect(await resolveCommune("25486")).toMatchObject({ kind: "exact", commune: { label: "Xã Tân Biên" } });
    const old = await resolveCommune("phuong hiep ninh");
    expect(old.kind).toBe("choose");
    if (old.kind === "choose") expect(old.candidates[0]).toMatchObject({ commune: { code: "25459" }, formerName: "Phường Hiệp Ninh" });
    // Two old communes were called Tân Bình: both new communes are offered.
    const twice = await resolveCommune("xa tan binh");
    expect(twice.kind).toBe("choose");
    if (twice.kind === "choose") expect(twice.candidates.map((c) => c.commune.code)).toEqual(expect.arrayContaining(["25480", "25486"]));
    expect(await resolveCommune("Quận 1")).toEqual({ kind: "none" });
  });
});

describe("sessions", () => {
  it("stay signed in while used: the row slides 30 days forward, the cookie outlives the first 30 days", async () => {
    const { startSession, readSession, endSession } = await import("~/accounts/lucia.server");
    const { db } = await import("~/db.server");
    const person = await makePerson({ fullName: "Võ Thị Năm" });
    const setCookie = await startSession(person);
    expect(setCookie).toMatch(/Max-Age=31536000/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(";")[0];
    const day = 24 * 60 * 60;
    const expiry = async () => (await db().selectFrom("session").select("expires_at").where("user_id", "=", person).executeTakeFirstOrThrow()).expires_at;
    expect(Math.abs((await expiry()) - (Date.now() / 1000 + 30 * day))).toBeLessThan(60);
    // Day 20 of 30: a visit pushes the expiry back to 30 days from now.
    await db()
      .updateTable("session")
      .set({ expires_at: Math.floor(Date.now() / 1000) + 10 * day })
      .where("user_id", "=", person)
      .execute();
    expect(await readSession(cookie)).toMatchObject({ userId: person, person: { fullName: "Võ Thị Năm" } });
    expect(Math.abs((await expiry()) - (Date.now() / 1000 + 30 * day))).toBeLessThan(60);
    // A session past its expiry is refused whatever the cookie says, and signing out ends it.
    await db()
      .updateTable("session")
      .set({ expires_at: Math.floor(Date.now() / 1000) - 1 })
      .where("user_id", "=", person)
      .execute();
    expect(await readSession(cookie)).toBeNull();
    const second = (await startSession(person)).split(";")[0];
    const { sessionId } = (await readSession(second))!;
    await endSession(sessionId);
    expect(await readSession(second)).toBeNull();
  });

  it("are stored hashed: a copy of the session table signs no one in", async () => {
    const { startSession, readSession } = await import("~/accounts/lucia.server");
    const { storedToken } = await import("~/accounts/token.server");
    const { db } = await import("~/db.server");
    const person = await makePerson();
    const cookie = (await startSession(person)).split(";")[0];
    const id = cookie.split("=")[1];
    const [row] = await db().selectFrom("session").select("id").where("user_id", "=", person).execute();
    expect(row.id).not.toBe(id);
    expect(row.id).toBe(storedToken(id));
    expect(await readSession(cookie)).toMatchObject({ userId: person });
    expect(await readSession(`hvs_session=${row.id}`)).toBeNull();
  });

  it("on a trainer's phone (supervision) are stored hashed too, and end when the learner hands the phone back", async () => {
    const { startSupervision, supervisedLearner, endSupervision } = await import("~/accounts/supervision.server");
    const { db, nowIso } = await import("~/db.server");
    const trainer = await makePerson();
    const learner = await makePerson({ username: "nguoihocgiamsat" });
    const { id: cohortId } = await db()
      .insertInto("cohort")
      .values({ join_code: "GIAMSAT2", name: "Lớp thử", commune_code: "25459", start_date: "2026-11-01", created_by: trainer, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const started = await startSupervision(trainer, cohortId, { id: learner, username: "nguoihocgiamsat" }, "matkhau-123");
    if (!started.ok) throw new Error(started.error);
    const cookie = started.cookie.split(";")[0];
    const token = cookie.split("=")[1];
    const [row] = await db().selectFrom("supervised_session").select("id").where("learner_id", "=", learner).execute();
    expect(row.id).not.toBe(token);
    expect(await supervisedLearner(cookie, trainer)).toEqual({ learnerId: learner, cohortId });
    expect(await supervisedLearner(`hvs_supervised=${row.id}`, trainer)).toBeNull();
    expect(await supervisedLearner(cookie, learner)).toBeNull(); // bound to the trainer who started it
    await endSupervision(new Request("http://localhost/dang-xuat", { headers: { Cookie: cookie } }));
    expect(await supervisedLearner(cookie, trainer)).toBeNull();
  });

  it("issued before ids were hashed keep working after the migration", async () => {
    const { storedToken } = await import("~/accounts/token.server");
    const { databaseBefore } = await import("./support/db");
    const { sqlite, migrator } = await databaseBefore("0004-cohorts", "old.db");
    sqlite.prepare("insert into session (id, user_id, expires_at) values ('rawid', 'p1', 9999999999)").run();
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect(sqlite.prepare("select id from session").pluck().all()).toEqual([storedToken("rawid")]);
    sqlite.close();
  });
});

describe("permissions", () => {
  it("requireRole lets the role in, refuses others with 403 and sends the signed-out to login", async () => {
    const { requireRole } = await import("~/accounts/session.server");
    const { startSession } = await import("~/accounts/lucia.server");
    const { db, nowIso } = await import("~/db.server");
    const admin = await makePerson();
    const learner = await makePerson();
    await db().insertInto("person_role").values({ person_id: admin, role: "admin", scope: "", granted_by: null, granted_at: nowIso() }).execute();
    const request = async (personId?: string) => {
      const cookie = personId ? (await startSession(personId)).split(";")[0] : "";
      return new Request("http://localhost/quan-tri", { headers: cookie ? { Cookie: cookie } : {} });
    };
    await expect(requireRole(await request(admin), "admin")).resolves.toMatchObject({ id: admin });
    const refused = await requireRole(await request(learner), "admin").catch((r: Response) => r);
    expect((refused as Response).status).toBe(403);
    const anonymous = await requireRole(await request(), "admin").catch((r: Response) => r);
    expect((anonymous as Response).status).toBe(302);
    expect((anonymous as Response).headers.get("Location")).toBe("/dang-nhap?tiep=%2Fquan-tri");
  });

  it("each request reads the session's own person's roles: a removed role or a sign-out counts at the next request", async () => {
    // The roles are read by the session id alongside the session (decision 031): never another person's, never cached.
    const { userFromCookies } = await import("~/accounts/session.server");
    const { startSession, endSession, readSession } = await import("~/accounts/lucia.server");
    const { db, nowIso } = await import("~/db.server");
    const officer = await makePerson();
    const learner = await makePerson();
    await db()
      .insertInto("person_role")
      .values({ person_id: officer, role: "commune_officer", scope: "25459", granted_by: null, granted_at: nowIso() })
      .execute();
    const officerCookie = (await startSession(officer)).split(";")[0];
    const learnerCookie = (await startSession(learner)).split(";")[0];
    expect(await userFromCookies(officerCookie)).toMatchObject({ id: officer, roles: [{ role: "commune_officer", scope: "25459" }] });
    expect(await userFromCookies(learnerCookie)).toMatchObject({ id: learner, roles: [] });
    await db().deleteFrom("person_role").where("person_id", "=", officer).execute();
    expect(await userFromCookies(officerCookie)).toMatchObject({ id: officer, roles: [] });
    await endSession((await readSession(officerCookie))!.sessionId);
    expect(await userFromCookies(officerCookie)).toBeNull();
    expect(await userFromCookies("hvs_session=khong-co-phien-nay")).toBeNull();
  });

  it("grantRole checks the scope of scoped roles", async () => {
    const { grantRole } = await import("~/accounts/admin.server");
    await makePerson({ username: "xaofficer" });
    expect(await grantRole("x", { username: "xaofficer", role: "commune_officer", scope: "99999" })).toMatchObject({ ok: false });
    expect(await grantRole("x", { username: "xaofficer", role: "commune_officer", scope: "25459" })).toMatchObject({ ok: true });
    expect(await grantRole("x", { username: "xaofficer", role: "agency_officer", scope: "KHONG-CO" })).toMatchObject({ ok: false });
    expect(await grantRole("x", { username: "khongai", role: "trainer" })).toMatchObject({ ok: false });
    // What is stored, not only the flag: exactly one role, with its scope; refused grants stored nothing.
    const { db } = await import("~/db.server");
    const person = await db().selectFrom("person").select("id").where("username", "=", "xaofficer").executeTakeFirstOrThrow();
    expect(await db().selectFrom("person_role").select(["role", "scope", "granted_by"]).where("person_id", "=", person.id).execute()).toEqual([
      { role: "commune_officer", scope: "25459", granted_by: "x" },
    ]);
  });

  it("safeRedirectPath never sends anyone off-site", async () => {
    const { safeRedirectPath } = await import("~/accounts/session.server");
    expect(safeRedirectPath("/khoa-hoc")).toBe("/khoa-hoc");
    expect(safeRedirectPath("//evil.example")).toBe("/ca-nhan");
    expect(safeRedirectPath("https://evil.example")).toBe("/ca-nhan");
    expect(safeRedirectPath("/\\evil.example")).toBe("/ca-nhan");
  });
});

describe("account deletion", () => {
  it("removes the person and everything linked, keeping only an anonymous count", async () => {
    const { deletePerson, exportPersonData } = await import("~/accounts/people.server");
    const { db } = await import("~/db.server");
    const person = await makePerson({ communeCode: "25486" });
    const exported = await exportPersonData(person);
    expect(exported.person.commune_code).toBe("25486");
    await db()
      .insertInto("lesson_progress")
      .values({ person_id: person, course_slug: "lam-quen", lesson_slug: "buoc-mot", first_viewed_at: "2026-01-01T00:00:00Z" })
      .execute();
    await deletePerson(person);
    expect(await db().selectFrom("person").select("id").where("id", "=", person).executeTakeFirst()).toBeUndefined();
    expect(await db().selectFrom("lesson_progress").select("person_id").where("person_id", "=", person).execute()).toEqual([]);
    const tally = await db().selectFrom("deleted_account_tally").selectAll().where("commune_code", "=", "25486").execute();
    expect(tally).toHaveLength(1);
    expect(tally[0]).toMatchObject({ kind: "citizen", accounts: 1, completions: 0 });
  });
});
