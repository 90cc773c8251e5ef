import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, signedIn, useTempDatabase } from "./support/db";

// Assisted enrollment and in-person sessions (app/cohorts/enrollment.server.ts), on a real SQLite file: what
// the trainer is told, what card the learner gets, and which rows are stored. The security rules (who may be
// added without consent, PIN resets) are in cohort-access.test.ts.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const mod = async () => ({
  ...(await import("~/cohorts/cohorts.server")),
  ...(await import("~/cohorts/enrollment.server")),
  ...(await import("~/cohorts/invitations.server")),
  ...(await import("~/accounts/people.server")),
  ...(await import("~/accounts/lucia.server")),
  ...(await import("~/db.server")),
});

const actor = (id: string) => signedIn(id);

async function setup(courses = ["lam-quen"]) {
  const { createCohort, requireCohort, db, nowIso } = await mod();
  const trainer = await makePerson();
  await db().insertInto("person_role").values({ person_id: trainer, role: "trainer", scope: "", granted_by: null, granted_at: nowIso() }).execute();
  const created = await createCohort(trainer, { name: "Lớp ghi danh", commune_code: "25459", start_date: "2026-11-01" }, courses);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return { trainer, cohort: await requireCohort(actor(trainer), String(created.id)) };
}

const FORM = { full_name: "Nguyễn Văn An", birth_year: "1960", commune_code: "25459", consent_method: "paper", consent_confirmed: "yes" };

async function members(cohortId: number) {
  const { db } = await mod();
  return db().selectFrom("cohort_member").select(["person_id", "joined_via"]).where("cohort_id", "=", cohortId).execute();
}

