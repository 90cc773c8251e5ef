import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { withEditedContent, at } from "./support/helpers";

// What the learner's page adds (my-classes.server.ts): the classes they are in, with each class course's state,
// and one course to take next. Good content fixture: "lam-quen" ("Làm quen với dịch vụ công", catalogue order 1,
// set adult-basic, 3 steps) and "thu-hai" ("Dùng AI cẩn thận", order 2, set official-required, 2 steps).

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

async function m() {
  const catalog = await import("~/courses/catalog.server");
  return {
    ...(await import("~/learning/my-classes.server")),
    ...(await import("~/learning/progress.server")),
    ...(await import("~/learning/attempts.server")),
    ...(await import("~/cohorts/cohorts.server")),
    ...(await import("~/db.server")),
    lamQuen: catalog.findCourse("lam-quen")!,
    thuHai: catalog.findCourse("thu-hai")!,
  };
}

async function trainer(fullName: string) {
  const { db, nowIso } = await m();
  const id = await makePerson({ fullName });
  await db().insertInto("person_role").values({ person_id: id, role: "trainer", scope: "", granted_by: null, granted_at: nowIso() }).execute();
  return id;
}

async function cohort(trainerId: string, name: string, courses: string[]) {
  const { createCohort } = await m();
  const created = await createCohort(trainerId, { name, commune_code: "25459", start_date: "2026-11-01" }, courses);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.id;
}

async function finishThuHai(person: string) {
  const { completeLesson, submitAttempt, newIdempotencyKey, thuHai } = await m();
  await completeLesson(person, thuHai, "ai-la-gi");
  await submitAttempt(person, thuHai, newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] });
}

const LAM_QUEN = { slug: "lam-quen", title: "Làm quen với dịch vụ công", summary: "Khoá học mẫu dùng cho kiểm thử bộ đọc nội dung." };
const THU_HAI = { slug: "thu-hai", title: "Dùng AI cẩn thận", summary: "Khoá học thứ hai của bộ mẫu." };

describe("my classes", () => {
  it("someone in no class has none", async () => {
    const { myClasses } = await m();
    expect(await myClasses(await makePerson(), [])).toEqual([]);
  });

  it("the open classes I joined, newest first, with their trainers (owner first) and courses in catalogue order, each in my state", async () => {
    const { myClasses, startedCourses, addMember, archiveCohort, completeLesson, db, lamQuen } = await m();
    const coHoa = await trainer("Cô Nguyễn Thị Hoa");
    const thayBinh = await trainer("Thầy Lê Văn Bình");
    const learner = await makePerson({ fullName: "Bà Tư" });
    const other = await makePerson();

    // Class A: courses chosen in the reverse of catalogue order, and a course since removed from the catalogue.
    const a = await cohort(thayBinh, "Lớp ấp Bàu Sen", ["thu-hai", "lam-quen"]);
    await db().insertInto("cohort_course").values({ cohort_id: a, course_slug: "khoa-da-bo" }).execute();
    // Cô Hoa took the class over: she is now its owner, Thầy Bình a co-trainer (his row was written first).
    await db().insertInto("cohort_trainer").values({ cohort_id: a, person_id: coHoa, is_owner: 1, added_at: "2026-11-01T00:00:00.000Z" }).execute();
    await db().updateTable("cohort_trainer").set({ is_owner: 0 }).where("cohort_id", "=", a).where("person_id", "=", thayBinh).execute();
    const b = await cohort(coHoa, "Lớp phường Tân Ninh", ["lam-quen"]);
    const ended = await cohort(coHoa, "Lớp đã kết thúc", ["thu-hai"]);
    const notMine = await cohort(thayBinh, "Lớp của người khác", ["lam-quen"]);

    at("2026-11-02T01:00:00.000Z");
    await addMember(a, learner, "code");
    at("2026-11-05T01:00:00.000Z");
    await addMember(b, learner, "code");
    at("2026-11-07T01:00:00.000Z");
    await addMember(ended, learner, "code");
    await addMember(notMine, other, "code");
    await archiveCohort(ended, true);
    await completeLesson(learner, lamQuen, "buoc-mot");

    const lamQuenStarted = { slug: "lam-quen", title: "Làm quen với dịch vụ công", state: "started", percent: 33 };
    expect(await myClasses(learner, await startedCourses(learner))).toEqual([
      { id: b, name: "Lớp phường Tân Ninh", trainers: ["Cô Nguyễn Thị Hoa"], courses: [lamQuenStarted] },
      {
        id: a,
        name: "Lớp ấp Bàu Sen",
        trainers: ["Cô Nguyễn Thị Hoa", "Thầy Lê Văn Bình"],
        courses: [lamQuenStarted, { slug: "thu-hai", title: "Dùng AI cẩn thận", state: "new", percent: 0 }],
      },
    ]);

    // Finishing thu-hai marks it done at 100 %; lam-quen stays started.
    await finishThuHai(learner);
    const [, classA] = await myClasses(learner, await startedCourses(learner));
    expect(classA.courses).toEqual([lamQuenStarted, { slug: "thu-hai", title: "Dùng AI cẩn thận", state: "done", percent: 100 }]);

    // Reopening the ended class brings it back, as the most recently joined.
    await archiveCohort(ended, false);
    expect((await myClasses(learner, await startedCourses(learner))).map((c) => c.name)).toEqual(["Lớp đã kết thúc", "Lớp phường Tân Ninh", "Lớp ấp Bàu Sen"]);
  });
});

