import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { at } from "./support/helpers";

// The learner's own page ("Trang của tôi") and the home page's "continue" link (dashboard.server.ts), on a real
// database with the good content fixture: "lam-quen" (sequential; lessons 1 "Bước một" and 2 "Bước hai — theo dõi
// hồ sơ"; quiz "Bài kiểm tra mẫu"; skills 2.3 and 1.1) and "thu-hai" (one lesson "AI là gì"; quiz "Kiểm tra"; skill
// 6.1). A course's percentage counts its lessons and its quiz as steps: lam-quen has 3, thu-hai 2.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

async function m() {
  const catalog = await import("~/courses/catalog.server");
  return {
    ...(await import("~/learning/dashboard.server")),
    ...(await import("~/learning/progress.server")),
    ...(await import("~/learning/attempts.server")),
    ...(await import("~/db.server")),
    lamQuen: catalog.findCourse("lam-quen")!,
    thuHai: catalog.findCourse("thu-hai")!,
  };
}

const THU_HAI_RIGHT = { "ai-dung": ["b"], "kiem-tra-ai": ["a"] };

/** A learner who finished "thu-hai" (lesson and quiz) at `iso`. */
async function finishThuHai(person: string, iso: string) {
  const { completeLesson, submitAttempt, newIdempotencyKey, thuHai } = await m();
  at(iso);
  await completeLesson(person, thuHai, "ai-la-gi");
  const result = await submitAttempt(person, thuHai, newIdempotencyKey(), THU_HAI_RIGHT);
  if (result.kind !== "recorded" || !result.passed) throw new Error("thu-hai was not passed");
}

/** The skills marked achieved in the profile, as "domain: codes". */
function achieved(profile: Array<{ number: number; competences: Array<{ code: string; achieved: boolean }> }>) {
  return profile.flatMap((d) => d.competences.filter((c) => c.achieved).map((c) => `${d.number}: ${c.code}`));
}

