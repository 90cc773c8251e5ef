import { beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";
import { withEditedContent } from "./support/helpers";

// The official's own page (issue 17, item 1): whether they count for their agency, with the reason and what to
// do in plain Vietnamese, their required courses and where to continue. Every message below is written out in
// full, as the official reads it. Fixture: the officials' required set is the one course "thu-hai"
// ("Dùng AI cẩn thận", one lesson "AI là gì", then a quiz).

const ROSTER = [
  "personnel_code,full_name,birth_year,agency_code,commune_code,status",
  "SNV-1,Nguyễn Văn Một,1980,SNV,,active",
  "SNV-2,Trần Thị Hai,1985,SNV,,active",
  "SNV-3,Lê Văn Ba,1975,SNV,,left",
  "SNV-4,Phạm Thị Bốn,1990,SNV,,active",
  "SNV-5,Đỗ Văn Năm,1970,SNV,,active",
].join("\n");

const ASK_OFFICER = "Hãy liên hệ cán bộ phụ trách đào tạo của cơ quan để được kiểm tra và bổ sung vào danh sách.";

async function m() {
  return {
    ...(await import("~/reports/official-overview.server")),
    ...(await import("~/reports/imports.server")),
    db: (await import("~/db.server")).db,
  };
}

beforeAll(async () => {
  await useTempDatabase();
  const { importCsv } = await m();
  expect(await importCsv("roster", ROSTER, "roster.csv", null)).toMatchObject({ ok: true });
}, 120_000);

/** An official account with a declared agency and personnel code (null: none declared). */
async function official(fullName: string, birthYear: number, code: string | null, agency: string | null = "SNV") {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName, birthYear });
  await db().updateTable("person").set({ personnel_code: code, agency_code: agency }).where("id", "=", id).execute();
  await new Promise((r) => setTimeout(r, 3)); // a strictly later created_at for the next account
  return id;
}

describe("whether an official counts for their agency", () => {
  it("each reason, in words, with what to do", async () => {
    const { rosterMatch } = await m();
    expect(await rosterMatch(await official("Võ Văn Sáu", 1981, null))).toEqual({
      counted: false,
      reason: "Bạn chưa khai báo mã cán bộ.",
      action: ASK_OFFICER,
    });
    expect(await rosterMatch(await official("Võ Văn Sáu", 1981, "SNV-99"))).toEqual({
      counted: false,
      reason: "Mã cán bộ SNV-99 không có trong danh sách cán bộ của Sở Nội vụ mà tỉnh đang dùng để tính chỉ tiêu.",
      action: "Hãy kiểm tra lại mã cán bộ. Nếu mã đúng, hãy liên hệ cán bộ phụ trách đào tạo của cơ quan để được bổ sung vào danh sách.",
    });
    // No agency declared: "your agency".
    expect((await rosterMatch(await official("Võ Văn Sáu", 1981, "SNV-98", null))).reason).toBe(
      "Mã cán bộ SNV-98 không có trong danh sách cán bộ của cơ quan của bạn mà tỉnh đang dùng để tính chỉ tiêu.",
    );
    expect(await rosterMatch(await official("Trần Thị Khác", 1985, "SNV-2"))).toEqual({
      counted: false,
      reason: "Họ tên trong danh sách cán bộ với mã SNV-2 là “Trần Thị Hai”, khác với họ tên bạn đã khai báo.",
      action: ASK_OFFICER,
    });
    expect(await rosterMatch(await official("Trần Thị Hai", 1986, "SNV-2"))).toEqual({
      counted: false,
      reason: "Năm sinh trong danh sách cán bộ với mã SNV-2 là 1985, khác với năm sinh bạn đã khai báo.",
      action: ASK_OFFICER,
    });
    expect(await rosterMatch(await official("Lê Văn Ba", 1975, "SNV-3"))).toEqual({
      counted: false,
      reason: "Theo danh sách của tỉnh, mã cán bộ SNV-3 đã nghỉ công tác tại Sở Nội vụ.",
      action: ASK_OFFICER,
    });
    // The name typed without diacritics still matches; the first account counts, a second one does not.
    const first = await official("Pham Thi Bon", 1990, "SNV-4");
    const second = await official("Phạm Thị Bốn", 1990, "SNV-4");
    expect(await rosterMatch(first)).toEqual({
      counted: true,
      reason: "Bạn có trong danh sách cán bộ của Sở Nội vụ và được tính vào chỉ tiêu của cơ quan.",
      action: null,
    });
    expect(await rosterMatch(second)).toEqual({
      counted: false,
      reason: "Mã cán bộ SNV-4 đã được một tài khoản khác đăng ký trước bạn; mỗi cán bộ chỉ được tính một lần.",
      action: ASK_OFFICER,
    });
  });
});