describe("the course suggested next", () => {
  it("a class course not yet started comes before the courses meant for me", async () => {
    const { dashboardGuidance, addMember, startedCourses, completeLesson, lamQuen } = await m();
    const coHoa = await trainer("Cô Hoa");
    const learner = await makePerson();
    await addMember(await cohort(coHoa, "Lớp học AI", ["thu-hai"]), learner, "code");
    // A citizen's own set would suggest lam-quen; the class's thu-hai comes first.
    expect((await dashboardGuidance({ id: learner, kind: "citizen" })).suggestion).toEqual(THU_HAI);
    // Once every class course is started, the suggestion moves on to the citizen's set.
    await completeLesson(learner, (await m()).thuHai, "ai-la-gi");
    const guidance = await dashboardGuidance({ id: learner, kind: "citizen" });
    expect(guidance.classes.map((c) => c.name)).toEqual(["Lớp học AI"]);
    expect(guidance.suggestion).toEqual(LAM_QUEN);
    await completeLesson(learner, lamQuen, "buoc-mot");
    expect((await dashboardGuidance({ id: learner, kind: "citizen" })).suggestion).toBeNull();
    expect((await startedCourses(learner)).length).toBe(2);
  });

  it("without a class: an official is offered the required set first, a citizen the adult basic set", async () => {
    const { dashboardGuidance } = await m();
    const person = await makePerson();
    expect((await dashboardGuidance({ id: person, kind: "official" })).suggestion).toEqual(THU_HAI);
    expect((await dashboardGuidance({ id: person, kind: "citizen" })).suggestion).toEqual(LAM_QUEN);
    expect((await dashboardGuidance({ id: person, kind: "official" })).classes).toEqual([]);
  });

  it("once the set meant for me is started, the next course in catalogue order; none when all are started", async () => {
    const { suggestNextCourse, startedCourses, completeLesson, recordLessonView, lamQuen } = await m();
    const official = await makePerson({ kind: "official" });
    await recordLessonView(official, "thu-hai", "ai-la-gi");
    expect(suggestNextCourse([], await startedCourses(official), true)).toEqual(LAM_QUEN);
    const citizen = await makePerson();
    await completeLesson(citizen, lamQuen, "buoc-mot");
    expect(suggestNextCourse([], await startedCourses(citizen), false)).toEqual(THU_HAI);
    await recordLessonView(citizen, "thu-hai", "ai-la-gi");
    expect(suggestNextCourse([], await startedCourses(citizen), false)).toBeNull();
  });

  it("with a course in no set placed first in the catalogue, the sets still come before catalogue order", async () => {
    // thu-hai in no set and first in the catalogue; lam-quen (adult-basic) second.
    const edits = [
      { file: "thu-hai/course.md", from: "sets: [official-required]\n", to: "" },
      { file: "lam-quen/course.md", from: "order: 1", to: "order: 3" },
    ];
    await withEditedContent(edits, async () => {
      const { suggestNextCourse } = await m();
      const { getCatalog } = await import("~/courses/catalog.server");
      expect(getCatalog().courses.map((c) => c.slug)).toEqual(["thu-hai", "lam-quen"]);
      // A citizen: the adult basic set. An official with no required course: the adult basic set too.
      expect(suggestNextCourse([], [], false)).toEqual(LAM_QUEN);
      expect(suggestNextCourse([], [], true)).toEqual(LAM_QUEN);
    });
  });
});
