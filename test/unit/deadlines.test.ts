import { beforeAll, describe, expect, it } from "vitest";
import { useTempDatabase } from "./support/db";

// Deadlines as data (decision 018): the target's day (31/12 of its year unless set), an agency's own date, the
// words an official reads, and the administrator's date field. Each expected date, label and day count is
// worked out by hand in the comments. Migration 0003: officials 85 % by 2026 (deadline 2026-12-31 from 0011),
// adults 90 % by 2030 (no deadline stored).

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return {
    ...(await import("~/reports/deadlines.server")),
    ...(await import("~/reports/indicators.server")),
    db: (await import("~/db.server")).db,
  };
}

async function indicator(id: string) {
  return (await (await m()).listIndicators()).find((i) => i.id === id)!;
}

describe("the words for the days left", () => {
  it("counts down, says so on the day itself, and counts the days overdue without a minus sign", async () => {
    const { daysLeftText } = await m();
    expect(daysLeftText(30)).toBe("còn 30 ngày");
    expect(daysLeftText(1)).toBe("còn 1 ngày");
    expect(daysLeftText(0)).toBe("hôm nay là hạn cuối");
    expect(daysLeftText(-1)).toBe("đã quá hạn 1 ngày");
    expect(daysLeftText(-5)).toBe("đã quá hạn 5 ngày");
  });
});

describe("the administrator's date field (dd/mm/yyyy)", () => {
  it("turns a real date into YYYY-MM-DD and refuses anything else", async () => {
    const { parseVietnamDate } = await m();
    expect(parseVietnamDate("30/06/2026")).toBe("2026-06-30");
    expect(parseVietnamDate("  31/12/2026 ")).toBe("2026-12-31");
    expect(parseVietnamDate("29/02/2028")).toBe("2028-02-29"); // a leap year
    expect(parseVietnamDate("01/01/2020")).toBe("2020-01-01");
    expect(parseVietnamDate("31/12/2100")).toBe("2100-12-31");
    for (const bad of [
      "29/02/2026", // not a leap year
      "31/04/2026", // April has 30 days
      "00/01/2026",
      "01/13/2026",
      "31/12/2019", // before 2020
      "01/01/2101", // after 2100
      "1/6/2026",
      "2026-06-30",
      "30-06-2026",
      "x30/06/2026",
      "30/06/2026x",
      "",
    ])
      expect(parseVietnamDate(bad), bad).toBeNull();
  });
});