describe("the official's section of their page", () => {
  it("is empty for a citizen", async () => {
    const { officialOverview } = await m();
    expect(await officialOverview(await makePerson({ kind: "citizen" }))).toBeNull();
    expect(await officialOverview("no-such-person")).toBeNull();
  });

  it("not started, then in a lesson, then at the quiz, then done: the course's state, the count and the next link", async () => {
    const { officialOverview, db } = await m();
    const id = await official("Nguyễn Văn Một", 1980, "SNV-1");
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10); // Vietnam's date, UTC+7
    // Days from today to 31/12 of this year's target (2026), counted here with plain dates.
    const daysLeft = Math.round((Date.UTC(2026, 11, 31) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);

    const start = await officialOverview(id);
    expect(start).toMatchObject({
      agencyName: "Sở Nội vụ",
      personnelCode: "SNV-1",
      courses: [{ slug: "thu-hai", title: "Dùng AI cẩn thận", state: "not-started" }],
      doneCount: 0,
      match: { counted: true },
      continueLink: { href: "/khoa-hoc/thu-hai", label: "Dùng AI cẩn thận" },
    });
    // After 2026 the 2026 target is still the last one, and the days left are negative.
    expect(start!.deadline).toEqual({ date: "2026-12-31", label: "31/12/2026", daysLeft, source: "target", targetYear: 2026 });

    // Started: the next step is the course's first lesson, named with its number.
    const now = new Date().toISOString();
    await db()
      .insertInto("course_progress")
      .values({ person_id: id, course_slug: "thu-hai", last_lesson_slug: null, started_at: now, updated_at: now, completed_at: null })
      .execute();
    const inLesson = await officialOverview(id);
    expect(inLesson).toMatchObject({ courses: [{ slug: "thu-hai", state: "in-progress" }], doneCount: 0 });
    expect(inLesson!.continueLink).toEqual({ href: "/khoa-hoc/thu-hai/ai-la-gi", label: "Dùng AI cẩn thận: Bài 1. AI là gì" });

    // The lesson done: the quiz is next.
    await db()
      .insertInto("lesson_progress")
      .values({ person_id: id, course_slug: "thu-hai", lesson_slug: "ai-la-gi", first_viewed_at: now, completed_at: now })
      .execute();
    expect((await officialOverview(id))!.continueLink).toEqual({ href: "/khoa-hoc/thu-hai/kiem-tra", label: "Dùng AI cẩn thận: bài kiểm tra" });

    // Finished: done, counted once, and nothing left to continue.
    await db().deleteFrom("course_progress").where("person_id", "=", id).execute();
    await completeAt(id, "thu-hai", now);
    expect(await officialOverview(id)).toMatchObject({ courses: [{ slug: "thu-hai", state: "done" }], doneCount: 1, continueLink: null });
  });

  it("with no officials' indicator configured, no courses, no deadline and nothing to continue", async () => {
    const { officialOverview, db } = await m();
    const id = await official("Đỗ Văn Năm", 1970, "SNV-5");
    await db().updateTable("indicator").set({ population: "adults" }).where("id", "=", "officials-proficient").execute();
    try {
      expect(await officialOverview(id)).toMatchObject({ agencyName: "Sở Nội vụ", courses: [], doneCount: 0, deadline: null, continueLink: null });
    } finally {
      await db().updateTable("indicator").set({ population: "officials" }).where("id", "=", "officials-proficient").execute();
    }
  });

  it("an agency's own deadline is the one shown", async () => {
    const { officialOverview } = await m();
    const { setAgencyDeadline } = await import("~/reports/deadlines.server");
    const id = await official("Đỗ Văn Năm", 1970, "SNV-5");
    await setAgencyDeadline("officials-proficient", "SNV", "2027-06-30", "admin-1");
    expect((await officialOverview(id))!.deadline).toMatchObject({ date: "2027-06-30", label: "30/06/2027", source: "agency" });
    await setAgencyDeadline("officials-proficient", "SNV", null, "admin-1");
  });
});

describe("a required set of two courses", () => {
  it("each course shows its own state, and the link goes to the one not started", async () => {
    const { officialOverview } = await m();
    // Content where the officials' set has two courses: lam-quen (not started here) and thu-hai (finished).
    // A required course asks a draw from a bank 1.5 times its size (decision 009): one question per attempt.
    const edits = [
      { file: "lam-quen/course.md", from: "sets: [adult-basic]", to: "sets: [adult-basic, official-required]" },
      { file: "lam-quen/course.md", from: "quiz:\n", to: "quiz:\n  questions_per_attempt: 1\n" },
    ];
    await withEditedContent(edits, async () => {
      const id = await official("Phạm Thị Bốn", 1990, "SNV-4");
      await completeAt(id, "thu-hai", "2026-05-04T03:00:00.000Z");
      expect(await officialOverview(id)).toMatchObject({
        courses: [
          { slug: "lam-quen", title: "Làm quen với dịch vụ công", state: "not-started" },
          { slug: "thu-hai", title: "Dùng AI cẩn thận", state: "done" },
        ],
        doneCount: 1,
        continueLink: { href: "/khoa-hoc/lam-quen", label: "Làm quen với dịch vụ công" },
      });
    });
  });
});
