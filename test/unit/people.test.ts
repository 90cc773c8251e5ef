import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// People, administrators' account tools, sign-up and signed-in requests (app/accounts), on a real SQLite file.
// What each call stored is read back from the database with plain queries.

beforeAll(async () => {
  await useTempDatabase();
}, 60_000);

async function m() {
  return {
    ...(await import("~/accounts/people.server")),
    ...(await import("~/accounts/admin.server")),
    ...(await import("~/accounts/lucia.server")),
    ...(await import("~/accounts/session.server")),
    db: (await import("~/db.server")).db,
    nowIso: (await import("~/db.server")).nowIso,
  };
}

const CURRENT_YEAR = new Date().getUTCFullYear();
const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) => (result.success ? "ok" : result.error!.issues[0].message);

async function personRow(id: string) {
  const { db } = await m();
  return db().selectFrom("person").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("usernames and form fields", () => {
  it("phone numbers are written one way; other usernames are lower-cased and trimmed", async () => {
    const { normalizeUsername } = await m();
    expect(normalizeUsername(" 0912 345 678 ")).toBe("0912345678");
    expect(normalizeUsername("0912.345.678")).toBe("0912345678");
    expect(normalizeUsername("(0912)-345-678")).toBe("0912345678");
    expect(normalizeUsername("+84912345678")).toBe("0912345678");
    expect(normalizeUsername("84912345678")).toBe("0912345678");
    expect(normalizeUsername("+84 91 234 5678")).toBe("0912345678");
    expect(normalizeUsername("091234567")).toBe("091234567");
    expect(normalizeUsername("+8491234567")).toBe("+8491234567");
    expect(normalizeUsername("x0912345678")).toBe("x0912345678");
    expect(normalizeUsername("  Bac.An-1960 ")).toBe("bac.an-1960");
    expect(normalizeUsername("ba an")).toBe("ba an");
    // One digit too many or too few is not cut down to somebody else's ten-digit number.
    expect(normalizeUsername("+84 912 345 6789")).toBe("+84 912 345 6789");
    expect(normalizeUsername("0912 345 6789")).toBe("0912 345 6789");
    expect(normalizeUsername("1 0912 345 678")).toBe("1 0912 345 678");
    expect(normalizeUsername("bac84912345678")).toBe("bac84912345678");
  });

  it("each field refuses what it should with its own Vietnamese message", async () => {
    const { fullNameField, usernameField, passwordField, birthYearField, personnelCodeField } = await m();
    expect(fullNameField.parse("  Nguyễn \t Văn   An ")).toBe("Nguyễn Văn An");
    expect(fullNameField.parse("O'Neil Lê-Văn")).toBe("O'Neil Lê-Văn");
    expect(fullNameField.parse("A.")).toBe("A.");
    expect(firstMessage(fullNameField.safeParse(" A "))).toBe("Vui lòng nhập họ và tên.");
    expect(firstMessage(fullNameField.safeParse("A".repeat(101)))).toBe("Họ và tên dài quá 100 ký tự.");
    expect(fullNameField.parse("A".repeat(100))).toHaveLength(100);
    expect(firstMessage(fullNameField.safeParse("An2"))).toBe("Họ và tên chỉ gồm chữ cái và dấu cách.");
    expect(firstMessage(fullNameField.safeParse("An <b>"))).toBe("Họ và tên chỉ gồm chữ cái và dấu cách.");
    expect(firstMessage(fullNameField.safeParse("<b>An"))).toBe("Họ và tên chỉ gồm chữ cái và dấu cách.");

    expect(usernameField.parse("Bac.An")).toBe("bac.an");
    expect(usernameField.parse("abc")).toBe("abc");
    expect(usernameField.parse("+84 912 345 678")).toBe("0912345678");
    expect(usernameField.parse("a".repeat(32))).toBe("a".repeat(32));
    expect(firstMessage(usernameField.safeParse("  "))).toBe("Vui lòng nhập số điện thoại hoặc tên đăng nhập.");
    const format = "Nhập số điện thoại 10 số (ví dụ 0912345678) hoặc tên đăng nhập 3–32 ký tự: chữ không dấu, số, dấu chấm hoặc gạch.";
    for (const bad of ["ab", "a".repeat(33), "1abc", "bác", "an an", "091234567", "09", "x0912345678!"])
      expect(firstMessage(usernameField.safeParse(bad))).toBe(format);

    expect(firstMessage(passwordField.safeParse("1234567"))).toBe("Mật khẩu cần ít nhất 8 ký tự.");
    expect(passwordField.parse("12345678")).toBe("12345678");
    expect(passwordField.parse("x".repeat(200))).toHaveLength(200);
    expect(firstMessage(passwordField.safeParse("x".repeat(201)))).toBe("Mật khẩu dài quá 200 ký tự.");

    expect(birthYearField.parse("1900")).toBe(1900);
    expect(birthYearField.parse(String(CURRENT_YEAR - 6))).toBe(CURRENT_YEAR - 6);
    expect(firstMessage(birthYearField.safeParse("1899"))).toBe("Năm sinh không hợp lệ.");
    expect(firstMessage(birthYearField.safeParse(String(CURRENT_YEAR - 5)))).toBe("Năm sinh không hợp lệ.");
    expect(firstMessage(birthYearField.safeParse("1960.5"))).toBe("Năm sinh phải là một số, ví dụ 1965.");
    expect(firstMessage(birthYearField.safeParse("năm"))).toBe("Năm sinh phải là một số, ví dụ 1965.");

    expect(personnelCodeField.parse(" ab-12 ")).toBe("AB-12");
    expect(personnelCodeField.parse("A".repeat(20))).toBe("A".repeat(20));
    for (const bad of ["AB", "A".repeat(21), "AB 12", "MÃ-1"])
      expect(firstMessage(personnelCodeField.safeParse(bad))).toBe("Mã cán bộ gồm 3–20 chữ cái không dấu, số hoặc dấu gạch.");
  });
});

describe("creating people and checking passwords", () => {
  it("stores every field given, with safe defaults for the rest", async () => {
    const { createPerson, newPersonId } = await m();
    expect(newPersonId()).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const trainer = await makePerson();
    const full = await createPerson({
      username: "dayduthongtin",
      fullName: "Đoàn Thị Đủ",
      birthYear: 1970,
      communeCode: "25486",
      kind: "official",
      password: "matkhau-123",
      phone: "0912000111",
      agencyCode: "SNV",
      personnelCode: "SNV-77",
      consentMethod: "paper",
      consentRecordedBy: trainer,
      createdBy: trainer,
      mustChangePassword: true,
      isDemo: true,
    });
    expect(await personRow(full)).toMatchObject({
      username: "dayduthongtin",
      full_name: "Đoàn Thị Đủ",
      search_name: "doan thi du",
      birth_year: 1970,
      commune_code: "25486",
      kind: "official",
      phone: "0912000111",
      agency_code: "SNV",
      personnel_code: "SNV-77",
      must_change_password: 1,
      consent_method: "paper",
      consent_recorded_by: trainer,
      created_by: trainer,
      is_demo: 1,
    });
    const plain = await createPerson({
      username: "itthongtin",
      fullName: "Ít Thông Tin",
      birthYear: 1980,
      communeCode: "25459",
      kind: "citizen",
      password: "matkhau-123",
      consentMethod: "self",
    });
    const row = await personRow(plain);
    expect(row).toMatchObject({
      phone: null,
      agency_code: null,
      personnel_code: null,
      must_change_password: 0,
      consent_recorded_by: null,
      created_by: null,
      is_demo: 0,
    });
    expect(row.consent_at).toBe(row.created_at);
    expect(Date.now() - Date.parse(row.created_at)).toBeLessThan(120_000);
  });

  it("a taken username is refused with UsernameTaken; usernameTaken says so", async () => {
    const { createPerson, UsernameTaken, usernameTaken } = await m();
    await makePerson({ username: "datontai" });
    expect(await usernameTaken("datontai")).toBe(true);
    expect(await usernameTaken("chuaco")).toBe(false);
    const again = createPerson({
      username: "datontai",
      fullName: "Người Khác",
      birthYear: 1980,
      communeCode: "25459",
      kind: "citizen",
      password: "matkhau-123",
      consentMethod: "self",
    });
    await expect(again).rejects.toBeInstanceOf(UsernameTaken);
  });

  it("checkCredentials gives the id only for the right password; setPassword and passwordMatches agree", async () => {
    const { checkCredentials, setPassword, passwordMatches } = await m();
    const person = await makePerson({ username: "kiemtra" });
    expect(await checkCredentials("kiemtra", "matkhau-123")).toBe(person);
    expect(await checkCredentials("kiemtra", "sai-mat-khau")).toBeNull();
    expect(await checkCredentials("khongcoai", "matkhau-123")).toBeNull();
    expect(await checkCredentials("khongcoai", "decoy-password")).toBeNull();
    await setPassword(person, "mat-khau-moi", true);
    expect((await personRow(person)).must_change_password).toBe(1);
    expect(await passwordMatches(person, "mat-khau-moi")).toBe(true);
    expect(await passwordMatches(person, "matkhau-123")).toBe(false);
    expect(await passwordMatches("khong-co-id", "mat-khau-moi")).toBe(false);
    await setPassword(person, "mat-khau-thu-ba", false);
    expect((await personRow(person)).must_change_password).toBe(0);
    expect(await checkCredentials("kiemtra", "mat-khau-thu-ba")).toBe(person);
  }, 120_000); // eleven scrypt hashes: slow on a shared machine
});

describe("a person's own data", () => {
  it("the export holds the person, roles, progress, attempts with their answers, and devices as dates only", async () => {
    const { exportPersonData, db, nowIso } = await m();
    const person = await makePerson({ username: "taixuong", communeCode: "25480" });
    await db()
      .insertInto("person_role")
      .values({ person_id: person, role: "trainer", scope: "", granted_by: null, granted_at: "2026-01-02T00:00:00.000Z" })
      .execute();
    const attempt = await db()
      .insertInto("quiz_attempt")
      .values({
        person_id: person,
        course_slug: "lam-quen",
        idempotency_key: "k1",
        submitted_at: "2026-02-01T00:00:00.000Z",
        correct_count: 1,
        question_count: 2,
        percent: 50,
        passed: 0,
        content_version: "v",
        supervised_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("quiz_answer")
      .values([
        { attempt_id: attempt.id, question_id: "q1", selected: "a", is_correct: 1 },
        { attempt_id: attempt.id, question_id: "q2", selected: "b,c", is_correct: 0 },
      ])
      .execute();
    // A second attempt, passed: each attempt lists only its own answers.
    const second = await db()
      .insertInto("quiz_attempt")
      .values({
        person_id: person,
        course_slug: "lam-quen",
        idempotency_key: "k2",
        submitted_at: "2026-02-02T00:00:00.000Z",
        correct_count: 2,
        question_count: 2,
        percent: 100,
        passed: 1,
        content_version: "v",
        supervised_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("quiz_answer")
      .values([
        { attempt_id: second.id, question_id: "q1", selected: "a", is_correct: 1 },
        { attempt_id: second.id, question_id: "q2", selected: "b", is_correct: 1 },
      ])
      .execute();
    await db()
      .insertInto("known_login")
      .values({ person_id: person, kind: "device", key_hash: "h", last_success_at: Date.UTC(2026, 0, 5, 3, 0, 0) })
      .execute();
    const before = nowIso();
    const data = await exportPersonData(person);
    expect(data.exported_at >= before).toBe(true);
    expect(data.note).toContain("Mật khẩu");
    expect(data.person).toMatchObject({ username: "taixuong", commune_code: "25480", kind: "citizen" });
    expect(data.person).not.toHaveProperty("password_hash");
    expect(data.roles).toEqual([{ role: "trainer", scope: "", granted_at: "2026-01-02T00:00:00.000Z" }]);
    expect(data.quiz_attempts).toHaveLength(2);
    const [first, passed] = [...data.quiz_attempts].sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
    expect(first).toMatchObject({ course_slug: "lam-quen", percent: 50, passed: 0 });
    expect(first.answers.map((a) => [a.question_id, a.selected, a.is_correct])).toEqual([
      ["q1", "a", 1],
      ["q2", "b,c", 0],
    ]);
    expect(passed).toMatchObject({ percent: 100, passed: 1 });
    expect(passed.answers.map((a) => [a.question_id, a.selected, a.is_correct])).toEqual([
      ["q1", "a", 1],
      ["q2", "b", 1],
    ]);
    expect(data.known_logins).toEqual([{ kind: "device", last_success_at: "2026-01-05T03:00:00.000Z" }]);
    expect(data.certificates).toEqual([]);
    expect(data.cohort_invitations).toEqual([]);
  });

  it("the export lists every stored field of the person and each kind of record, only their own, never a neighbour's", async () => {
    const { exportPersonData, db } = await m();
    const owner = await makePerson({ username: "chudulieu", fullName: "Chủ Dữ Liệu", communeCode: "25486", birthYear: 1958 });
    const neighbour = await makePerson({ username: "hangxom", fullName: "Hàng Xóm" });
    await db().updateTable("person").set({ consent_at: "2026-03-01T01:00:00.000Z", created_at: "2026-03-01T01:00:00.000Z" }).where("id", "=", owner).execute();
    const cohort = await db()
      .insertInto("cohort")
      .values({
        join_code: "LOPA1",
        name: "Lớp Tân Biên",
        commune_code: "25486",
        start_date: "2026-03-02",
        created_by: null,
        created_at: "2026-03-01T00:00:00.000Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // The same records for both people; the neighbour's carry other values, so a leak would show.
    for (const [person, day] of [
      [owner, "03"],
      [neighbour, "09"],
    ] as const) {
      const at = `2026-03-${day}T02:00:00.000Z`;
      await db()
        .insertInto("lesson_progress")
        .values({ person_id: person, course_slug: "lam-quen", lesson_slug: "buoc-mot", first_viewed_at: at, completed_at: at })
        .execute();
      await db()
        .insertInto("course_progress")
        .values({ person_id: person, course_slug: "lam-quen", last_lesson_slug: "buoc-mot", started_at: at, updated_at: at, completed_at: null })
        .execute();
      await db()
        .insertInto("certificate")
        .values({ code: `MA-${day}`, person_id: person, course_slug: "lam-quen", full_name: "x", course_title: "Làm quen", competences: "[]", issued_at: at })
        .execute();
      await db()
        .insertInto("cohort_invitation")
        .values({ cohort_id: cohort.id, person_id: person, invited_by: null, session_id: null, created_at: at, answered_at: null, accepted: null })
        .execute();
      await db()
        .insertInto("known_login")
        .values({ person_id: person, kind: "address", key_hash: `h${day}`, last_success_at: Date.parse(at) })
        .execute();
      await db()
        .insertInto("task_record")
        .values({
          person_id: person,
          course_slug: "lam-quen",
          task_id: `viec-${day}`,
          self_reported_at: at,
          confirmed_at: null,
          confirmed_by: null,
          confirmed_cohort_id: null,
        })
        .execute();
      await db()
        .insertInto("citizen_id_consent")
        .values({ person_id: person, citizen_id: `0720580000${day}`, consented_at: at })
        .execute();
      await db()
        .insertInto("cohort_member")
        .values({ cohort_id: cohort.id, person_id: person, joined_at: at, joined_via: day === "03" ? "code" : "assisted" })
        .execute();
      const session = await db()
        .insertInto("training_session")
        .values({
          cohort_id: cohort.id,
          held_on: `2026-03-${day}`,
          place: `Nhà văn hóa ấp ${day}`,
          topic: `Buổi ${day}`,
          course_slug: null,
          recorded_by: null,
          recorded_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db().insertInto("session_attendance").values({ session_id: session.id, person_id: person }).execute();
      await db()
        .insertInto("reminder")
        .values({ person_id: person, agency_code: "", day: `2026-03-${day}`, message: `Nhắc ${day}`, sent_by: null, created_at: at, seen_at: null })
        .execute();
      await db()
        .insertInto("oidc_link")
        .values({ issuer: "https://id.example.vn", subject: `sub-${day}`, person_id: person, linked_at: at })
        .execute();
      // Each learned once on the other's phone.
      await db()
        .insertInto("supervised_session")
        .values({
          id: `sup-${day}`,
          trainer_id: person === owner ? neighbour : owner,
          learner_id: person,
          cohort_id: cohort.id,
          started_at: at,
          expires_at: 0,
          ended_at: at,
        })
        .execute();
    }
    const data = await exportPersonData(owner);
    expect(data.person).toEqual({
      username: "chudulieu",
      full_name: "Chủ Dữ Liệu",
      birth_year: 1958,
      commune_code: "25486",
      kind: "citizen",
      phone: null,
      email: null,
      agency_code: null,
      personnel_code: null,
      consent_at: "2026-03-01T01:00:00.000Z",
      consent_method: "self",
      created_at: "2026-03-01T01:00:00.000Z",
    });
    const at = "2026-03-03T02:00:00.000Z";
    expect(data.lesson_progress).toEqual([{ course_slug: "lam-quen", lesson_slug: "buoc-mot", first_viewed_at: at, completed_at: at }]);
    expect(data.course_progress).toEqual([{ course_slug: "lam-quen", last_lesson_slug: "buoc-mot", started_at: at, updated_at: at, completed_at: null }]);
    expect(data.certificates).toEqual([{ code: "MA-03", course_slug: "lam-quen", course_title: "Làm quen", issued_at: at }]);
    expect(data.cohort_invitations).toEqual([{ cohort_name: "Lớp Tân Biên", created_at: at, answered_at: null, accepted: null }]);
    expect(data.known_logins).toEqual([{ kind: "address", last_success_at: at }]);
    expect(data.practice_tasks).toEqual([{ course_slug: "lam-quen", task_id: "viec-03", self_reported_at: at, confirmed_at: null, confirmed_by: null }]);
    expect(data.citizen_id).toEqual([{ citizen_id: "072058000003", consented_at: at }]);
    expect(data.cohorts).toEqual([{ cohort_name: "Lớp Tân Biên", joined_at: at, joined_via: "code" }]);
    expect(data.sessions_attended).toEqual([{ cohort_name: "Lớp Tân Biên", held_on: "2026-03-03", place: "Nhà văn hóa ấp 03", topic: "Buổi 03" }]);
    expect(data.reminders).toEqual([{ day: "2026-03-03", message: "Nhắc 03", created_at: at, seen_at: null }]);
    expect(data.sign_in_links).toEqual([{ issuer: "https://id.example.vn", subject: "sub-03", linked_at: at }]);
    expect(data.supervised_sessions).toEqual([{ trainer_name: "Hàng Xóm", started_at: at, ended_at: at }]);
    expect(data.roles).toEqual([]);
    expect(data.quiz_attempts).toEqual([]);
  });

  it("deleting people adds up in the anonymous tally per month, kind and commune; an unknown id changes nothing", async () => {
    const { deletePerson, db } = await m();
    const done = async (person: string, slug: string) =>
      db()
        .insertInto("course_progress")
        .values({
          person_id: person,
          course_slug: slug,
          last_lesson_slug: null,
          started_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
          completed_at: "2026-01-02T00:00:00Z",
        })
        .execute();
    const a = await makePerson({ communeCode: "25489" });
    const b = await makePerson({ communeCode: "25489" });
    const official = await makePerson({ communeCode: "25489", kind: "official" });
    await done(a, "lam-quen");
    await done(a, "thu-hai");
    await done(b, "lam-quen");
    await db()
      .insertInto("course_progress")
      .values({
        person_id: b,
        course_slug: "thu-hai",
        last_lesson_slug: null,
        started_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
        completed_at: null,
      })
      .execute();
    await deletePerson(a);
    await deletePerson(b);
    await deletePerson(official);
    await deletePerson("khong-co-ai");
    const tally = await db()
      .selectFrom("deleted_account_tally")
      .select(["month", "kind", "accounts", "completions"])
      .where("commune_code", "=", "25489")
      .orderBy("kind")
      .execute();
    const month = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7); // the month in Vietnam (UTC+7)
    expect(tally).toEqual([
      { month, kind: "citizen", accounts: 2, completions: 3 },
      { month, kind: "official", accounts: 1, completions: 0 },
    ]);
    expect(await db().selectFrom("person").select("id").where("id", "in", [a, b, official]).execute()).toEqual([]);
    expect(await db().selectFrom("course_progress").select("person_id").where("person_id", "in", [a, b]).execute()).toEqual([]);
  });
});

describe("administrators' account tools", () => {
  it("searchPeople finds by name without diacritics or by phone in any spelling, sorted by name, with roles", async () => {
    const { searchPeople, db } = await m();
    const zung = await makePerson({ username: "0987000111", fullName: "Vũ Thị Tìm Kiếm" });
    await makePerson({ username: "timkiem2", fullName: "Anh Tìm Kiếm" });
    await db()
      .insertInto("person_role")
      .values({ person_id: zung, role: "commune_officer", scope: "25459", granted_by: null, granted_at: "2026-01-01" })
      .execute();
    const byName = await searchPeople("  tim kiem ");
    expect(byName.map((p) => p.full_name)).toEqual(["Anh Tìm Kiếm", "Vũ Thị Tìm Kiếm"]);
    expect(byName[1].roles).toEqual([{ role: "commune_officer", scope: "25459" }]);
    expect(byName[0].roles).toEqual([]);
    expect(Object.keys(byName[0]).sort()).toEqual(["agency_code", "birth_year", "commune_code", "full_name", "id", "kind", "roles", "username"]);
    expect((await searchPeople("+84 987 000 111")).map((p) => p.id)).toEqual([zung]);
    expect(await searchPeople("khong ai ten the nay")).toEqual([]);
    expect((await searchPeople("tim kiem", 1)).map((p) => p.full_name)).toEqual(["Anh Tìm Kiếm"]);
    const everyone = await searchPeople("", 500);
    expect(everyone.length).toBe(
      Number(
        (
          await db()
            .selectFrom("person")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect((await searchPeople("")).length).toBe(Math.min(30, everyone.length));
  });

  it("searchPeople reads only the first 100 characters of what was typed", async () => {
    const { searchPeople } = await m();
    // The longest name allowed is 100 characters; anything typed past that is ignored, not searched for.
    const longest = await makePerson({ fullName: "Ba".repeat(50) });
    expect((await searchPeople("ba".repeat(50) + " thêm chữ")).map((p) => p.id)).toEqual([longest]);
  });

  it("grantRole stores the role with its scope only for scoped roles, says what it did, and refuses bad input", async () => {
    const { grantRole, revokeRole, db } = await m();
    const admin = await makePerson();
    const person = await makePerson({ username: "0977111222", fullName: "Hồ Văn Quyền" });
    const roles = () => db().selectFrom("person_role").select(["role", "scope", "granted_by"]).where("person_id", "=", person).orderBy("role").execute();
    expect(await grantRole(admin, { username: "+84977111222", role: "trainer", scope: "25459" })).toEqual({
      ok: true,
      message: "Đã cấp quyền “Người hướng dẫn (tập huấn viên, tổ công nghệ số cộng đồng)” cho Hồ Văn Quyền.",
    });
    expect(await grantRole(admin, { username: "0977111222", role: "agency_officer", scope: " SNV " })).toEqual({
      ok: true,
      message: "Đã cấp quyền “Cán bộ phụ trách đào tạo của cơ quan” (SNV) cho Hồ Văn Quyền.",
    });
    expect(await grantRole(admin, { username: "0977111222", role: "trainer" })).toMatchObject({ ok: true });
    expect(await roles()).toEqual([
      { role: "agency_officer", scope: "SNV", granted_by: admin },
      { role: "trainer", scope: "", granted_by: admin },
    ]);
    expect(await grantRole(admin, { username: "0977111222", role: "chua-co" })).toEqual({ ok: false, error: "Vai trò không hợp lệ." });
    expect(await grantRole(admin, { username: "", role: "trainer" })).toEqual({ ok: false, error: "Nhập tên đăng nhập của người được cấp quyền." });
    expect(await grantRole(admin, { username: "khongco", role: "trainer" })).toEqual({ ok: false, error: "Không có tài khoản “khongco”." });
    expect(await grantRole(admin, { username: "0977111222", role: "commune_officer", scope: "" })).toEqual({
      ok: false,
      error: "Cán bộ xã/phường cần mã xã/phường hợp lệ (5 chữ số).",
    });
    expect(await grantRole(admin, { username: "0977111222", role: "agency_officer", scope: "" })).toEqual({
      ok: false,
      error: "Cán bộ phụ trách cơ quan cần mã cơ quan hợp lệ.",
    });
    expect(await grantRole(admin, { username: "0977111222", role: "admin", scope: "x".repeat(41) })).toEqual({
      ok: false,
      error: "Mã xã/phường hoặc mã cơ quan dài quá 40 ký tự.",
    });
    expect(await grantRole(admin, { username: "0".repeat(101), role: "trainer" })).toEqual({ ok: false, error: "Tên đăng nhập dài quá 100 ký tự." });
    await revokeRole(person, "agency_officer", "STC");
    expect((await roles()).length).toBe(2);
    await revokeRole(person, "agency_officer", "SNV");
    expect(await roles()).toEqual([{ role: "trainer", scope: "", granted_by: admin }]);
    expect(await grantRole(admin, { username: "0977111222", role: "admin", scope: "" })).toEqual({
      ok: true,
      message: "Đã cấp quyền “Quản trị viên tỉnh” cho Hồ Văn Quyền.",
    });
    // A commune code typed with spaces around it is stored without them.
    expect(await grantRole(admin, { username: "0977111222", role: "commune_officer", scope: " 25459 " })).toEqual({
      ok: true,
      message: "Đã cấp quyền “Cán bộ phụ trách xã/phường” (25459) cho Hồ Văn Quyền.",
    });
    expect(await roles()).toEqual([
      { role: "admin", scope: "", granted_by: admin },
      { role: "commune_officer", scope: "25459", granted_by: admin },
      { role: "trainer", scope: "", granted_by: admin },
    ]);
  });

  it("resetPassword sets a one-time PIN to change at next login and signs the person out everywhere", async () => {
    const { resetPassword, startSession, readSession, checkCredentials } = await m();
    const person = await makePerson({ username: "quenmatkhau", fullName: "Lý Thị Quên" });
    const cookie = (await startSession(person)).split(";")[0];
    const other = (await startSession(person)).split(";")[0];
    const reset = await resetPassword(person);
    expect(reset).toMatchObject({ fullName: "Lý Thị Quên", username: "quenmatkhau" });
    expect(reset!.pin).toMatch(/^\d{6}$/);
    expect(await checkCredentials("quenmatkhau", reset!.pin)).toBe(person);
    expect(await checkCredentials("quenmatkhau", "matkhau-123")).toBeNull();
    expect((await personRow(person)).must_change_password).toBe(1);
    expect(await readSession(cookie)).toBeNull();
    expect(await readSession(other)).toBeNull();
    expect(await resetPassword("khong-co-ai")).toBeNull();
  });
});

describe("signed-in requests", () => {
  const requestAs = async (personId: string | null, path = "/ca-nhan") => {
    const { startSession } = await m();
    const cookie = personId ? (await startSession(personId)).split(";")[0] : "";
    return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  };
  const thrown = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Response);
    const response = error as Response;
    return { status: response.status, location: response.headers.get("Location"), text: response.status === 403 ? await response.text() : "" };
  };

  it("a person who must change their password is sent to the change page, except on it", async () => {
    const { requireUser, setPassword } = await m();
    const person = await makePerson();
    await setPassword(person, "123456", true);
    expect(await thrown(requireUser(await requestAs(person, "/khoa-hoc")))).toEqual({ status: 302, location: "/ca-nhan/doi-mat-khau", text: "" });
    await expect(requireUser(await requestAs(person, "/ca-nhan/doi-mat-khau"))).resolves.toMatchObject({ id: person, mustChangePassword: true });
    expect(await thrown(requireUser(await requestAs(null, "/khoa-hoc/lam-quen?buoc=2")))).toEqual({
      status: 302,
      location: "/dang-nhap?tiep=%2Fkhoa-hoc%2Flam-quen%3Fbuoc%3D2",
      text: "",
    });
  });

  it("the user carries the person's fields and roles, and is read once per request", async () => {
    const { getUser, userFromCookies, db } = await m();
    const person = await makePerson({ username: "nguoidung", fullName: "Mai Văn Dùng", communeCode: "25486", kind: "official" });
    await db().updateTable("person").set({ agency_code: "STC" }).where("id", "=", person).execute();
    await db()
      .insertInto("person_role")
      .values({ person_id: person, role: "agency_officer", scope: "STC", granted_by: null, granted_at: "2026-01-01" })
      .execute();
    const request = await requestAs(person);
    const user = await getUser(request);
    expect(user).toMatchObject({
      id: person,
      username: "nguoidung",
      fullName: "Mai Văn Dùng",
      kind: "official",
      communeCode: "25486",
      agencyCode: "STC",
      mustChangePassword: false,
      roles: [{ role: "agency_officer", scope: "STC" }],
      supervisedBy: null,
    });
    expect(user!.sessionId).toMatch(/^[a-z0-9]{20,}$/);
    // Changes after the first read are not seen by the same request, only by the next one.
    await db().insertInto("person_role").values({ person_id: person, role: "trainer", scope: "", granted_by: null, granted_at: "2026-01-01" }).execute();
    expect((await getUser(request))!.roles).toHaveLength(1);
    expect((await userFromCookies(request.headers.get("Cookie")!))!.roles).toHaveLength(2);
    expect(await userFromCookies("")).toBeNull();
    expect(await getUser(new Request("http://localhost/"))).toBeNull();
  });

  it("hasRole checks the scope only when one is given; forbidden and requireRole answer 403", async () => {
    const { hasRole, requireRole, db } = await m();
    const { forbidden } = await import("~/ui/http.server");
    const user = { roles: [{ role: "commune_officer", scope: "25459" }] } as unknown as Parameters<typeof hasRole>[0];
    expect(hasRole(user, "commune_officer")).toBe(true);
    expect(hasRole(user, "commune_officer", "25459")).toBe(true);
    expect(hasRole(user, "commune_officer", "25480")).toBe(false);
    expect(hasRole(user, "commune_officer", "")).toBe(false);
    expect(hasRole(user, "admin")).toBe(false);
    expect(hasRole(null, "admin")).toBe(false);
    expect(await thrown(Promise.resolve().then(() => forbidden()))).toEqual({ status: 403, location: null, text: "Bạn không có quyền xem trang này." });
    const trainer = await makePerson();
    await db().insertInto("person_role").values({ person_id: trainer, role: "trainer", scope: "", granted_by: null, granted_at: "2026-01-01" }).execute();
    await expect(requireRole(await requestAs(trainer), "admin", "trainer")).resolves.toMatchObject({ id: trainer });
    expect((await thrown(requireRole(await requestAs(trainer), "admin", "commune_officer"))).status).toBe(403);
  });

  it("signing out clears the cookie; endAllSessions ends every session of that person only", async () => {
    const { startSession, readSession, endSession, endAllSessions, blankSessionCookie } = await m();
    const person = await makePerson();
    const other = await makePerson();
    const one = (await startSession(person)).split(";")[0];
    const two = (await startSession(person)).split(";")[0];
    const theirs = (await startSession(other)).split(";")[0];
    expect(blankSessionCookie()).toMatch(/^hvs_session=; .*Max-Age=0/);
    await endAllSessions(person);
    expect(await readSession(one)).toBeNull();
    expect(await readSession(two)).toBeNull();
    const still = await readSession(theirs);
    expect(still).toMatchObject({ userId: other });
    expect(await endSession(still!.sessionId)).toMatch(/^hvs_session=; .*Max-Age=0/);
    expect(await readSession(theirs)).toBeNull();
    expect(await readSession(null)).toBeNull();
  });
});
