import { beforeAll, describe, expect, it } from "vitest";
import { mostMissed } from "~/cohorts/most-missed";
import { needsHelp, type LearnerActivity } from "~/cohorts/needs-help";
import { makePerson, signedIn, testEngine, useTempDatabase } from "./support/db";
import { withEditedContent } from "./support/helpers";

const NOW = new Date("2026-11-22T12:00:00Z");
const base: LearnerActivity = { personId: "p", joinedAt: "2026-11-01T00:00:00Z", lastActivityAt: null, attempts: [], finishedAllCourses: false };

describe("needs help", () => {
  it("flags no activity for 14 days, counting from joining when the learner never started", () => {
    expect(needsHelp({ ...base, joinedAt: "2026-11-10T00:00:00Z" }, NOW)).toEqual([]); // 12 days
    expect(needsHelp({ ...base, joinedAt: "2026-11-08T00:00:00Z" }, NOW)).toEqual([{ kind: "inactive", days: 14 }]);
    expect(needsHelp({ ...base, lastActivityAt: "2026-11-20T00:00:00Z" }, NOW)).toEqual([]);
    expect(needsHelp({ ...base, lastActivityAt: "2026-10-01T00:00:00Z" }, NOW)).toEqual([{ kind: "inactive", days: 52 }]);
  });

  it("does not chase someone who finished every course of the cohort", () => {
    expect(needsHelp({ ...base, lastActivityAt: "2026-09-01T00:00:00Z", finishedAllCourses: true }, NOW)).toEqual([]);
  });

  it("the inactivity threshold is a parameter", () => {
    expect(needsHelp({ ...base, lastActivityAt: "2026-11-15T12:00:00Z" }, NOW, 7)).toEqual([{ kind: "inactive", days: 7 }]);
  });

  it("flags two failed attempts in a course not passed since; a pass clears it", () => {
    const recent = { ...base, lastActivityAt: "2026-11-21T00:00:00Z" };
    const fail = (courseSlug: string, day: string) => ({ courseSlug, submittedAt: `2026-11-${day}T00:00:00Z`, passed: false });
    expect(needsHelp({ ...recent, attempts: [fail("a", "10")] }, NOW)).toEqual([]);
    expect(needsHelp({ ...recent, attempts: [fail("a", "10"), fail("a", "12")] }, NOW)).toEqual([{ kind: "failed-quiz", courseSlug: "a", failures: 2 }]);
    expect(needsHelp({ ...recent, attempts: [fail("a", "10"), fail("b", "12")] }, NOW)).toEqual([]); // one each
    expect(
      needsHelp({ ...recent, attempts: [fail("a", "10"), fail("a", "11"), { courseSlug: "a", submittedAt: "2026-11-12T00:00:00Z", passed: true }] }, NOW),
    ).toEqual([]);
    // Order of the rows does not matter: a later pass still clears earlier failures.
    expect(
      needsHelp({ ...recent, attempts: [{ courseSlug: "a", submittedAt: "2026-11-12T00:00:00Z", passed: true }, fail("a", "10"), fail("a", "11")] }, NOW),
    ).toEqual([]);
  });

  it("can give both reasons at once", () => {
    const reasons = needsHelp(
      {
        ...base,
        lastActivityAt: "2026-10-01T00:00:00Z",
        attempts: [
          { courseSlug: "a", submittedAt: "2026-09-01T00:00:00Z", passed: false },
          { courseSlug: "a", submittedAt: "2026-10-01T00:00:00Z", passed: false },
        ],
      },
      NOW,
    );
    expect(reasons.map((r) => r.kind)).toEqual(["inactive", "failed-quiz"]);
  });
});