describe("assisted enrollment", () => {
  it("creates the account with a readable username, a one-time PIN to change, and the consent recorded", async () => {
    const { assistedEnroll, checkCredentials, db } = await mod();
    const { trainer, cohort } = await setup();
    const result = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "  Nguyễn   Văn Ân ", phone: "0912 345.67-8" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.card.fullName).toBe("Nguyễn Văn Ân");
    expect(result.card.username).toMatch(/^an1960-[1-9]\d\d$/);
    expect(result.card.pin).toMatch(/^\d{6}$/);
    const person = await db().selectFrom("person").selectAll().where("username", "=", result.card.username).executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      full_name: "Nguyễn Văn Ân",
      birth_year: 1960,
      commune_code: "25459",
      kind: "citizen",
      phone: "0912345678",
      must_change_password: 1,
      consent_method: "assisted:paper",
      consent_recorded_by: trainer,
      created_by: trainer,
    });
    expect(await checkCredentials(result.card.username, result.card.pin)).toBe(person.id);
    expect(await members(cohort.id)).toEqual([{ person_id: person.id, joined_via: "assisted" }]);
  });

  it("without a phone none is stored", async () => {
    const { assistedEnroll, db } = await mod();
    const { trainer, cohort } = await setup();
    const result = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Lê Thị Không Số", consent_method: "guardian" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const person = await db().selectFrom("person").select(["phone", "consent_method"]).where("username", "=", result.card.username).executeTakeFirstOrThrow();
    expect(person).toEqual({ phone: null, consent_method: "assisted:guardian" });
    // The form sends the field empty (or with a stray space) when the trainer leaves it blank.
    const blank = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Lê Thị Để Trống", phone: " " });
    if (!blank.ok) throw new Error(JSON.stringify(blank.errors));
    expect(await db().selectFrom("person").select("phone").where("username", "=", blank.card.username).executeTakeFirstOrThrow()).toEqual({ phone: null });
  });

  it("the username takes at most 12 letters of the given name, and another three digits when the first is taken", async () => {
    const { assistedEnroll } = await mod();
    const { trainer, cohort } = await setup();
    await makePerson({ username: "an1970-100" });
    const random = vi.spyOn(Math, "random");
    random.mockReturnValueOnce(0).mockReturnValueOnce(0.5);
    const second = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Trần An", birth_year: "1970" });
    expect(second.ok && second.card.username).toBe("an1970-550");
    random.mockReturnValueOnce(0.999);
    const long = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Hồ Thị Nguyệtthanhhươngg" });
    expect(long.ok && long.card.username).toBe("nguyetthanhh1960-999");
    random.mockReturnValueOnce(0.25);
    const apostrophe = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Phạm Văn O'Đức" });
    expect(apostrophe.ok && apostrophe.card.username).toBe("duc1960-325");
    random.mockReturnValueOnce(0.25);
    const noLetters = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "'-" });
    expect(noLetters.ok && noLetters.card.username).toBe("hv1960-325");
  });

  it("says what is missing, keeps what was typed (cut to 120 characters), and stores nothing", async () => {
    const { assistedEnroll, db } = await mod();
    const { trainer, cohort } = await setup();
    const before = (await db().selectFrom("person").select("id").execute()).length;
    const result = await assistedEnroll(trainer, cohort, { full_name: "1", birth_year: "x".repeat(130), commune_code: "", phone: "12345", extra: "bỏ qua" });
    expect(result).toEqual({
      ok: false,
      errors: {
        full_name: "Vui lòng nhập họ và tên.",
        birth_year: "Năm sinh phải là một số, ví dụ 1965.",
        commune_code: "Hãy chọn xã/phường.",
        phone: "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (có thể để trống).",
        consent_method: "Hãy ghi lại người học đã đồng ý bằng cách nào.",
        consent_confirmed: "Hãy xác nhận người học đã được giải thích và đồng ý.",
      },
      values: { full_name: "1", birth_year: "x".repeat(120), commune_code: "", phone: "12345", consent_method: "" },
    });
    expect(await assistedEnroll(trainer, cohort, { ...FORM, commune_code: "99999" })).toMatchObject({
      ok: false,
      errors: { commune_code: "Xã/phường không hợp lệ." },
    });
    expect(await assistedEnroll(trainer, cohort, { ...FORM, consent_confirmed: "no" })).toMatchObject({
      ok: false,
      errors: { consent_confirmed: expect.any(String) },
    });
    expect(await assistedEnroll(trainer, cohort, { ...FORM, phone: "09123456789" })).toMatchObject({ ok: false, errors: { phone: expect.any(String) } });
    expect(await assistedEnroll(trainer, cohort, { ...FORM, phone: "x0912345678" })).toMatchObject({ ok: false, errors: { phone: expect.any(String) } });
    expect((await db().selectFrom("person").select("id").execute()).length).toBe(before);
  });

  it("someone with the same name, birth year and commune is shown first; 'create anyway' creates a second account", async () => {
    const { assistedEnroll } = await mod();
    const { trainer, cohort } = await setup();
    await makePerson({ fullName: "Võ Thị Trùng", birthYear: 1962 });
    // Another commune or another year is not the same person.
    await makePerson({ fullName: "Võ Thị Trùng", birthYear: 1963 });
    await makePerson({ fullName: "Võ Thị Trùng", birthYear: 1962, communeCode: "25486" });
    const form = { ...FORM, full_name: "vo thi trung", birth_year: "1962" };
    const first = await assistedEnroll(trainer, cohort, { ...form, full_name: "Võ Thị Trùng" });
    expect(first).toEqual({
      ok: false,
      errors: { form: "Đã có người cùng họ tên, năm sinh và xã/phường. Có phải là người này không?" },
      values: { full_name: "Võ Thị Trùng", birth_year: "1962", commune_code: "25459", phone: "", consent_method: "paper" },
      duplicates: [{ match: 0, fullName: "Võ Thị Trùng", birthYear: 1962, username: null, alreadyMember: false, inCare: false }],
    });
    const anyway = await assistedEnroll(trainer, cohort, { ...form, full_name: "Võ Thị Trùng", create_anyway: "yes" });
    expect(anyway.ok).toBe(true);
    expect(await members(cohort.id)).toHaveLength(1);
  });
});