describe("the deadline that applies", () => {
  it("the target's day for everyone, an agency's own day for that agency only, with days left from today", async () => {
    const { officialsIndicator, deadlineFor, setAgencyDeadline, db } = await m();
    const officials = (await officialsIndicator())!;
    expect(officials.id).toBe("officials-proficient");
    // 1 March 2026 → 31 December 2026: 365 − 31 − 28 − 1 = 305 days.
    const target = { date: "2026-12-31", label: "31/12/2026", daysLeft: 305, source: "target", targetYear: 2026 };
    expect(await deadlineFor(officials, null, "2026-03-01")).toEqual(target);
    expect(await deadlineFor(officials, "SNV", "2026-03-01")).toEqual(target);

    await setAgencyDeadline("officials-proficient", "SNV", "2026-06-30", "admin-1");
    // 1 March → 30 June: 30 + 30 + 31 + 30 = 121 days.
    expect(await deadlineFor(officials, "SNV", "2026-03-01")).toEqual({
      date: "2026-06-30",
      label: "30/06/2026",
      daysLeft: 121,
      source: "agency",
      targetYear: 2026,
    });
    expect(await deadlineFor(officials, "STC", "2026-03-01")).toEqual(target);
    expect(await deadlineFor(officials, null, "2026-03-01")).toEqual(target);
    // On the day itself and after it.
    expect(await deadlineFor(officials, "SNV", "2026-06-30")).toMatchObject({ daysLeft: 0 });
    expect(await deadlineFor(officials, "SNV", "2026-07-05")).toMatchObject({ daysLeft: -5 });

    // Setting it again changes the date and who set it; one row per agency and indicator.
    await setAgencyDeadline("officials-proficient", "SNV", "2026-07-15", "admin-2");
    const rows = await db().selectFrom("agency_deadline").selectAll().where("agency_code", "=", "SNV").execute();
    expect(rows.map((r) => [r.indicator_id, r.deadline, r.set_by])).toEqual([["officials-proficient", "2026-07-15", "admin-2"]]);
    expect(await deadlineFor(officials, "SNV", "2026-07-01")).toMatchObject({ date: "2026-07-15", label: "15/07/2026", daysLeft: 14, source: "agency" });

    // Clearing it puts the agency back on the target's day.
    await setAgencyDeadline("officials-proficient", "SNV", null, "admin-2");
    expect(await db().selectFrom("agency_deadline").selectAll().where("agency_code", "=", "SNV").execute()).toEqual([]);
    expect(await deadlineFor(officials, "SNV", "2026-03-01")).toEqual(target);
  });

  it("the officials' indicator is found by its population, wherever it stands in the catalogue", async () => {
    const { officialsIndicator, db } = await m();
    // Move it after the adult indicators (positions 2–7): still the officials' one.
    await db().updateTable("indicator").set({ position: 50 }).where("id", "=", "officials-proficient").execute();
    try {
      expect((await officialsIndicator())?.id).toBe("officials-proficient");
    } finally {
      await db().updateTable("indicator").set({ position: 1 }).where("id", "=", "officials-proficient").execute();
    }
  });

  it("a target's own day, the last target after its year, 31/12 when none is stored, and none without a target", async () => {
    const { deadlineFor, setTargetDeadline, setAgencyDeadline, db } = await m();
    const officials = await indicator("officials-proficient");
    expect(await setTargetDeadline("officials-proficient", 2026, "2026-11-30")).toBe(true);
    // No 2031 target to move: nothing changes.
    expect(await setTargetDeadline("officials-proficient", 2031, "2031-06-30")).toBe(false);
    expect(await db().selectFrom("indicator_target").select("year").where("indicator_id", "=", "officials-proficient").execute()).toEqual([{ year: 2026 }]);
    // 1 October → 30 November 2026: 30 (to 31 October) + 30 = 60 days.
    expect(await deadlineFor(officials, null, "2026-10-01")).toEqual({
      date: "2026-11-30",
      label: "30/11/2026",
      daysLeft: 60,
      source: "target",
      targetYear: 2026,
    });
    // In 2027 the 2026 target is still the last one: 30 November 2026 is 31 (to 31 December) + 10 = 41 days before 10 January 2027.
    expect(await deadlineFor(officials, null, "2027-01-10")).toMatchObject({ date: "2026-11-30", daysLeft: -41, targetYear: 2026 });

    // Adults: the 2030 target has no stored day, so 31/12/2030.
    const adults = await indicator("adults-skilled");
    expect(await deadlineFor(adults, null, "2030-12-01")).toEqual({
      date: "2030-12-31",
      label: "31/12/2030",
      daysLeft: 30,
      source: "target",
      targetYear: 2030,
    });

    // Two targets (a later 2030 one with no stored row): today's year picks the first at or after it.
    const twoTargets = { ...officials, targets: [...officials.targets, { year: 2030, percent: 95 }] };
    expect(await deadlineFor(twoTargets, null, "2026-10-01")).toMatchObject({ date: "2026-11-30", targetYear: 2026 });
    // 1 January 2027 → 31 December 2030: 365 + 366 (2028) + 365 + 365 − 1 = 1,460 days.
    expect(await deadlineFor(twoTargets, null, "2027-01-01")).toEqual({
      date: "2030-12-31",
      label: "31/12/2030",
      daysLeft: 1460,
      source: "target",
      targetYear: 2030,
    });

    // An indicator with no target: no deadline, unless the agency has its own day.
    const noTarget = { ...officials, targets: [] };
    expect(await deadlineFor(noTarget, null, "2026-03-01")).toBeNull();
    expect(await deadlineFor(noTarget, "STC", "2026-03-01")).toBeNull();
    await setAgencyDeadline("officials-proficient", "STC", "2026-04-01", "admin-1");
    expect(await deadlineFor(noTarget, "STC", "2026-03-01")).toEqual({
      date: "2026-04-01",
      label: "01/04/2026",
      daysLeft: 31,
      source: "agency",
      targetYear: null,
    });
    await setAgencyDeadline("officials-proficient", "STC", null, "admin-1");
  });

  it("the administrator's list: officials' indicators only, each target's day, and agencies in name order", async () => {
    const { listDeadlines, setAgencyDeadline, setTargetDeadline, db } = await m();
    await setTargetDeadline("officials-proficient", 2026, "2026-11-30");
    // Sở Tài chính is set first; Sở Nội vụ still comes first by name ("so noi vu" < "so tai chinh").
    await setAgencyDeadline("officials-proficient", "STC", "2026-09-01", "admin-1");
    await setAgencyDeadline("officials-proficient", "SNV", "2026-06-30", "admin-1");
    const list = await listDeadlines();
    expect(list.map((i) => i.id)).toEqual(["officials-proficient"]);
    expect(list[0]).toEqual({
      id: "officials-proficient",
      name: "Cán bộ, công chức, viên chức thành thạo kỹ năng số",
      targets: [{ year: 2026, percent: 85, deadline: "30/11/2026" }],
      agencies: [
        { code: "SNV", name: "Sở Nội vụ", deadline: "30/06/2026" },
        { code: "STC", name: "Sở Tài chính", deadline: "01/09/2026" },
      ],
    });
    // An agency date stored for another indicator is not listed under the officials' one.
    await setAgencyDeadline("adults-skilled", "UBND-25459", "2026-05-01", "admin-1");
    expect((await listDeadlines())[0].agencies.map((a) => a.code)).toEqual(["SNV", "STC"]);
    await setAgencyDeadline("adults-skilled", "UBND-25459", null, "admin-1");
    // A target whose day was never stored shows 31/12 of its year.
    await db().updateTable("indicator_target").set({ deadline: null }).where("indicator_id", "=", "officials-proficient").execute();
    expect((await listDeadlines())[0].targets).toEqual([{ year: 2026, percent: 85, deadline: "31/12/2026" }]);
    expect(await (await m()).deadlineFor(await indicator("officials-proficient"), null, "2026-12-01")).toMatchObject({ date: "2026-12-31", daysLeft: 30 });
  });
});