describe("the learner's page", () => {
  it("for someone who has not started: no course, nothing to resume, the 6 skill groups and 24 skills, none achieved", async () => {
    const { learnerDashboard } = await m();
    const page = await learnerDashboard(await makePerson());
    expect(page.resume).toBeNull();
    expect(page.courses).toEqual([]);
    expect(page.attempts).toEqual([]);
    expect(page.certificates).toEqual([]);
    expect(page.achievedCount).toBe(0);
    expect(page.profile.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page.profile.flatMap((d) => d.competences)).toHaveLength(24);
    expect(page.profile[0]).toMatchObject({
      name: "Khai thác dữ liệu và thông tin",
      summary: "Tìm kiếm, đánh giá và sắp xếp thông tin trên mạng một cách có chọn lọc.",
    });
    expect(page.profile[0].competences[0]).toEqual({ code: "1.1", name: "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số", achieved: false });
    expect(achieved(page.profile)).toEqual([]);
  });

  it("after the first lesson: the course at 33 % and a link to lesson 2", async () => {
    const { learnerDashboard, completeLesson, lamQuen } = await m();
    const person = await makePerson();
    await completeLesson(person, lamQuen, "buoc-mot");
    const page = await learnerDashboard(person);
    const entry = {
      slug: "lam-quen",
      title: "Làm quen với dịch vụ công",
      percent: 33,
      completedAt: null,
      next: { href: "/khoa-hoc/lam-quen/buoc-hai", label: "Bài 2. Bước hai — theo dõi hồ sơ" },
    };
    expect(page.courses).toEqual([entry]);
    expect(page.resume).toEqual(entry);
  });

  it("after every lesson: the course at 66 % and a link to its quiz, under the quiz's title", async () => {
    const { learnerDashboard, completeLesson, lamQuen } = await m();
    const person = await makePerson();
    await completeLesson(person, lamQuen, "buoc-mot");
    await completeLesson(person, lamQuen, "buoc-hai");
    const page = await learnerDashboard(person);
    expect(page.resume).toMatchObject({ slug: "lam-quen", percent: 66, next: { href: "/khoa-hoc/lam-quen/kiem-tra", label: "Bài kiểm tra mẫu" } });
  });

  it("a lesson only opened does not count; the link still goes to that lesson", async () => {
    const { learnerDashboard, recordLessonView } = await m();
    const person = await makePerson();
    await recordLessonView(person, "lam-quen", "buoc-mot");
    const page = await learnerDashboard(person);
    expect(page.courses).toEqual([
      {
        slug: "lam-quen",
        title: "Làm quen với dịch vụ công",
        percent: 0,
        completedAt: null,
        next: { href: "/khoa-hoc/lam-quen/buoc-mot", label: "Bài 1. Bước một" },
      },
    ]);
  });

  it("a finished course comes first when most recent, at 100 % without a link; resuming skips it to the unfinished one", async () => {
    const { learnerDashboard, completeLesson, lamQuen } = await m();
    const person = await makePerson({ fullName: "Trần Thị Hoa" });
    at("2026-11-10T02:00:00.000Z");
    await completeLesson(person, lamQuen, "buoc-mot");
    await finishThuHai(person, "2026-11-12T03:00:00.000Z");
    const page = await learnerDashboard(person);
    expect(page.courses).toEqual([
      { slug: "thu-hai", title: "Dùng AI cẩn thận", percent: 100, completedAt: "2026-11-12T03:00:00.000Z", next: null },
      {
        slug: "lam-quen",
        title: "Làm quen với dịch vụ công",
        percent: 33,
        completedAt: null,
        next: { href: "/khoa-hoc/lam-quen/buoc-hai", label: "Bài 2. Bước hai — theo dõi hồ sơ" },
      },
    ]);
    expect(page.resume?.slug).toBe("lam-quen");
    // Only the finished course's skill (6.1) is achieved; lam-quen's 2.3 and 1.1 are not, being unfinished.
    expect(achieved(page.profile)).toEqual(["6: 6.1"]);
    expect(page.achievedCount).toBe(1);
    expect(page.certificates).toHaveLength(1);
    expect(page.certificates[0]).toMatchObject({ fullName: "Trần Thị Hoa", courseTitle: "Dùng AI cẩn thận", issuedAt: "2026-11-12T03:00:00.000Z" });
    expect(page.attempts).toHaveLength(1);
    expect(page.attempts[0]).toMatchObject({ course_slug: "thu-hai", courseTitle: "Dùng AI cẩn thận", percent: 100, passed: 1 });
  });

  it("with both courses finished: nothing to resume, and the skills of both (1.1, 2.3, 6.1)", async () => {
    const { learnerDashboard, completeLesson, submitAttempt, newIdempotencyKey, lamQuen } = await m();
    const person = await makePerson();
    await finishThuHai(person, "2026-11-12T03:00:00.000Z");
    at("2026-11-13T03:00:00.000Z");
    await completeLesson(person, lamQuen, "buoc-mot");
    await completeLesson(person, lamQuen, "buoc-hai");
    await submitAttempt(person, lamQuen, newIdempotencyKey(), { otp: ["b"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] });
    const page = await learnerDashboard(person);
    expect(page.resume).toBeNull();
    expect(page.courses.map((c) => [c.slug, c.percent, c.next])).toEqual([
      ["lam-quen", 100, null],
      ["thu-hai", 100, null],
    ]);
    expect(achieved(page.profile)).toEqual(["1: 1.1", "2: 2.3", "6: 6.1"]);
    expect(page.achievedCount).toBe(3);
    expect(page.certificates.map((c) => c.courseTitle)).toEqual(["Làm quen với dịch vụ công", "Dùng AI cẩn thận"]);
  });

  it("shows the 20 most recent quiz attempts, newest first, each under its course's title (or its code when the course is gone)", async () => {
    const { learnerDashboard, db } = await m();
    const person = await makePerson();
    // 22 attempts stored directly: 1–21 on thu-hai, the newest (22) on a course no longer in the catalogue.
    for (let i = 1; i <= 22; i++) {
      await db()
        .insertInto("quiz_attempt")
        .values({
          person_id: person,
          course_slug: i === 22 ? "khoa-da-bo" : "thu-hai",
          idempotency_key: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, "0")}`,
          submitted_at: `2026-11-${String(i).padStart(2, "0")}T01:00:00.000Z`,
          correct_count: i % 2,
          question_count: 1,
          percent: (i % 2) * 100,
          passed: i % 2,
          content_version: "v",
          supervised_by: null,
        })
        .execute();
    }
    const page = await learnerDashboard(person);
    expect(page.attempts).toHaveLength(20);
    expect(page.attempts.map((a) => a.submitted_at.slice(8, 10))).toEqual([
      "22",
      "21",
      "20",
      "19",
      "18",
      "17",
      "16",
      "15",
      "14",
      "13",
      "12",
      "11",
      "10",
      "09",
      "08",
      "07",
      "06",
      "05",
      "04",
      "03",
    ]);
    expect(page.attempts[0]).toMatchObject({ course_slug: "khoa-da-bo", courseTitle: "khoa-da-bo", correct_count: 0, passed: 0 });
    expect(page.attempts[1]).toMatchObject({ course_slug: "thu-hai", courseTitle: "Dùng AI cẩn thận", correct_count: 1, percent: 100, passed: 1 });
  });
});

describe("the home page's continue link", () => {
  it("is absent for someone who has not started, and for someone whose every started course is finished", async () => {
    const { resumeLink } = await m();
    expect(await resumeLink(await makePerson())).toBeNull();
    const finished = await makePerson();
    await finishThuHai(finished, "2026-11-12T03:00:00.000Z");
    expect(await resumeLink(finished)).toBeNull();
  });

  it("goes to the next step of the most recent unfinished course, and counts the finished ones", async () => {
    const { resumeLink, completeLesson, recordLessonView, lamQuen } = await m();
    const person = await makePerson();
    at("2026-11-10T02:00:00.000Z");
    await completeLesson(person, lamQuen, "buoc-mot");
    await finishThuHai(person, "2026-11-12T03:00:00.000Z");
    expect(await resumeLink(person)).toEqual({
      courseTitle: "Làm quen với dịch vụ công",
      percent: 33,
      doneCount: 1,
      href: "/khoa-hoc/lam-quen/buoc-hai",
      label: "Bài 2. Bước hai — theo dõi hồ sơ",
    });

    // Two unfinished courses: the one opened last wins.
    const two = await makePerson();
    at("2026-11-10T02:00:00.000Z");
    await completeLesson(two, lamQuen, "buoc-mot");
    at("2026-11-11T02:00:00.000Z");
    await recordLessonView(two, "thu-hai", "ai-la-gi");
    expect(await resumeLink(two)).toEqual({
      courseTitle: "Dùng AI cẩn thận",
      percent: 0,
      doneCount: 0,
      href: "/khoa-hoc/thu-hai/ai-la-gi",
      label: "Bài 1. AI là gì",
    });
    at("2026-11-12T02:00:00.000Z");
    await completeLesson(two, lamQuen, "buoc-hai");
    expect(await resumeLink(two)).toEqual({
      courseTitle: "Làm quen với dịch vụ công",
      percent: 66,
      doneCount: 0,
      href: "/khoa-hoc/lam-quen/kiem-tra",
      label: "Bài kiểm tra mẫu",
    });
  });
});
