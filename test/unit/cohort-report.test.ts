import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import { makePerson, useTempDatabase } from "./support/db";

// What a trainer sees about a cohort (app/cohorts/cohort-report.server.ts): the progress matrix and its CSV,
// the questions most missed, the sessions and one learner's detail. Rows are written straight into a real
// SQLite file; the expected values are written out by hand.

beforeAll(async () => {
  await useTempDatabase();
});

const mod = async () => ({
  ...(await import("~/cohorts/cohort-report.server")),
  ...(await import("~/cohorts/cohorts.server")),
  ...(await import("~/db.server")),
});

const admin: SessionUser = {
  id: "admin",
  sessionId: "s",
  username: "admin",
  fullName: "Quản trị",
  kind: "citizen",
  communeCode: "25459",
  agencyCode: null,
  mustChangePassword: false,
  roles: [{ role: "admin", scope: "" }],
  supervisedBy: null,
};

async function newCohort(courses: string[]) {
  const { createCohort, requireCohort } = await mod();
  const trainer = await makePerson();
  const created = await createCohort(trainer, { name: "Lớp báo cáo", commune_code: "25459", start_date: "2026-11-01" }, courses);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return requireCohort(admin, String(created.id));
}

async function join(cohortId: number, personId: string, joinedAt = "2026-11-01T00:00:00.000Z") {
  const { db } = await mod();
  await db().insertInto("cohort_member").values({ cohort_id: cohortId, person_id: personId, joined_at: joinedAt, joined_via: "code" }).execute();
}

async function lesson(personId: string, course: string, slug: string, viewed: string, completed: string | null = null) {
  const { db } = await mod();
  await db()
    .insertInto("lesson_progress")
    .values({ person_id: personId, course_slug: course, lesson_slug: slug, first_viewed_at: viewed, completed_at: completed })
    .execute();
}