describe("duplicates and adding an existing account", () => {
  it("lists matches oldest first, marking who is already a member (with their username)", async () => {
    const { findDuplicates, addMember, db } = await mod();
    const { cohort } = await setup();
    const older = await makePerson({ fullName: "Đỗ Văn Hai", birthYear: 1950, username: "do-hai-cu" });
    const newer = await makePerson({ fullName: "Đỗ Văn Hai", birthYear: 1950, username: "do-hai-moi" });
    await db().updateTable("person").set({ created_at: "2020-01-01T00:00:00.000Z" }).where("id", "=", older).execute();
    await db().updateTable("person").set({ created_at: "2021-01-01T00:00:00.000Z" }).where("id", "=", newer).execute();
    await addMember(cohort.id, newer, "code");
    expect(await findDuplicates(cohort.id, "Đỗ Văn Hai", 1950, "25459")).toEqual([
      { match: 0, fullName: "Đỗ Văn Hai", birthYear: 1950, username: null, alreadyMember: false, inCare: false },
      { match: 1, fullName: "Đỗ Văn Hai", birthYear: 1950, username: "do-hai-moi", alreadyMember: true, inCare: true },
    ]);
    expect(await findDuplicates(cohort.id, "Đỗ Văn Hai", Number.NaN, "25459")).toEqual([]);
    expect(await findDuplicates(cohort.id, "Đỗ Văn Ba", 1950, "25459")).toEqual([]);
  });

  it("someone in the trainer's care who is already a member is not added twice", async () => {
    const { addExisting, findDuplicates, assistedEnroll } = await mod();
    const { trainer, cohort } = await setup();
    const enrolled = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Cao Văn Lặp", create_anyway: "yes" });
    if (!enrolled.ok) throw new Error("not enrolled");
    expect(await addExisting(trainer, cohort, { full_name: "Cao Văn Lặp", birth_year: "1960", commune_code: "25459", match: "0" })).toEqual({
      ok: true,
      message: "Cao Văn Lặp đã ở trong lớp.",
    });
    expect(await members(cohort.id)).toHaveLength(1);
    expect(await findDuplicates(cohort.id, "Cao Văn Lặp", 1960, "25459")).toEqual([
      { match: 0, fullName: "Cao Văn Lặp", birthYear: 1960, username: enrolled.card.username, alreadyMember: true, inCare: true },
    ]);
  });

  it("adds someone in care with a message naming them and their username", async () => {
    const { addExisting, assistedEnroll } = await mod();
    const { trainer, cohort } = await setup();
    const other = await setup();
    const enrolled = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Mai Văn Chăm", create_anyway: "yes" });
    if (!enrolled.ok) throw new Error("not enrolled");
    const { createCohort, requireCohort, db } = await mod();
    // A second cohort of the same trainer.
    const id = await createCohort(trainer, { name: "Lớp thứ hai", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
    const second = await requireCohort(actor(trainer), String(id.ok ? id.id : 0));
    const fields = { full_name: "Mai Văn Chăm", birth_year: "1960", commune_code: "25459" };
    expect(await addExisting(trainer, second, { ...fields, match: "00" })).toEqual({
      ok: true,
      message: `Đã thêm Mai Văn Chăm (${enrolled.card.username}) vào lớp.`,
    });
    expect((await members(second.id)).map((m) => m.joined_via)).toEqual(["assisted"]);
    // Not a one- or two-digit match number, even if it reads as 0.
    for (const match of [" 0", "000", ""])
      expect(await addExisting(trainer, other.cohort, { ...fields, match })).toEqual({
        ok: false,
        error: "Không thêm được người này vào lớp. Hãy nhập lại thông tin.",
      });
    expect(await addExisting(trainer, other.cohort, { ...fields })).toMatchObject({ ok: false });
    expect(await members(other.cohort.id)).toEqual([]);
    expect(await db().selectFrom("cohort_invitation").select("person_id").where("cohort_id", "=", other.cohort.id).execute()).toEqual([]);
  });

  it("an invitation declined before is named as such, with the join code", async () => {
    const { addExisting, answerInvitation, inviteMessage } = await mod();
    const { trainer, cohort } = await setup();
    const person = await makePerson({ fullName: "Từ Chối Rồi", birthYear: 1965 });
    const fields = { full_name: "Từ Chối Rồi", birth_year: "1965", commune_code: "25459", match: "0" };
    expect(await addExisting(trainer, cohort, fields)).toEqual({
      ok: true,
      message: `Đã gửi lời mời tới Từ Chối Rồi. Khi người này đăng nhập tài khoản của mình và đồng ý, họ sẽ vào lớp. Hoặc đưa họ mã lớp ${cohort.joinCode} để tự tham gia.`,
    });
    await answerInvitation(person, String(cohort.id), false);
    expect(await addExisting(trainer, cohort, fields)).toEqual({
      ok: true,
      message: `Từ Chối Rồi đã từ chối lời mời vào lớp này trước đây. Nếu nay họ muốn tham gia, họ tự nhập mã lớp ${cohort.joinCode}.`,
    });
    expect(inviteMessage("X", "already-invited", "ABC")).toContain("Đã gửi lời mời tới X");
  });
});

describe("PIN reset", () => {
  it("gives a new card with the person's name and username, and signs them out everywhere", async () => {
    const { assistedEnroll, resetMemberPin, startSession, readSession, checkCredentials } = await mod();
    const { trainer, cohort } = await setup();
    const enrolled = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Quên Mã Pin", create_anyway: "yes" });
    if (!enrolled.ok) throw new Error("not enrolled");
    const personId = await checkCredentials(enrolled.card.username, enrolled.card.pin);
    const cookie = (await startSession(personId!)).split(";")[0];
    expect(await readSession(cookie)).not.toBeNull();
    const reset = await resetMemberPin(actor(trainer), personId!);
    expect(reset).toEqual({ ok: true, card: { fullName: "Quên Mã Pin", username: enrolled.card.username, pin: expect.stringMatching(/^\d{6}$/) } });
    expect(await readSession(cookie)).toBeNull();
    const { db } = await mod();
    expect(await db().selectFrom("person").select("must_change_password").where("id", "=", personId!).executeTakeFirstOrThrow()).toEqual({
      must_change_password: 1,
    });
  });
});

describe("in-person sessions", () => {
  const SESSION = { held_on: "2026-11-20", place: "  Nhà văn hóa ấp 3 ", topic: " Cài VNeID  " };

  it("stores the session with its members present; others ticked in the form are ignored", async () => {
    const { recordSession, addMember, db } = await mod();
    const { trainer, cohort } = await setup(["lam-quen", "thu-hai"]);
    const a = await makePerson();
    const b = await makePerson();
    const outsider = await makePerson();
    await addMember(cohort.id, a, "code");
    await addMember(cohort.id, b, "code");
    const result = await recordSession(trainer, cohort, { ...SESSION, course_slug: "thu-hai" }, [a, outsider, a]);
    expect(result).toEqual({ ok: true, id: expect.any(Number), attendees: 1, invited: [], declinedBefore: [] });
    if (!result.ok) return;
    const row = await db().selectFrom("training_session").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cohort_id: cohort.id,
      held_on: "2026-11-20",
      place: "Nhà văn hóa ấp 3",
      topic: "Cài VNeID",
      course_slug: "thu-hai",
      recorded_by: trainer,
    });
    expect(await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", result.id).execute()).toEqual([{ person_id: a }]);
  });

  it("a session with nobody present and no course is stored as such", async () => {
    const { recordSession, db } = await mod();
    const { trainer, cohort } = await setup();
    const result = await recordSession(trainer, cohort, SESSION, []);
    expect(result).toMatchObject({ ok: true, attendees: 0 });
    if (!result.ok) return;
    expect(await db().selectFrom("training_session").select("course_slug").where("id", "=", result.id).executeTakeFirstOrThrow()).toEqual({
      course_slug: null,
    });
    expect(await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", result.id).execute()).toEqual([]);
  });

  it("says what is wrong with each field and stores nothing", async () => {
    const { recordSession, db } = await mod();
    const { trainer, cohort } = await setup();
    expect(await recordSession(trainer, cohort, { held_on: "20/11/2026", place: " x ", topic: "" }, [])).toEqual({
      ok: false,
      errors: { held_on: "Ngày học phải có dạng năm-tháng-ngày.", place: "Hãy ghi nơi học (ví dụ: nhà văn hóa ấp 3).", topic: "Hãy ghi nội dung buổi học." },
    });
    expect(await recordSession(trainer, cohort, { ...SESSION, held_on: "x2026-11-20" }, [])).toEqual({
      ok: false,
      errors: { held_on: "Ngày học phải có dạng năm-tháng-ngày." },
    });
    expect(await recordSession(trainer, cohort, { ...SESSION, held_on: "2026-02-30" }, [])).toEqual({
      ok: false,
      errors: { held_on: "Ngày học không có trên lịch." },
    });
    expect(await recordSession(trainer, cohort, { held_on: "2026-11-20x", place: "p".repeat(201), topic: "t".repeat(201) }, [])).toEqual({
      ok: false,
      errors: { held_on: expect.any(String), place: "Nơi học dài quá 200 ký tự.", topic: "Nội dung dài quá 200 ký tự." },
    });
    expect(await recordSession(trainer, cohort, { ...SESSION, course_slug: "thu-hai" }, [])).toEqual({
      ok: false,
      errors: { course_slug: "Khóa học không thuộc lớp này." },
    });
    expect((await recordSession(trainer, cohort, { ...SESSION, place: "p".repeat(200), topic: "ab" }, [])).ok).toBe(true);
    expect(await db().selectFrom("training_session").select("id").where("cohort_id", "=", cohort.id).execute()).toHaveLength(1);
  });

  it("quick add reads usernames separated by spaces, commas or semicolons, phone numbers in any form, each once", async () => {
    const { recordSession, addMember, db } = await mod();
    const { trainer, cohort } = await setup();
    const byPhone = await makePerson({ username: "0912000222" });
    const member = await makePerson({ username: "thanh-vien-san" });
    await addMember(cohort.id, byPhone, "code");
    await addMember(cohort.id, member, "code");
    const long = `khong-co-${"z".repeat(50)}`;
    // An unknown name refuses the whole session, naming each one (issue 18 item 9); nothing is saved.
    const refused = await recordSession(trainer, cohort, { ...SESSION, quick_add: ` ,+84912000222;THANH-VIEN-SAN,thanh-vien-san\n  khong-co ${long}` }, []);
    expect(refused).toEqual({
      ok: false,
      errors: {
        quick_add: `Không tìm thấy tài khoản: khong-co, ${long.slice(0, 40)}. Hãy kiểm tra lại tên đăng nhập, hoặc xóa khỏi ô này. Buổi học chưa được ghi.`,
      },
    });
    expect(await db().selectFrom("training_session").select("id").where("cohort_id", "=", cohort.id).execute()).toEqual([]);
    const result = await recordSession(trainer, cohort, { ...SESSION, quick_add: ` ,+84912000222;THANH-VIEN-SAN,thanh-vien-san\n ` }, []);
    expect(result).toMatchObject({ ok: true, attendees: 2, invited: [], declinedBefore: [] });
    if (!result.ok) return;
    expect(
      (await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", result.id).execute()).map((r) => r.person_id).sort(),
    ).toEqual([byPhone, member].sort());
    expect(await members(cohort.id)).toHaveLength(2);
  });

  it("quick add of someone already a member marks them present, however they joined", async () => {
    const { recordSession, addMember, db } = await mod();
    const { trainer, cohort } = await setup();
    const member = await makePerson({ username: "vao-bang-them-nhanh" });
    await addMember(cohort.id, member, "quick-add");
    const result = await recordSession(trainer, cohort, { ...SESSION, quick_add: "vao-bang-them-nhanh" }, []);
    expect(result).toMatchObject({ ok: true, attendees: 1, invited: [] });
    expect(await db().selectFrom("cohort_invitation").select("person_id").where("person_id", "=", member).execute()).toEqual([]);
  });

  it("quick add reads at most 50 usernames", async () => {
    const { recordSession } = await mod();
    const { trainer, cohort } = await setup();
    const names = Array.from({ length: 52 }, (_, i) => `khong-ai-${i}`);
    const result = await recordSession(trainer, cohort, { ...SESSION, quick_add: names.join(" ") }, []);
    expect(result.ok ? [] : result.errors.quick_add).toBe(
      `Không tìm thấy tài khoản: ${names.slice(0, 50).join(", ")}. Hãy kiểm tra lại tên đăng nhập, hoặc xóa khỏi ô này. Buổi học chưa được ghi.`,
    );
  });

  it("someone in the trainer's care joins through quick add, marked as such and present", async () => {
    const { recordSession, assistedEnroll, createCohort, requireCohort, db } = await mod();
    const { trainer, cohort } = await setup();
    const enrolled = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Lâm Văn Nhanh", create_anyway: "yes" });
    if (!enrolled.ok) throw new Error("not enrolled");
    const id = await createCohort(trainer, { name: "Lớp thứ hai", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
    const second = await requireCohort(actor(trainer), String(id.ok ? id.id : 0));
    const result = await recordSession(trainer, second, { ...SESSION, quick_add: enrolled.card.username }, []);
    expect(result).toMatchObject({ ok: true, attendees: 1 });
    expect((await members(second.id)).map((m) => m.joined_via)).toEqual(["quick-add"]);
    if (!result.ok) return;
    const invitations = await db().selectFrom("cohort_invitation").select("person_id").where("cohort_id", "=", second.id).execute();
    expect(invitations).toEqual([]);
    expect((await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", result.id).execute()).length).toBe(1);
  });

  it("quick add is shown back first: who is present, who joins, who is invited, who has no account; nothing is saved", async () => {
    const { planQuickAdd, assistedEnroll, createCohort, requireCohort, addMember, db } = await mod();
    const { trainer, cohort } = await setup();
    const enrolled = await assistedEnroll(trainer, cohort, { ...FORM, full_name: "Hà Văn Được", create_anyway: "yes" });
    if (!enrolled.ok) throw new Error("not enrolled");
    const id = await createCohort(trainer, { name: "Lớp xem trước", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
    const second = await requireCohort(actor(trainer), String(id.ok ? id.id : 0));
    const present = await makePerson({ username: "da-o-trong-lop", fullName: "Đã Ở Trong Lớp" });
    const stranger = await makePerson({ username: "nguoi-chua-quen", fullName: "Người Chưa Quen" });
    await addMember(second.id, present, "code");
    const [careId] = (await members(cohort.id)).map((m) => m.person_id);
    const plan = await planQuickAdd(second, `nguoi-chua-quen, ${enrolled.card.username};khong-ai-ca da-o-trong-lop`);
    expect(plan).toEqual({
      people: [
        { username: "nguoi-chua-quen", fullName: "Người Chưa Quen", outcome: "invited" },
        { username: enrolled.card.username, fullName: "Hà Văn Được", outcome: "joins" },
        { username: "da-o-trong-lop", fullName: "Đã Ở Trong Lớp", outcome: "present" },
      ],
      notFound: ["khong-ai-ca"],
      joining: [careId],
      toInvite: [{ id: stranger, fullName: "Người Chưa Quen" }],
      present: [present],
    });
    expect(await members(second.id)).toEqual([{ person_id: present, joined_via: "code" }]);
    expect(await db().selectFrom("cohort_invitation").select("person_id").where("cohort_id", "=", second.id).execute()).toEqual([]);
  });

  it("a course name over 100 characters sent with the form is refused in Vietnamese, and nothing is stored", async () => {
    const { recordSession, db } = await mod();
    const { trainer, cohort } = await setup();
    expect(await recordSession(trainer, cohort, { ...SESSION, course_slug: "k".repeat(101) }, [])).toEqual({
      ok: false,
      errors: { course_slug: "Nội dung quá dài: tối đa 100 ký tự." },
    });
    expect(await db().selectFrom("training_session").select("id").where("cohort_id", "=", cohort.id).execute()).toEqual([]);
  });

  it("a stranger invited at a session is tied to that session", async () => {
    const { recordSession, db } = await mod();
    const { trainer, cohort } = await setup();
    const stranger = await makePerson({ username: "nguoi-la-buoi-hoc", fullName: "Người Lạ" });
    const result = await recordSession(trainer, cohort, { ...SESSION, quick_add: "nguoi-la-buoi-hoc" }, []);
    expect(result).toMatchObject({ ok: true, attendees: 0, invited: ["Người Lạ"], declinedBefore: [] });
    const invitation = await db()
      .selectFrom("cohort_invitation")
      .select(["session_id", "invited_by"])
      .where("person_id", "=", stranger)
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ session_id: result.ok ? result.id : -1, invited_by: trainer });
  });
});
