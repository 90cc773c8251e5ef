import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, signedIn, useTempDatabase } from "./support/db";
import { withEditedContent } from "./support/helpers";

// Practice tasks and the third indicator (decision 021) on a real SQLite file, with the good content fixture:
// "lam-quen" is a health course with two tasks ("xem-the-bhyt": answer b; "dat-lich-kham": answer a).

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return {
    ...(await import("~/learning/practice-tasks.server")),
    ...(await import("~/reports/indicators.server")),
    ...(await import("~/reports/service-use.server")),
    ...(await import("~/reports/report.server")),
    ...(await import("~/reports/exports.server")),
    ...(await import("~/reports/imports.server")),
    ...(await import("~/cohorts/cohorts.server")),
    ...(await import("~/accounts/people.server")),
    ...(await import("~/db.server")),
  };
}

const actor = signedIn;

async function trainerWithCohort() {
  const { db, nowIso, createCohort } = await m();
  const id = await makePerson({ fullName: "Cô Hướng Dẫn" });
  await db().insertInto("person_role").values({ person_id: id, role: "trainer", scope: "", granted_by: null, granted_at: nowIso() }).execute();
  const cohort = await createCohort(id, { name: "Lớp ấp Bàu Sen", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
  if (!cohort.ok) throw new Error(JSON.stringify(cohort.errors));
  return { trainer: actor(id), cohortId: cohort.id };
}

/** The service-use indicators for this year as the report, the CSV and the API give them. */
async function serviceUse(commune = "25459") {
  const { provinceReport, parsePeriod, reportCsv, reportJson } = await m();
  const year = String(new Date().getUTCFullYear()); // records are made "now"
  const reports = await provinceReport(parsePeriod(year)!);
  const pick = (id: string) => reports.find((r) => r.id === id)!;
  const csv = reportCsv(reports, { province: true });
  const api = reportJson(reports, year);
  const csvRow = (id: string, code: string) =>
    csv
      .split("\r\n")
      .find((l) => l.startsWith(`${id},`) && l.split(",")[2] === code)
      ?.split(",");
  return {
    any: pick("adults-using-digital-services"),
    confirmed: pick("adults-using-digital-services-confirmed"),
    health: pick("adults-using-digital-services-health"),
    transport: pick("adults-using-digital-services-transport"),
    csvNumerator: (id: string, code = commune) => Number(csvRow(id, code)?.[4]),
    apiNumerator: (id: string) => api.indicators.find((i) => i.id === id)!.communes.find((c) => c.code === commune)!.numerator,
    commune: (id: string) => pick(id).communes.find((c) => c.code === commune)!,
  };
}

describe("practice tasks and the adults-using-digital-services indicator", () => {
  it("a self-report and a trainer's confirmation each move the indicator by exactly one, kept apart", async () => {
    const { importCsv, reportTaskDone, confirmTask, addMember, compareCounts, taskStates, taskCountsBySector } = await m();
    await importCsv("population", "commune_code,year,adult_population\n25459,2026,200\n", "pop.csv", null);
    const before = await serviceUse();
    expect(before.any.targetPercent).toBe(82);
    expect(before.any.targetYear).toBe(2026);
    const start = before.commune("adults-using-digital-services").numerator;

    // A wrong self-check answer records nothing.
    const lan = await makePerson({ birthYear: 1975, fullName: "Bà Lan" });
    expect(await reportTaskDone(lan, "lam-quen", "xem-the-bhyt", "a")).toMatchObject({ ok: false, status: 400 });
    expect(await reportTaskDone(lan, "lam-quen", "khong-co", "b")).toMatchObject({ ok: false, status: 404 });
    expect((await serviceUse()).commune("adults-using-digital-services").numerator).toBe(start);

    // The right answer: +1 overall and in health, nothing in transport or in the confirmed count.
    expect(await reportTaskDone(lan, "lam-quen", "xem-the-bhyt", "b")).toEqual({ ok: true, already: false });
    let now = await serviceUse();
    expect(now.commune("adults-using-digital-services")).toMatchObject({ numerator: start + 1, denominator: 200 });
    expect(now.commune("adults-using-digital-services-health").numerator).toBe(start + 1);
    expect(now.commune("adults-using-digital-services-transport").numerator).toBe(0);
    expect(now.commune("adults-using-digital-services-confirmed").numerator).toBe(0);
    expect(now.csvNumerator("adults-using-digital-services")).toBe(start + 1);
    expect(now.apiNumerator("adults-using-digital-services")).toBe(start + 1);

    // Repeating it, or reporting a second task, does not count the person twice.
    expect(await reportTaskDone(lan, "lam-quen", "xem-the-bhyt", "b")).toEqual({ ok: true, already: true });
    await reportTaskDone(lan, "lam-quen", "dat-lich-kham", "a");
    expect((await serviceUse()).commune("adults-using-digital-services").numerator).toBe(start + 1);

    // A trainer confirms for another member who never reported: +1 overall, +1 confirmed.
    const { trainer, cohortId } = await trainerWithCohort();
    const binh = await makePerson({ birthYear: 1960, fullName: "Ông Bình" });
    await addMember(cohortId, binh, "code");
    expect(await confirmTask(trainer, cohortId, binh, "lam-quen", "dat-lich-kham")).toEqual({ ok: true, already: false });
    now = await serviceUse();
    expect(now.commune("adults-using-digital-services").numerator).toBe(start + 2);
    expect(now.commune("adults-using-digital-services-confirmed").numerator).toBe(1);
    expect(now.csvNumerator("adults-using-digital-services-confirmed")).toBe(1);
    expect(now.apiNumerator("adults-using-digital-services-confirmed")).toBe(1);
    const state = (await taskStates(binh)).get("lam-quen/dat-lich-kham")!;
    expect(state).toMatchObject({ selfReportedAt: null, confirmedBy: "Cô Hướng Dẫn" });
    expect(state.confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The record is part of the person's data: they can download it, with who confirmed it.
    const { exportPersonData } = await m();
    expect((await exportPersonData(binh)).practice_tasks).toEqual([
      { course_slug: "lam-quen", task_id: "dat-lich-kham", self_reported_at: null, confirmed_at: state.confirmedAt, confirmed_by: "Cô Hướng Dẫn" },
    ]);

    // Confirming Lan's self-reported task moves the confirmed count only.
    await addMember(cohortId, lan, "code");
    await confirmTask(trainer, cohortId, lan, "lam-quen", "xem-the-bhyt");
    now = await serviceUse();
    expect(now.commune("adults-using-digital-services").numerator).toBe(start + 2);
    expect(now.commune("adults-using-digital-services-confirmed").numerator).toBe(2);
    expect(await taskCountsBySector()).toEqual([{ sector: "health", label: "Y tế", selfReported: 1, confirmed: 2 }]);
    expect(await compareCounts()).toEqual([]);
  });

  it("only a trainer of the person's cohort confirms, never for themselves, never an administrator who was not there", async () => {
    const { confirmTask, addMember, db, nowIso } = await m();
    const { trainer, cohortId } = await trainerWithCohort();
    const other = await trainerWithCohort();
    const member = await makePerson();
    const stranger = await makePerson();
    await addMember(cohortId, member, "code");
    expect(await confirmTask(other.trainer, cohortId, member, "lam-quen", "xem-the-bhyt")).toMatchObject({ ok: false, status: 403 });
    expect(await confirmTask(trainer, cohortId, stranger, "lam-quen", "xem-the-bhyt")).toMatchObject({ ok: false, status: 403 });
    expect(await confirmTask(trainer, cohortId, trainer.id, "lam-quen", "xem-the-bhyt")).toMatchObject({
      ok: false,
      error: expect.stringContaining("chính mình"),
    });
    const admin = await makePerson();
    await db().insertInto("person_role").values({ person_id: admin, role: "admin", scope: "", granted_by: null, granted_at: nowIso() }).execute();
    expect(await confirmTask(actor(admin, ["admin"]), cohortId, member, "lam-quen", "xem-the-bhyt")).toMatchObject({ ok: false, status: 403 });
    const onTrainersPhone = { ...trainer, supervisedBy: { trainerId: trainer.id, trainerName: "x", cohortId } };
    expect(await confirmTask(onTrainersPhone, cohortId, member, "lam-quen", "xem-the-bhyt")).toMatchObject({ ok: false, status: 403 });
    const rows = await db().selectFrom("task_record").selectAll().where("person_id", "=", member).execute();
    expect(rows).toEqual([]);
  });

  it("age, period and account deletion follow the same rules as the other adult indicator", async () => {
    const { importCsv, reportTaskDone, deletePerson, compareCounts, db } = await m();
    await importCsv("population", "commune_code,year,adult_population\n25480,2026,40\n", "pop2.csv", null);
    const child = await makePerson({ birthYear: 2014, communeCode: "25480" }); // 12 in 2026: counts from 2029
    const adult = await makePerson({ birthYear: 1990, communeCode: "25480" });
    await reportTaskDone(child, "lam-quen", "xem-the-bhyt", "b");
    await reportTaskDone(adult, "lam-quen", "xem-the-bhyt", "b");
    expect((await serviceUse("25480")).commune("adults-using-digital-services").numerator).toBe(1);
    const stored = await db()
      .selectFrom("indicator_count")
      .select(["month"])
      .where("indicator_id", "=", "adults-using-digital-services")
      .where("commune_code", "=", "25480")
      .orderBy("month")
      .execute();
    expect(stored.map((r) => r.month)).toEqual([new Date().toISOString().slice(0, 7), "2029-01"]);
    // A deleted account stays counted anonymously (the province did help them), and a rebuild agrees.
    await deletePerson(adult);
    expect((await serviceUse("25480")).commune("adults-using-digital-services").numerator).toBe(1);
    expect(await compareCounts()).toEqual([]);
  });

  it("with both a self-report and a confirmation, a person counts from the earlier one, per person and in the full count", async () => {
    const { db, listIndicators, serviceContribution, computeServiceCounts } = await m();
    const any = (await listIndicators()).find((i) => i.id === "adults-using-digital-services")!;
    const communeOf = "25498"; // a commune no other test here uses
    const both = async (selfReported: string, confirmed: string) => {
      const id = await makePerson({ birthYear: 1980, communeCode: communeOf });
      await db()
        .insertInto("task_record")
        .values({
          person_id: id,
          course_slug: "lam-quen",
          task_id: "xem-the-bhyt",
          self_reported_at: selfReported,
          confirmed_at: confirmed,
          confirmed_by: null,
          confirmed_cohort_id: null,
        })
        .execute();
      return id;
    };
    // Self-reported in March, confirmed in August (Vietnam time); and the other way round.
    const selfFirst = await both("2026-03-10T02:00:00.000Z", "2026-08-05T02:00:00.000Z");
    const confirmedFirst = await both("2026-09-20T02:00:00.000Z", "2026-05-02T02:00:00.000Z");
    expect(await serviceContribution(db(), selfFirst, any)).toEqual({ agency: "", commune: communeOf, month: "2026-03" });
    expect(await serviceContribution(db(), confirmedFirst, any)).toEqual({ agency: "", commune: communeOf, month: "2026-05" });
    const rows = (await computeServiceCounts(db(), any)).filter((r: { commune_code: string }) => r.commune_code === communeOf);
    expect(rows.sort((a, b) => a.month.localeCompare(b.month))).toEqual([
      { agency_code: "", commune_code: communeOf, month: "2026-03", count: 1 },
      { agency_code: "", commune_code: communeOf, month: "2026-05", count: 1 },
    ]);
  });

  it("the API names each service indicator's courses in slug order, whatever order the catalogue shows them in", async () => {
    const { provinceReport, parsePeriod, reportJson } = await m();
    // thu-hai becomes a second health course, placed before lam-quen in the catalogue (order 2, then 3).
    const edits = [
      { file: "thu-hai/course.md", from: "order: 2", to: "order: 2\nsector: health" },
      { file: "lam-quen/course.md", from: "order: 1", to: "order: 3" },
    ];
    await withEditedContent(edits, async () => {
      const api = reportJson(await provinceReport(parsePeriod("2026")!), "2026");
      const coursesOf = (id: string) => api.indicators.find((i) => i.id === id)!.courses;
      expect(coursesOf("adults-using-digital-services")).toEqual(["lam-quen", "thu-hai"]);
      expect(coursesOf("adults-using-digital-services-health")).toEqual(["lam-quen", "thu-hai"]);
      expect(coursesOf("adults-using-digital-services-transport")).toEqual([]);
    });
  });
});

describe("what a learner and a trainer are told, and what is stored", () => {
  it("a self-report is refused with its own message for an unknown course or task, no choice, or a wrong choice", async () => {
    const { reportTaskDone, taskStates } = await m();
    const person = await makePerson();
    const notFound = { ok: false, status: 404, error: "Không tìm thấy nhiệm vụ thực hành này." };
    expect(await reportTaskDone(person, "khong-co-khoa-nay", "xem-the-bhyt", "b")).toEqual(notFound);
    expect(await reportTaskDone(person, "lam-quen", "khong-co", "b")).toEqual(notFound);
    for (const answer of ["", "z"]) {
      expect(await reportTaskDone(person, "lam-quen", "xem-the-bhyt", answer)).toEqual({
        ok: false,
        status: 400,
        error: "Hãy chọn một câu trả lời cho câu tự kiểm tra.",
      });
    }
    expect(await reportTaskDone(person, "lam-quen", "xem-the-bhyt", "a")).toEqual({
      ok: false,
      status: 400,
      error: "Câu trả lời chưa đúng. Bác xem lại bài học, làm lại nhiệm vụ rồi trả lời lần nữa.",
    });
    expect(await reportTaskDone(person, "lam-quen", "xem-the-bhyt", "c")).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining("chưa đúng"),
    });
    expect(await taskStates(person)).toEqual(new Map());
  });

  it("a trainer's confirmation of an unknown task is a 404 with its message, and stores nothing", async () => {
    const { confirmTask, addMember, taskStates } = await m();
    const { trainer, cohortId } = await trainerWithCohort();
    const member = await makePerson();
    await addMember(cohortId, member, "code");
    expect(await confirmTask(trainer, cohortId, member, "lam-quen", "khong-co")).toEqual({
      ok: false,
      status: 404,
      error: "Không tìm thấy nhiệm vụ thực hành này.",
    });
    expect(await taskStates(member)).toEqual(new Map());
  });

  it("a learner may still report a task a trainer confirmed first; both marks are kept, each once", async () => {
    const { confirmTask, reportTaskDone, addMember, taskStates } = await m();
    const { trainer, cohortId } = await trainerWithCohort();
    const member = await makePerson();
    await addMember(cohortId, member, "code");
    expect(await confirmTask(trainer, cohortId, member, "lam-quen", "dat-lich-kham")).toEqual({ ok: true, already: false });
    expect(await reportTaskDone(member, "lam-quen", "dat-lich-kham", "a")).toEqual({ ok: true, already: false });
    expect(await reportTaskDone(member, "lam-quen", "dat-lich-kham", "a")).toEqual({ ok: true, already: true });
    expect(await confirmTask(trainer, cohortId, member, "lam-quen", "dat-lich-kham")).toEqual({ ok: true, already: true });
    const state = (await taskStates(member)).get("lam-quen/dat-lich-kham")!;
    expect(state.selfReportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(state.confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(state.confirmedBy).toBe("Cô Hướng Dẫn");
  });

  it("a course page shows only that course's marks; the learner's page shows them all", async () => {
    const { db, reportTaskDone, taskStates } = await m();
    const person = await makePerson();
    await reportTaskDone(person, "lam-quen", "xem-the-bhyt", "b");
    // A mark kept from another course (e.g. one since removed from the catalogue).
    await db()
      .insertInto("task_record")
      .values({
        person_id: person,
        course_slug: "thu-hai",
        task_id: "cu",
        self_reported_at: "2026-02-01T01:00:00.000Z",
        confirmed_at: null,
        confirmed_by: null,
        confirmed_cohort_id: null,
      })
      .execute();
    expect([...(await taskStates(person, "lam-quen")).keys()]).toEqual(["lam-quen/xem-the-bhyt"]);
    expect([...(await taskStates(person)).keys()].sort()).toEqual(["lam-quen/xem-the-bhyt", "thu-hai/cu"]);
    expect((await taskStates(person)).get("thu-hai/cu")).toEqual({ selfReportedAt: "2026-02-01T01:00:00.000Z", confirmedAt: null, confirmedBy: null });
  });
});

describe("task counts by sector (the province report)", () => {
  const TRANSPORT_TASKS = [
    {
      file: "thu-hai/course.md",
      from: "sequential: false\n",
      to: [
        "sequential: false",
        "sector: transport",
        "tasks:",
        "  - id: tra-cuu-phat-nguoi",
        "    title: Tra cứu phạt nguội trên trang chính thức",
        "    question: Bác tra cứu phạt nguội ở đâu?",
        "    options:",
        '      - "[x] Trang chính thức của cơ quan công an"',
        '      - "[ ] Trang lạ gửi qua tin nhắn"',
        "",
      ].join("\n"),
    },
  ];

  it("lists each sector with tasks done, in the order of their Vietnamese names", async () => {
    await withEditedContent(TRANSPORT_TASKS, async () => {
      const { reportTaskDone, taskCountsBySector } = await m();
      const before = await taskCountsBySector();
      const count = (sector: string) => before.find((row) => row.sector === sector) ?? { selfReported: 0, confirmed: 0 };
      const driver = await makePerson();
      expect(await reportTaskDone(driver, "thu-hai", "tra-cuu-phat-nguoi", "a")).toEqual({ ok: true, already: false });
      const after = await taskCountsBySector();
      expect(after.map((row) => row.label)).toEqual(["Giao thông", "Y tế"]); // G before Y
      expect(after.find((row) => row.sector === "transport")).toEqual({
        sector: "transport",
        label: "Giao thông",
        selfReported: count("transport").selfReported + 1,
        confirmed: count("transport").confirmed,
      });
    });
  });

  it("is empty when no course has practice tasks", async () => {
    const tasksBlock = (await import("node:fs")).readFileSync("test/fixtures/good/lam-quen/course.md", "utf8").match(/tasks:\n[\s\S]*?(?=quiz:)/)![0];
    await withEditedContent([{ file: "lam-quen/course.md", from: tasksBlock, to: "" }], async () => {
      const { taskCountsBySector } = await m();
      expect(await taskCountsBySector()).toEqual([]);
    });
  });
});