describe("most-missed questions", () => {
  const questions = [
    { id: "q1", number: 1, correct: ["b"] },
    { id: "q2", number: 2, correct: ["a", "c"] },
    { id: "q3", number: 3, correct: ["a"] },
  ];

  it("ranks by wrong rate and names the wrong option chosen most", () => {
    const answers = [
      { questionId: "q1", selected: "a", isCorrect: false },
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "b", isCorrect: true },
      { questionId: "q2", selected: "a", isCorrect: false }, // partial: no wrong option chosen
      { questionId: "q2", selected: "a,c", isCorrect: true },
      { questionId: "q2", selected: "a,c,d", isCorrect: false },
      { questionId: "q2", selected: "a,c", isCorrect: true },
      { questionId: "q3", selected: "a", isCorrect: true },
    ];
    const result = mostMissed(questions, answers);
    expect(result.map((r) => r.questionId)).toEqual(["q1", "q2"]); // q3 never missed
    expect(result[0]).toMatchObject({ answered: 4, wrong: 3, wrongRate: 0.75, topWrongOption: { optionId: "c", count: 2 } });
    expect(result[1]).toMatchObject({ answered: 4, wrong: 2, wrongRate: 0.5, topWrongOption: { optionId: "d", count: 1 } });
  });

  it("a question missed only by partial answers has no wrong option to name", () => {
    const [only] = mostMissed(questions, [{ questionId: "q2", selected: "c", isCorrect: false }]);
    expect(only).toMatchObject({ questionId: "q2", wrong: 1, topWrongOption: null });
  });

  it("ties go to the earlier option and the limit applies", () => {
    const answers = [
      { questionId: "q1", selected: "c", isCorrect: false },
      { questionId: "q1", selected: "a", isCorrect: false },
      { questionId: "q3", selected: "b", isCorrect: false },
    ];
    expect(mostMissed(questions, answers)[0].topWrongOption).toEqual({ optionId: "a", count: 1 });
    expect(mostMissed(questions, answers, 1)).toHaveLength(1);
  });

  it("ranks by wrong rate, then by number of wrong answers, then by question number — whatever the input order", () => {
    const qs = [
      { id: "q5", number: 5, correct: ["a"] },
      { id: "q4", number: 4, correct: ["a"] },
      { id: "q3", number: 3, correct: ["a"] },
      { id: "q2", number: 2, correct: ["a"] },
      { id: "q1", number: 1, correct: ["a"] },
    ];
    const rows = (id: string, wrong: number, right: number) => [
      ...Array.from({ length: wrong }, () => ({ questionId: id, selected: "b", isCorrect: false })),
      ...Array.from({ length: right }, () => ({ questionId: id, selected: "a", isCorrect: true })),
    ];
    const answers = [
      ...rows("q1", 1, 3), // 25%
      ...rows("q2", 2, 2), // 50%, 2 wrong
      ...rows("q3", 1, 1), // 50%, 1 wrong: after q2
      ...rows("q4", 3, 0), // 100%
      ...rows("q5", 1, 1), // 50%, 1 wrong, like q3: the lower number (q3) first
    ].reverse();
    const ranked = mostMissed(qs, answers);
    expect(ranked.map((r) => r.questionId)).toEqual(["q4", "q2", "q3", "q5", "q1"]);
    expect(ranked.map((r) => r.wrongRate)).toEqual([1, 0.5, 0.5, 0.5, 0.25]);
    expect(mostMissed(qs, answers, 2).map((r) => r.questionId)).toEqual(["q4", "q2"]);
    expect(mostMissed(qs, [])).toEqual([]);
  });

  it("a wrong answer stored with nothing selected names no option", () => {
    const [only] = mostMissed([{ id: "q", number: 1, correct: ["a"] }], [{ questionId: "q", selected: "", isCorrect: false }]);
    expect(only).toMatchObject({ wrong: 1, topWrongOption: null });
  });

  it("names the wrong option chosen most, counting each option of a multiple answer, never a correct one", () => {
    const qs = [{ id: "m", number: 1, correct: ["a", "b"] }];
    const answers = [
      { questionId: "m", selected: "a,d", isCorrect: false },
      { questionId: "m", selected: "c,d", isCorrect: false },
      { questionId: "m", selected: "b,c", isCorrect: false },
      { questionId: "m", selected: "c", isCorrect: false },
      { questionId: "m", selected: "a,b", isCorrect: true },
    ];
    expect(mostMissed(qs, answers)[0]).toEqual({
      questionId: "m",
      number: 1,
      answered: 5,
      wrong: 4,
      wrongRate: 0.8,
      topWrongOption: { optionId: "c", count: 3 },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Cohorts on a real SQLite file (app/cohorts/cohorts.server.ts): creating, finding, joining, co-trainers.

describe("cohorts in the database", () => {
  beforeAll(async () => {
    await useTempDatabase();
  });

  const mod = async () => ({ ...(await import("~/cohorts/cohorts.server")), ...(await import("~/db.server")) });

  const actor = signedIn;
  const ADMIN = actor("quan-tri", ["admin"]);
  const VALID = { name: "Lớp ấp Hai", commune_code: "25459", start_date: "2026-11-01" };

  async function trainer() {
    const { db, nowIso } = await mod();
    const id = await makePerson();
    await db().insertInto("person_role").values({ person_id: id, role: "trainer", scope: "", granted_by: null, granted_at: nowIso() }).execute();
    return id;
  }

  async function created(trainerId: string, fields: Record<string, string> = VALID, courses = ["lam-quen"]) {
    const { createCohort } = await mod();
    const result = await createCohort(trainerId, fields, courses);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.id;
  }

  async function status(promise: Promise<unknown>): Promise<[number, string]> {
    try {
      await promise;
    } catch (e) {
      if (e instanceof Response) return [e.status, await e.text()];
      throw e;
    }
    return [200, ""];
  }

  it("a new cohort is stored with its courses, its owner and a six-character join code", async () => {
    const { createCohort, db } = await mod();
    const t = await trainer();
    const result = await createCohort(t, { name: "  Lớp ấp Ba  ", commune_code: "25459", start_date: "2026-11-01", end_date: "2026-12-01" }, [
      "thu-hai",
      "lam-quen",
      "lam-quen",
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const row = await db().selectFrom("cohort").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Lớp ấp Ba", commune_code: "25459", start_date: "2026-11-01", end_date: "2026-12-01", created_by: t, archived_at: null });
    expect(row.join_code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/);
    expect(
      (await db().selectFrom("cohort_course").select("course_slug").where("cohort_id", "=", result.id).execute()).map((r) => r.course_slug).sort(),
    ).toEqual(["lam-quen", "thu-hai"]);
    expect(await db().selectFrom("cohort_trainer").select(["person_id", "is_owner"]).where("cohort_id", "=", result.id).execute()).toEqual([
      { person_id: t, is_owner: 1 },
    ]);
  });

  it("without an end date the cohort has none; the end may be the start day", async () => {
    const { db } = await mod();
    const t = await trainer();
    const open = await created(t, { ...VALID, end_date: "" });
    const oneDay = await created(t, { ...VALID, end_date: "2026-11-01" });
    expect((await db().selectFrom("cohort").select("end_date").where("id", "=", open).executeTakeFirstOrThrow()).end_date).toBeNull();
    expect((await db().selectFrom("cohort").select("end_date").where("id", "=", oneDay).executeTakeFirstOrThrow()).end_date).toBe("2026-11-01");
  });

  it("says what is wrong with each field, and stores nothing", async () => {
    const { createCohort, db } = await mod();
    const t = await trainer();
    const before = (await db().selectFrom("cohort").select("id").execute()).length;
    expect(await createCohort(t, { name: " ab ", commune_code: "", start_date: "1/11/2026", end_date: "mai" }, [])).toEqual({
      ok: false,
      errors: {
        name: "Tên lớp cần ít nhất 3 ký tự.",
        commune_code: "Hãy chọn xã/phường của lớp.",
        start_date: "Ngày bắt đầu phải có dạng năm-tháng-ngày.",
        end_date: "Ngày kết thúc phải có dạng năm-tháng-ngày.",
        courses: "Hãy chọn ít nhất một khóa học có trong danh sách.",
      },
    });
    expect(await createCohort(t, { ...VALID, name: "x".repeat(121) }, ["lam-quen"])).toEqual({ ok: false, errors: { name: "Tên lớp dài quá 120 ký tự." } });
    expect(await createCohort(t, { ...VALID, end_date: "2026-10-31" }, ["lam-quen"])).toEqual({
      ok: false,
      errors: { end_date: "Ngày kết thúc phải sau ngày bắt đầu." },
    });
    // The shape of a date, but no such day: a form sent by hand, not by the date picker.
    expect(await createCohort(t, { ...VALID, start_date: "2026-02-31", end_date: "2026-13-01" }, ["lam-quen"])).toEqual({
      ok: false,
      errors: { start_date: "Ngày bắt đầu không có trên lịch.", end_date: "Ngày kết thúc không có trên lịch." },
    });
    expect(await createCohort(t, { ...VALID, start_date: "2026-11-01x" }, ["lam-quen"])).toMatchObject({
      ok: false,
      errors: { start_date: expect.any(String) },
    });
    expect(await createCohort(t, { ...VALID, end_date: "x2026-12-01" }, ["lam-quen"])).toMatchObject({ ok: false, errors: { end_date: expect.any(String) } });
    expect(await createCohort(t, { ...VALID, commune_code: "99999" }, ["lam-quen"])).toEqual({
      ok: false,
      errors: { commune_code: "Xã/phường không hợp lệ." },
    });
    expect(await createCohort(t, { ...VALID, commune_code: "12345678901" }, ["lam-quen"])).toMatchObject({
      ok: false,
      errors: { commune_code: expect.any(String) },
    });
    expect(await createCohort(t, VALID, ["lam-quen", "khong-co"])).toEqual({
      ok: false,
      errors: { courses: "Hãy chọn ít nhất một khóa học có trong danh sách." },
    });
    expect((await db().selectFrom("cohort").select("id").execute()).length).toBe(before);
  });

  it("the name may be exactly 3 or 120 characters", async () => {
    const { createCohort } = await mod();
    const t = await trainer();
    expect((await createCohort(t, { ...VALID, name: "Lớp" }, ["lam-quen"])).ok).toBe(true);
    expect((await createCohort(t, { ...VALID, name: "x".repeat(120) }, ["lam-quen"])).ok).toBe(true);
  });

  it("a trainer finds their cohort with its courses in catalogue order; anyone else gets 404, a learner 403", async () => {
    const { requireCohort, db } = await mod();
    const t = await trainer();
    const id = await created(t, VALID, ["thu-hai", "lam-quen"]);
    // A course later removed from the catalogue is no longer listed.
    await db().insertInto("cohort_course").values({ cohort_id: id, course_slug: "da-bo" }).execute();
    const cohort = await requireCohort(actor(t), String(id));
    expect(cohort).toMatchObject({
      id,
      name: "Lớp ấp Hai",
      communeCode: "25459",
      startDate: "2026-11-01",
      endDate: null,
      archivedAt: null,
      courses: ["lam-quen", "thu-hai"],
    });
    expect(cohort.joinCode).toMatch(/^[A-Z0-9]{6}$/);
    expect((await requireCohort(ADMIN, String(id))).id).toBe(id);
    expect(await status(requireCohort(actor(await trainer()), String(id)))).toEqual([404, "Không tìm thấy lớp học này."]);
    for (const raw of [undefined, "abc", "0", "-1", "1.5", String(id + 1000)])
      expect(await status(requireCohort(ADMIN, raw))).toEqual([404, "Không tìm thấy lớp học này."]);
    expect(await status(requireCohort(actor(t, []), String(id)))).toEqual([403, "Trang này dành cho người hướng dẫn."]);
  });

  it("the cohort's courses follow the catalogue's order, not the order they were chosen or their names", async () => {
    const { requireCohort } = await mod();
    const t = await trainer();
    // lam-quen moves after thu-hai in the catalogue (order 3, then 2): the trainer's pages list thu-hai first.
    await withEditedContent([{ file: "lam-quen/course.md", from: "order: 1", to: "order: 3" }], async () => {
      const chosenInOrder = await created(t, VALID, ["lam-quen", "thu-hai"]);
      const chosenReversed = await created(t, VALID, ["thu-hai", "lam-quen"]);
      expect((await requireCohort(actor(t), String(chosenInOrder))).courses).toEqual(["thu-hai", "lam-quen"]);
      expect((await requireCohort(actor(t), String(chosenReversed))).courses).toEqual(["thu-hai", "lam-quen"]);
    });
  });

  it("lists the cohorts a trainer trains, open ones first and the latest start first, with member counts; an administrator sees all", async () => {
    const { cohortsOf, archiveCohort, addMember } = await mod();
    const t = await trainer();
    const old = await created(t, { ...VALID, name: "Lớp cũ", start_date: "2026-01-01" });
    const recent = await created(t, { ...VALID, name: "Lớp mới", start_date: "2026-10-01" });
    const archived = await created(t, { ...VALID, name: "Lớp đã xong", start_date: "2026-12-01" });
    const someoneElses = await created(await trainer(), { ...VALID, name: "Lớp người khác" });
    await archiveCohort(archived, true);
    await addMember(recent, await makePerson(), "code");
    await addMember(recent, await makePerson(), "code");
    const mine = await cohortsOf(actor(t));
    expect(mine.map((c) => [c.id, c.name, c.members])).toEqual([
      [recent, "Lớp mới", 2],
      [old, "Lớp cũ", 0],
      [archived, "Lớp đã xong", 0],
    ]);
    expect(mine[0]).toMatchObject({ start_date: "2026-10-01", end_date: null, archived_at: null, join_code: expect.any(String) });
    const all = (await cohortsOf(ADMIN)).map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([old, recent, archived, someoneElses]));
  });

  it("an archived cohort can be reopened", async () => {
    const { archiveCohort, requireCohort } = await mod();
    const id = await created(await trainer());
    await archiveCohort(id, true);
    expect((await requireCohort(ADMIN, String(id))).archivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await archiveCohort(id, false);
    expect((await requireCohort(ADMIN, String(id))).archivedAt).toBeNull();
  });

  it("joining by code: spaces, dashes and case do not matter; a wrong or empty code, or a finished cohort, is refused", async () => {
    const { joinByCode, requireCohort, archiveCohort, db } = await mod();
    const id = await created(await trainer());
    const { joinCode } = await requireCohort(ADMIN, String(id));
    const person = await makePerson();
    const typed = ` ${joinCode.slice(0, 3).toLowerCase()}-${joinCode.slice(3)} `;
    expect(await joinByCode(person, typed)).toEqual({ ok: true, cohortName: "Lớp ấp Hai", already: false });
    expect(await joinByCode(person, joinCode)).toEqual({ ok: true, cohortName: "Lớp ấp Hai", already: true });
    expect(await db().selectFrom("cohort_member").select(["person_id", "joined_via"]).where("cohort_id", "=", id).execute()).toEqual([
      { person_id: person, joined_via: "code" },
    ]);
    const wrong = { ok: false, error: "Mã lớp không đúng. Hãy kiểm tra lại với người hướng dẫn." };
    expect(await joinByCode(person, "")).toEqual(wrong);
    expect(await joinByCode(person, " - ")).toEqual(wrong);
    expect(await joinByCode(person, `${joinCode}X`)).toEqual(wrong);
    expect(await joinByCode(person, `${joinCode}${"-".repeat(20)}`)).toMatchObject({ ok: true });
    await archiveCohort(id, true);
    expect(await joinByCode(await makePerson(), joinCode)).toEqual({ ok: false, error: "Lớp này đã kết thúc, không nhận thêm học viên." });
  });

  it("joining and its learning record are written together: when the record cannot be written, no one joins; joining again records nothing more", async () => {
    const { joinByCode, requireCohort, db } = await mod();
    const { sql } = await import("kysely");
    const id = await created(await trainer());
    const { joinCode } = await requireCohort(ADMIN, String(id));
    const person = await makePerson();
    // Stands in for a learning record the database refuses (decision 023: the joining and its statement commit together).
    if (testEngine === "sqlite") {
      await sql`create trigger refuse_statement before insert on xapi_outbox begin select raise(abort, 'refused'); end`.execute(db());
    } else {
      await sql`create function refuse_statement() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`.execute(db());
      await sql`create trigger refuse_statement before insert on xapi_outbox for each row execute function refuse_statement()`.execute(db());
    }
    try {
      await expect(joinByCode(person, joinCode)).rejects.toThrow();
    } finally {
      if (testEngine === "sqlite") await sql`drop trigger refuse_statement`.execute(db());
      else {
        await sql`drop trigger refuse_statement on xapi_outbox`.execute(db());
        await sql`drop function refuse_statement()`.execute(db());
      }
    }
    expect(await db().selectFrom("cohort_member").select("person_id").where("cohort_id", "=", id).execute()).toEqual([]);
    // Once the record can be written, the same code joins, with one "registered" statement; joining again adds none.
    expect(await joinByCode(person, joinCode)).toEqual({ ok: true, cohortName: "Lớp ấp Hai", already: false });
    expect(await joinByCode(person, joinCode)).toEqual({ ok: true, cohortName: "Lớp ấp Hai", already: true });
    expect(await db().selectFrom("xapi_outbox").select("verb").where("person_id", "=", person).execute()).toEqual([{ verb: "registered" }]);
  });

  it("a join code longer than 20 characters is cut to 20", async () => {
    const { normalizeJoinCode } = await mod();
    expect(normalizeJoinCode("ab-cd ef")).toBe("ABCDEF");
    expect(normalizeJoinCode("x".repeat(30))).toBe("X".repeat(20));
  });

  it("a member of the cohort is found with their details; anyone else, or no one, is 404", async () => {
    const { requireMember, requireCohort, addMember } = await mod();
    const cohort = await requireCohort(ADMIN, String(await created(await trainer())));
    const member = await makePerson({ fullName: "Thành Viên Lớp", birthYear: 1955 });
    const outsider = await makePerson();
    expect(await addMember(cohort.id, member, "assisted")).toBe(true);
    expect(await addMember(cohort.id, member, "assisted")).toBe(false);
    expect(await requireMember(cohort, member)).toMatchObject({
      id: member,
      full_name: "Thành Viên Lớp",
      birth_year: 1955,
      commune_code: "25459",
      consent_method: "self",
    });
    expect(await status(requireMember(cohort, outsider))).toEqual([404, "Không tìm thấy học viên này trong lớp."]);
    expect((await status(requireMember(cohort, undefined)))[0]).toBe(404);
    expect((await status(requireMember(cohort, "")))[0]).toBe(404);
  });

  it("a co-trainer must hold the trainer role; adding them twice is harmless", async () => {
    const { addCoTrainer, trainersOf, db } = await mod();
    const owner = await trainer();
    const id = await created(owner);
    const co = await trainer();
    const coName = await db().selectFrom("person").select(["username", "full_name"]).where("id", "=", co).executeTakeFirstOrThrow();
    const plainId = await makePerson();
    const plain = await db().selectFrom("person").select(["username", "full_name"]).where("id", "=", plainId).executeTakeFirstOrThrow();

    expect(await addCoTrainer(id, "khong-co-ai")).toEqual({ ok: false, message: "Không có tài khoản “khong-co-ai”." });
    expect(await addCoTrainer(id, `x${"y".repeat(60)}`)).toEqual({ ok: false, message: `Không có tài khoản “x${"y".repeat(39)}”.` });
    expect(await addCoTrainer(id, plain.username)).toEqual({ ok: false, message: `${plain.full_name} chưa có vai trò người hướng dẫn; hãy cấp quyền trước.` });
    expect(await addCoTrainer(id, ` ${coName.username.toUpperCase()} `)).toEqual({
      ok: true,
      message: `Đã thêm ${coName.full_name} làm người hướng dẫn cùng lớp.`,
    });
    expect((await addCoTrainer(id, coName.username)).ok).toBe(true);
    const trainers = await trainersOf(id);
    expect(trainers).toHaveLength(2);
    expect(trainers).toEqual(
      expect.arrayContaining([{ full_name: coName.full_name, username: coName.username, is_owner: 0 }, expect.objectContaining({ is_owner: 1 })]),
    );
  });
});