let key = 0;
async function attempt(personId: string, course: string, at: string, passed: boolean, answers: Record<string, [string, boolean]> = {}) {
  const { db } = await mod();
  key += 1;
  const { id } = await db()
    .insertInto("quiz_attempt")
    .values({
      person_id: personId,
      course_slug: course,
      idempotency_key: `k${key}`,
      submitted_at: at,
      correct_count: passed ? 2 : 0,
      question_count: 2,
      percent: passed ? 100 : 0,
      passed: passed ? 1 : 0,
      content_version: "x",
      supervised_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [question_id, [selected, correct]] of Object.entries(answers)) {
    await db()
      .insertInto("quiz_answer")
      .values({ attempt_id: id, question_id, selected, is_correct: correct ? 1 : 0 })
      .execute();
  }
  return id;
}

async function progress(personId: string, course: string, updated: string, completed: string | null) {
  const { db } = await mod();
  await db()
    .insertInto("course_progress")
    .values({ person_id: personId, course_slug: course, last_lesson_slug: null, started_at: updated, updated_at: updated, completed_at: completed })
    .execute();
}

async function session(cohortId: number, heldOn: string, attendees: string[], topic = "Buổi học") {
  const { db } = await mod();
  const { id } = await db()
    .insertInto("training_session")
    .values({
      cohort_id: cohortId,
      held_on: heldOn,
      place: "Nhà văn hóa",
      topic,
      course_slug: null,
      recorded_by: null,
      recorded_at: "2026-11-01T00:00:00.000Z",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const person_id of attendees) await db().insertInto("session_attendance").values({ session_id: id, person_id }).execute();
  return id;
}

describe("progress matrix", () => {
  it("a cohort without members has no rows", async () => {
    const { cohortMatrix } = await mod();
    expect(await cohortMatrix(await newCohort(["lam-quen"]))).toEqual([]);
  });

  it("shows each member's lessons, quiz and completion per course, in name order, and only this cohort's courses and sessions", async () => {
    const { cohortMatrix } = await mod();
    const cohort = await newCohort(["lam-quen", "thu-hai"]);
    const other = await newCohort(["lam-quen"]);
    const binh = await makePerson({ fullName: "Bùi Thị Bình" });
    const an = await makePerson({ fullName: "Âu Văn An" });
    const stranger = await makePerson({ fullName: "Người Ngoài" });
    await join(cohort.id, binh);
    await join(cohort.id, an);
    await join(other.id, stranger);

    await lesson(binh, "lam-quen", "buoc-mot", "2026-11-02T08:00:00.000Z", "2026-11-02T08:10:00.000Z");
    await lesson(binh, "lam-quen", "buoc-hai", "2026-11-03T08:00:00.000Z");
    await attempt(binh, "lam-quen", "2026-11-04T08:00:00.000Z", false);
    await attempt(binh, "lam-quen", "2026-11-05T08:00:00.000Z", false);
    await attempt(binh, "thu-hai", "2026-11-06T08:00:00.000Z", true);
    await progress(binh, "thu-hai", "2026-11-07T08:00:00.000Z", "2026-11-07T08:00:00.000Z");
    await progress(binh, "lam-quen", "2026-11-03T09:00:00.000Z", null);
    // Someone else's progress, and a course outside the cohort, change nothing.
    await lesson(stranger, "lam-quen", "buoc-mot", "2026-11-02T08:00:00.000Z", "2026-11-02T08:10:00.000Z");
    await attempt(stranger, "lam-quen", "2026-11-20T08:00:00.000Z", true);
    await session(cohort.id, "2026-11-10", [binh]);
    await session(cohort.id, "2026-11-11", [binh, an]);
    await session(other.id, "2026-11-12", [binh, stranger]);

    const rows = await cohortMatrix(cohort, new Date("2026-11-20T08:00:00.000Z"));
    expect(rows.map((r) => r.fullName)).toEqual(["Âu Văn An", "Bùi Thị Bình"]);
    const [anRow, binhRow] = rows;
    expect(binhRow).toEqual({
      personId: binh,
      fullName: "Bùi Thị Bình",
      username: expect.any(String),
      lastActivityAt: "2026-11-07T08:00:00.000Z",
      courses: {
        "lam-quen": { lessonsDone: 1, lessonCount: 2, lessons: { "buoc-mot": "done", "buoc-hai": "viewed" }, quiz: "failed", completed: false },
        "thu-hai": { lessonsDone: 0, lessonCount: 1, lessons: { "ai-la-gi": null }, quiz: "passed", completed: true },
      },
      help: [{ kind: "failed-quiz", courseSlug: "lam-quen", failures: 2 }],
      attended: 2,
    });
    expect(anRow).toEqual({
      personId: an,
      fullName: "Âu Văn An",
      username: expect.any(String),
      lastActivityAt: null,
      courses: {
        "lam-quen": { lessonsDone: 0, lessonCount: 2, lessons: { "buoc-mot": null, "buoc-hai": null }, quiz: null, completed: false },
        "thu-hai": { lessonsDone: 0, lessonCount: 1, lessons: { "ai-la-gi": null }, quiz: null, completed: false },
      },
      help: [{ kind: "inactive", days: 19 }],
      attended: 1,
    });
  });

  it("the latest of lesson views, completions, attempts and course updates is the last activity", async () => {
    const { cohortMatrix } = await mod();
    const cohort = await newCohort(["lam-quen"]);
    const viewer = await makePerson();
    const completer = await makePerson();
    const tester = await makePerson();
    for (const p of [viewer, completer, tester]) await join(cohort.id, p);
    await lesson(viewer, "lam-quen", "buoc-mot", "2026-11-09T00:00:00.000Z");
    await progress(viewer, "lam-quen", "2026-11-08T00:00:00.000Z", null);
    await lesson(completer, "lam-quen", "buoc-mot", "2026-11-02T00:00:00.000Z", "2026-11-12T00:00:00.000Z");
    await lesson(completer, "lam-quen", "buoc-hai", "2026-11-03T00:00:00.000Z");
    await attempt(tester, "lam-quen", "2026-11-04T00:00:00.000Z", true);
    await attempt(tester, "lam-quen", "2026-11-03T00:00:00.000Z", false);
    // Another course the member follows outside this cohort is not activity here.
    await lesson(tester, "thu-hai", "ai-la-gi", "2026-11-19T00:00:00.000Z", "2026-11-19T00:00:00.000Z");
    await attempt(completer, "thu-hai", "2026-11-18T00:00:00.000Z", false);
    await attempt(completer, "thu-hai", "2026-11-18T01:00:00.000Z", false);
    await progress(viewer, "thu-hai", "2026-11-19T00:00:00.000Z", null);
    const rows = await cohortMatrix(cohort, new Date("2026-11-20T00:00:00.000Z"));
    const byId = new Map(rows.map((r) => [r.personId, r]));
    expect(byId.get(viewer)!.lastActivityAt).toBe("2026-11-09T00:00:00.000Z");
    expect(byId.get(completer)!.lastActivityAt).toBe("2026-11-12T00:00:00.000Z");
    expect(byId.get(tester)!.lastActivityAt).toBe("2026-11-04T00:00:00.000Z");
    expect(byId.get(tester)!.courses["lam-quen"].quiz).toBe("passed");
    expect(byId.get(tester)!.help).toEqual([{ kind: "inactive", days: 16 }]);
    expect(byId.get(completer)!.help).toEqual([]);
    expect(Object.keys(byId.get(completer)!.courses)).toEqual(["lam-quen"]);
  });

  it("a lesson is matched within its own course: progress on a same-named lesson of another course does not count", async () => {
    const { cohortMatrix } = await mod();
    const cohort = await newCohort(["lam-quen", "thu-hai"]);
    const p = await makePerson();
    await join(cohort.id, p);
    await lesson(p, "thu-hai", "buoc-mot", "2026-11-02T00:00:00.000Z", "2026-11-02T00:10:00.000Z");
    const [row] = await cohortMatrix(cohort, new Date("2026-11-03T00:00:00.000Z"));
    expect(row.courses["lam-quen"]).toMatchObject({ lessonsDone: 0, lessons: { "buoc-mot": null, "buoc-hai": null } });
  });

  it("someone who finished every course of the cohort is not chased for inactivity, even long after", async () => {
    const { cohortMatrix } = await mod();
    const cohort = await newCohort(["lam-quen", "thu-hai"]);
    const done = await makePerson();
    const half = await makePerson();
    await join(cohort.id, done);
    await join(cohort.id, half);
    for (const p of [done, half]) await progress(p, "lam-quen", "2026-11-02T00:00:00.000Z", "2026-11-02T00:00:00.000Z");
    await progress(done, "thu-hai", "2026-11-02T00:00:00.000Z", "2026-11-02T00:00:00.000Z");
    const rows = await cohortMatrix(cohort, new Date("2026-12-20T00:00:00.000Z"));
    expect(rows.find((r) => r.personId === done)!.help).toEqual([]);
    expect(rows.find((r) => r.personId === half)!.help).toEqual([{ kind: "inactive", days: 48 }]);
  });
});

describe("questions most missed", () => {
  it("ranks this cohort's wrong answers per course, with the question and the wrong option chosen most", async () => {
    const { cohortMostMissed } = await mod();
    const cohort = await newCohort(["lam-quen", "thu-hai"]);
    const a = await makePerson();
    const b = await makePerson();
    const outsider = await makePerson();
    await join(cohort.id, a);
    await join(cohort.id, b);
    await attempt(a, "lam-quen", "2026-11-04T00:00:00.000Z", false, { otp: ["c", false], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a,b", true] });
    await attempt(b, "lam-quen", "2026-11-04T00:00:00.000Z", false, { otp: ["c", false], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", false] });
    // An outsider's answers, and answers to the other course, are not this course's.
    await attempt(outsider, "lam-quen", "2026-11-04T00:00:00.000Z", false, { "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["c", false] });
    await attempt(a, "thu-hai", "2026-11-04T00:00:00.000Z", false, { "ai-dung": ["a", false] });

    expect(await cohortMostMissed(cohort)).toEqual([
      {
        courseSlug: "lam-quen",
        courseTitle: "Làm quen với dịch vụ công",
        questions: [
          {
            questionId: "otp",
            number: 1,
            answered: 2,
            wrong: 2,
            wrongRate: 1,
            topWrongOption: { optionId: "c", count: 2 },
            stemHtml: "Bà Năm nhận tin nhắn xin mã OTP. Bà nên làm gì?",
            topWrongOptionHtml: "Gửi một nửa mã",
          },
          {
            questionId: "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh",
            number: 2,
            answered: 2,
            wrong: 1,
            wrongRate: 0.5,
            topWrongOption: null,
            stemHtml: "Những việc nào giúp hồ sơ được xử lý nhanh?",
            topWrongOptionHtml: null,
          },
        ],
      },
      {
        courseSlug: "thu-hai",
        courseTitle: "Dùng AI cẩn thận",
        questions: [
          {
            questionId: "ai-dung",
            number: 1,
            answered: 1,
            wrong: 1,
            wrongRate: 1,
            topWrongOption: { optionId: "a", count: 1 },
            stemHtml: "AI luôn đúng?",
            topWrongOptionHtml: "Đúng",
          },
        ],
      },
    ]);
  });

  it("a cohort without members lists each course with nothing missed", async () => {
    const { cohortMostMissed } = await mod();
    const cohort = await newCohort(["lam-quen"]);
    const outsider = await makePerson();
    await attempt(outsider, "lam-quen", "2026-11-04T00:00:00.000Z", false, { otp: ["a", false] });
    expect(await cohortMostMissed(cohort)).toEqual([{ courseSlug: "lam-quen", courseTitle: "Làm quen với dịch vụ công", questions: [] }]);
  });

  it("a wrong option no longer in the quiz is named with empty text", async () => {
    const { cohortMostMissed } = await mod();
    const cohort = await newCohort(["thu-hai"]);
    const a = await makePerson();
    await join(cohort.id, a);
    await attempt(a, "thu-hai", "2026-11-04T00:00:00.000Z", false, { "ai-dung": ["z", false] });
    const [course] = await cohortMostMissed(cohort);
    expect(course.questions).toMatchObject([{ questionId: "ai-dung", topWrongOption: { optionId: "z", count: 1 }, topWrongOptionHtml: "" }]);
  });
});

describe("sessions and learner detail", () => {
  it("lists this cohort's sessions, latest first, with how many attended", async () => {
    const { cohortSessions } = await mod();
    const cohort = await newCohort(["lam-quen"]);
    const other = await newCohort(["lam-quen"]);
    const a = await makePerson();
    const b = await makePerson();
    const early = await session(cohort.id, "2026-11-05", [a, b], "Sớm");
    const lateFirst = await session(cohort.id, "2026-11-09", [a], "Muộn 1");
    const lateSecond = await session(cohort.id, "2026-11-09", [], "Muộn 2");
    await session(other.id, "2026-11-20", [a, b], "Lớp khác");
    const sessions = await cohortSessions(cohort.id);
    expect(sessions.map((s) => [s.id, s.topic, s.attendees])).toEqual([
      [lateSecond, "Muộn 2", 0],
      [lateFirst, "Muộn 1", 1],
      [early, "Sớm", 2],
    ]);
    expect(sessions[0]).toMatchObject({ cohort_id: cohort.id, held_on: "2026-11-09", place: "Nhà văn hóa" });
  });

  it("one learner's attempts (latest first), lessons and sessions, in this cohort's courses only", async () => {
    const { learnerDetail } = await mod();
    const cohort = await newCohort(["lam-quen"]);
    const other = await newCohort(["thu-hai"]);
    const a = await makePerson();
    const b = await makePerson();
    const first = await attempt(a, "lam-quen", "2026-11-04T00:00:00.000Z", false);
    const second = await attempt(a, "lam-quen", "2026-11-05T00:00:00.000Z", true);
    await attempt(a, "thu-hai", "2026-11-05T00:00:00.000Z", true);
    await attempt(b, "lam-quen", "2026-11-05T00:00:00.000Z", true);
    await lesson(a, "lam-quen", "buoc-mot", "2026-11-02T00:00:00.000Z", "2026-11-02T00:10:00.000Z");
    await lesson(a, "thu-hai", "ai-la-gi", "2026-11-02T00:00:00.000Z");
    await lesson(b, "lam-quen", "buoc-hai", "2026-11-02T00:00:00.000Z");
    await session(cohort.id, "2026-11-03", [a], "Buổi đầu");
    await session(cohort.id, "2026-11-08", [a], "Buổi sau");
    await session(cohort.id, "2026-11-09", [b], "Vắng");
    await session(other.id, "2026-11-10", [a], "Lớp khác");

    const detail = await learnerDetail(cohort, a);
    expect(detail.attempts.map((t) => [t.id, t.course_slug, t.passed])).toEqual([
      [second, "lam-quen", 1],
      [first, "lam-quen", 0],
    ]);
    expect(detail.attempts[0]).toMatchObject({
      submitted_at: "2026-11-05T00:00:00.000Z",
      correct_count: 2,
      question_count: 2,
      percent: 100,
      supervised_by: null,
    });
    expect(detail.lessons).toEqual([
      { course_slug: "lam-quen", lesson_slug: "buoc-mot", first_viewed_at: "2026-11-02T00:00:00.000Z", completed_at: "2026-11-02T00:10:00.000Z" },
    ]);
    expect(detail.attendance).toEqual([
      { held_on: "2026-11-08", place: "Nhà văn hóa", topic: "Buổi sau", recorded_at: "2026-11-01T00:00:00.000Z" },
      { held_on: "2026-11-03", place: "Nhà văn hóa", topic: "Buổi đầu", recorded_at: "2026-11-01T00:00:00.000Z" },
    ]);
  });
});

describe("matrix CSV", () => {
  it("one column per lesson and quiz, labels in Vietnamese, UTF-8 BOM and CRLF; a name that looks like a formula is quoted", async () => {
    const { cohortMatrix, matrixCsv, db } = await mod();
    const cohort = await newCohort(["lam-quen", "thu-hai"]);
    const a = await makePerson({ fullName: "An Văn Một", username: "csv-an" });
    await join(cohort.id, a);
    await lesson(a, "lam-quen", "buoc-mot", "2026-11-02T00:00:00.000Z", "2026-11-02T00:10:00.000Z");
    await lesson(a, "lam-quen", "buoc-hai", "2026-11-02T00:00:00.000Z");
    await attempt(a, "lam-quen", "2026-11-03T00:00:00.000Z", false);
    await attempt(a, "thu-hai", "2026-11-04T00:00:00.000Z", true);
    await session(cohort.id, "2026-11-05", [a]);
    const rows = await cohortMatrix(cohort, new Date("2026-11-06T00:00:00.000Z"));
    const csv = matrixCsv(cohort, [
      ...rows,
      {
        ...rows[0],
        fullName: "=HYPERLINK(1)",
        username: "f1",
        lastActivityAt: null,
        attended: 0,
        courses: { "lam-quen": { ...rows[0].courses["lam-quen"], quiz: "passed" }, "thu-hai": { ...rows[0].courses["thu-hai"], quiz: null } },
      },
      { ...rows[0], fullName: "+1", username: "f2" },
      { ...rows[0], fullName: "-1", username: "f3" },
      { ...rows[0], fullName: "@x", username: "f4" },
      { ...rows[0], fullName: "Bà =Năm", username: "f5" },
    ]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    const L = "Làm quen với dịch vụ công";
    const T = "Dùng AI cẩn thận";
    expect(lines).toEqual([
      `Họ và tên,Tên đăng nhập,Hoạt động gần nhất (giờ Việt Nam),Số buổi tham dự,${L}: kết quả,${L}: bài kiểm tra,${L}: bài 1,${L}: bài 2,${T}: kết quả,${T}: bài kiểm tra,${T}: bài 1`,
      "An Văn Một,csv-an,2026-11-04 07:00,1,1/2 bài,chưa đạt,xong,đã xem,0/1 bài,đạt,",
      "'=HYPERLINK(1),f1,,0,1/2 bài,đạt,xong,đã xem,0/1 bài,chưa làm,",
      "'+1,f2,2026-11-04 07:00,1,1/2 bài,chưa đạt,xong,đã xem,0/1 bài,đạt,",
      "'-1,f3,2026-11-04 07:00,1,1/2 bài,chưa đạt,xong,đã xem,0/1 bài,đạt,",
      "'@x,f4,2026-11-04 07:00,1,1/2 bài,chưa đạt,xong,đã xem,0/1 bài,đạt,",
      "Bà =Năm,f5,2026-11-04 07:00,1,1/2 bài,chưa đạt,xong,đã xem,0/1 bài,đạt,",
      "",
    ]);
    expect(await db().selectFrom("person").select("username").where("id", "=", a).executeTakeFirstOrThrow()).toEqual({ username: "csv-an" });
  });

  it("a course shown as ✓ xong on the page has no empty cells in the CSV, even without lesson rows", async () => {
    const { cohortMatrix, matrixCsv, db } = await mod();
    const cohort = await newCohort(["lam-quen"]);
    const b = await makePerson({ fullName: "Bùi Thị Xong", username: "csv-xong" });
    await join(cohort.id, b);
    // As in the demo cohort: the course is completed, but no lesson has its own row.
    await db()
      .insertInto("course_progress")
      .values({
        person_id: b,
        course_slug: "lam-quen",
        started_at: "2026-11-01T00:00:00.000Z",
        updated_at: "2026-11-01T17:30:00.000Z",
        completed_at: "2026-11-01T17:30:00.000Z",
      } as never)
      .execute();
    const rows = await cohortMatrix(cohort, new Date("2026-11-06T00:00:00.000Z"));
    expect(rows[0].courses["lam-quen"].completed).toBe(true);
    const line = matrixCsv(cohort, rows).slice(1).split("\r\n")[1];
    // 17:30 UTC is 00:30 the next day in Vietnam.
    expect(line).toBe("Bùi Thị Xong,csv-xong,2026-11-02 00:30,0,xong,chưa làm,xong,xong");
  });
});
