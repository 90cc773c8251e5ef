import { beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// The report pages' numbers: periods, targets, percentages, filters, the monthly trend and the CSV/JSON
// exports, on a real SQLite file. Every expected figure is worked out by hand in the comments from the data
// set up below. Fixture content: "lam-quen" is the adult-basic set, "thu-hai" the official-required set.
// Targets (migration 0003): officials 85 % by 2026, adults 90 % by 2030.

const ROSTER = [
  "personnel_code,full_name,birth_year,agency_code,commune_code,status",
  "SNV-1,Nguyễn Văn Một,1980,SNV,,active",
  "SNV-2,Trần Thị Hai,1985,SNV,,active",
  "UB-1,Lê Văn Ba,1975,UBND-25459,25459,active",
  "UB-2,Phạm Thị Bốn,1990,UBND-25459,25459,active",
].join("\n");

// Adults: Phường Tân Ninh (25459) has 50 adults in 2025 and 80 in 2026; Xã Tân Biên (25486) 30 in 2026.
const POPULATION = "commune_code,year,adult_population\n25459,2025,50\n25459,2026,80\n25486,2026,30\n";

async function m() {
  return {
    ...(await import("~/reports/report.server")),
    ...(await import("~/reports/indicators.server")),
    ...(await import("~/reports/exports.server")),
    ...(await import("~/reports/imports.server")),
    db: (await import("~/db.server")).db,
  };
}

beforeAll(async () => {
  await useTempDatabase();
  const { importCsv, db } = await m();
  expect(await importCsv("population", POPULATION, "pop.csv", null)).toMatchObject({ ok: true });
  expect(await importCsv("roster", ROSTER, "roster.csv", null)).toMatchObject({ ok: true, changed: 4 });
  // Adults: A (25459) in June 2025, B (25459) in February 2026, C (25486) in March 2026.
  await completeAt(await makePerson({ birthYear: 1980, communeCode: "25459" }), "lam-quen", "2025-06-15T05:00:00.000Z");
  await completeAt(await makePerson({ birthYear: 1990, communeCode: "25459" }), "lam-quen", "2026-02-10T05:00:00.000Z");
  await completeAt(await makePerson({ birthYear: 1970, communeCode: "25486" }), "lam-quen", "2026-03-05T05:00:00.000Z");
  // Officials: SNV-1 in January 2026, UB-1 in April 2026; SNV-2 and UB-2 have not finished.
  const snv1 = await makePerson({ kind: "official", birthYear: 1980, fullName: "Nguyễn Văn Một" });
  const ub1 = await makePerson({ kind: "official", birthYear: 1975, fullName: "Lê Văn Ba" });
  await db().updateTable("person").set({ personnel_code: "SNV-1", agency_code: "SNV" }).where("id", "=", snv1).execute();
  await db().updateTable("person").set({ personnel_code: "UB-1", agency_code: "UBND-25459" }).where("id", "=", ub1).execute();
  await completeAt(snv1, "thu-hai", "2026-01-20T05:00:00.000Z");
  await completeAt(ub1, "thu-hai", "2026-04-10T05:00:00.000Z");
}, 120_000);

async function reportFor(period: string, filter = {}) {
  const { provinceReport, parsePeriod } = await m();
  const reports = await provinceReport(parsePeriod(period)!, filter);
  return { officials: reports.find((r) => r.id === "officials-proficient")!, adults: reports.find((r) => r.id === "adults-skilled")! };
}

describe("periods", () => {
  it("a year runs to its December, a month to itself; 2020–2100 only; blank means this year", async () => {
    const { parsePeriod } = await m();
    expect(parsePeriod(" 2030 ")).toEqual({ label: "2030", endMonth: "2030-12", year: 2030 });
    expect(parsePeriod("2020")).toEqual({ label: "2020", endMonth: "2020-12", year: 2020 });
    expect(parsePeriod("2100")).toEqual({ label: "2100", endMonth: "2100-12", year: 2100 });
    expect(parsePeriod("2020-01")).toEqual({ label: "2020-01", endMonth: "2020-01", year: 2020 });
    expect(parsePeriod("2100-12")).toEqual({ label: "2100-12", endMonth: "2100-12", year: 2100 });
    expect(parsePeriod("2026-10")).toEqual({ label: "2026-10", endMonth: "2026-10", year: 2026 });
    for (const bad of ["2019", "2101", "2019-12", "2101-01", "2026-00", "x2026", "2026x", "2026-03x", "x2026-03"]) expect(parsePeriod(bad)).toBeNull();
    const may2027 = new Date("2027-05-20T00:00:00Z");
    expect(parsePeriod(null, may2027)).toEqual({ label: "2027", endMonth: "2027-12", year: 2027 });
    expect(parsePeriod("   ", may2027)).toEqual({ label: "2027", endMonth: "2027-12", year: 2027 });
    expect(parsePeriod(undefined, may2027)?.year).toBe(2027);
  });

  it("the target of a period is the first target year at or after it, else the last one", async () => {
    const { targetFor } = await m();
    const indicator = {
      targets: [
        { year: 2026, percent: 50 },
        { year: 2030, percent: 90 },
      ],
    } as Parameters<typeof targetFor>[0];
    expect(targetFor(indicator, 2025)).toEqual({ year: 2026, percent: 50 });
    expect(targetFor(indicator, 2026)).toEqual({ year: 2026, percent: 50 });
    expect(targetFor(indicator, 2027)).toEqual({ year: 2030, percent: 90 });
    expect(targetFor(indicator, 2031)).toEqual({ year: 2030, percent: 90 });
    expect(targetFor({ ...indicator, targets: [] }, 2026)).toBeNull();
  });
});

describe("the province report", () => {
  it("2026: numerators, denominators, percentages to one decimal and gaps, at every level", async () => {
    const { officials, adults } = await reportFor("2026");
    // Adults: 25459 has A and B of 80 (2.5 %); 25486 has C of 30 (3.33… → 3.3 %); province 3 of 110 (2.72… → 2.7 %).
    expect(adults.province).toEqual({ level: "province", code: "80", name: "Tỉnh Tây Ninh", numerator: 3, denominator: 110, percent: 2.7, gap: 87.3 });
    expect(adults.communes.find((c) => c.code === "25459")).toEqual({
      level: "commune",
      code: "25459",
      name: "Phường Tân Ninh",
      numerator: 2,
      denominator: 80,
      percent: 2.5,
      gap: 87.5,
    });
    expect(adults.communes.find((c) => c.code === "25486")).toEqual({
      level: "commune",
      code: "25486",
      name: "Xã Tân Biên",
      numerator: 1,
      denominator: 30,
      percent: 3.3,
      gap: 86.7,
    });
    expect(adults.communes.find((c) => c.code === "25480")).toMatchObject({ numerator: 0, denominator: 0, percent: null, gap: null });
    expect(adults.communes).toHaveLength(96);
    expect(adults.agencies).toEqual([]);
    expect(adults).toMatchObject({
      name: "Người trưởng thành có kỹ năng số cơ bản",
      population: "adults",
      courses: ["lam-quen"],
      targetPercent: 90,
      targetYear: 2030,
      period: "2026",
    });
    // Officials: 4 active; SNV-1 and UB-1 finished in 2026 (50 %, 35 points short of 85 %).
    expect(officials.province).toMatchObject({ numerator: 2, denominator: 4, percent: 50, gap: 35 });
    expect(officials.agencies.find((a) => a.code === "SNV")).toEqual({
      level: "agency",
      code: "SNV",
      name: "Sở Nội vụ",
      numerator: 1,
      denominator: 2,
      percent: 50,
      gap: 35,
    });
    expect(officials.agencies.find((a) => a.code === "UBND-25459")).toMatchObject({ numerator: 1, denominator: 2 });
    expect(officials.agencies.find((a) => a.code === "STC")).toMatchObject({ numerator: 0, denominator: 0, percent: null });
    expect(officials.communes.find((c) => c.code === "25459")).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
    expect(officials).toMatchObject({ population: "officials", courses: ["thu-hai"], targetPercent: 85, targetYear: 2026 });
  });

  it("as of March 2026 only what was finished by then counts; in 2025 the 2025 population is used", async () => {
    const march = await reportFor("2026-03");
    expect(march.officials.province).toMatchObject({ numerator: 1, denominator: 4, percent: 25, gap: 60 });
    expect(march.adults.province).toMatchObject({ numerator: 3, denominator: 110 });
    const feb = await reportFor("2026-02");
    expect(feb.adults.province).toMatchObject({ numerator: 2, denominator: 110, percent: 1.8 });
    const y2025 = await reportFor("2025");
    // 2025: only A (of 50 in 25459); 25486 has no figure for 2025 or earlier.
    expect(y2025.adults.province).toMatchObject({ numerator: 1, denominator: 50, percent: 2, gap: 88 });
    expect(y2025.adults.communes.find((c) => c.code === "25486")).toMatchObject({ numerator: 0, denominator: 0, percent: null });
    expect(y2025.officials).toMatchObject({ targetPercent: 85, targetYear: 2026 });
    expect(y2025.officials.province).toMatchObject({ numerator: 0, denominator: 4, percent: 0, gap: 85 });
  });

  it("past the last target year, the last target still applies", async () => {
    const later = await reportFor("2031");
    expect(later.adults).toMatchObject({ targetPercent: 90, targetYear: 2030 });
    expect(later.officials).toMatchObject({ targetPercent: 85, targetYear: 2026 });
    expect(later.adults.province).toMatchObject({ numerator: 3, denominator: 110 });
  });

  it("the report holds each indicator once, in the catalogue's order, and nothing else", async () => {
    const { provinceReport, parsePeriod, listIndicators } = await m();
    const reports = await provinceReport(parsePeriod("2026")!);
    // The catalogue starts with these two; a shared PostgreSQL database may hold further indicators.
    const catalogue = (await listIndicators()).map((i) => i.id);
    expect(catalogue.slice(0, 2)).toEqual(["officials-proficient", "adults-skilled"]);
    expect(reports.map((r) => r.id)).toEqual(catalogue);
  });

  it("an indicator with no target yet shows its percentages with no target and no gap", async () => {
    const { provinceReport, readReportData, parsePeriod } = await m();
    const period = parsePeriod("2026")!;
    const data = await readReportData(period);
    data.indicators = data.indicators.map((i) => (i.id === "adults-skilled" ? { ...i, targets: [] } : i));
    const report = (await provinceReport(period, {}, data)).find((r) => r.id === "adults-skilled")!;
    expect(report).toMatchObject({ targetPercent: null, targetYear: null });
    // 3 of 110 adults: 2.7 %, and no target to measure a gap against.
    expect(report.province).toMatchObject({ numerator: 3, denominator: 110, percent: 2.7, gap: null });
    expect(report.communes.find((c) => c.code === "25486")).toMatchObject({ numerator: 1, denominator: 30, percent: 3.3, gap: null });
  });

  it("narrowed to a commune, to an agency, or to both", async () => {
    const commune = await reportFor("2026", { commune: "25459" });
    expect(commune.adults.communes.map((c) => c.code)).toEqual(["25459"]);
    expect(commune.officials.communes.map((c) => [c.code, c.numerator, c.denominator])).toEqual([["25459", 1, 2]]);
    expect(commune.officials.agencies).toEqual([]);
    // The province row stays whole: it is the reference the commune is compared with.
    expect(commune.adults.province.numerator).toBe(3);
    const agency = await reportFor("2026", { agency: "SNV" });
    expect(agency.officials.agencies.map((a) => a.code)).toEqual(["SNV"]);
    expect(agency.officials.communes).toEqual([]);
    expect(agency.adults.communes).toEqual([]);
    const both = await reportFor("2026", { commune: "25459", agency: "UBND-25459" });
    expect(both.officials.agencies.map((a) => a.code)).toEqual(["UBND-25459"]);
    expect(both.officials.communes.map((c) => c.code)).toEqual(["25459"]);
  });

  it("a roster import that adds an active official raises the denominator on the next report", async () => {
    const { importCsv } = await m();
    expect((await reportFor("2026")).officials.province.denominator).toBe(4);
    await importCsv("roster", `${ROSTER}\nSTC-1,Võ Văn Năm,1982,STC,,active`, "roster-2.csv", null);
    const after = await reportFor("2026");
    expect(after.officials.province).toMatchObject({ numerator: 2, denominator: 5, percent: 40, gap: 45 });
    expect(after.officials.agencies.find((a) => a.code === "STC")).toMatchObject({ numerator: 0, denominator: 1, percent: 0 });
    await importCsv("roster", `${ROSTER}\nSTC-1,Võ Văn Năm,1982,STC,,left`, "roster-3.csv", null);
    expect((await reportFor("2026")).officials.province.denominator).toBe(4);
  });
});

describe("adults' denominators", () => {
  it("a figure for an earlier year imported later does not replace the latest one", async () => {
    const { importCsv } = await m();
    // 2024: 40 adults in Phường Tân Ninh, imported after the 2025 and 2026 figures.
    expect(await importCsv("population", `${POPULATION}25459,2024,40\n`, "pop-2024.csv", null)).toMatchObject({ ok: true });
    // 2026 still uses 80 + 30 = 110, 2025 still 50; only 2024 and earlier use 40 (nobody had finished by then).
    expect((await reportFor("2026")).adults.province).toMatchObject({ numerator: 3, denominator: 110 });
    expect((await reportFor("2025")).adults.communes.find((c) => c.code === "25459")).toMatchObject({ numerator: 1, denominator: 50, percent: 2 });
    expect((await reportFor("2024")).adults.province).toMatchObject({ numerator: 0, denominator: 40, percent: 0 });
  });
});

describe("the monthly trend", () => {
  it("covers the 12 months ending with the period, across the new year, with each year's own denominator", async () => {
    const { monthlyTrend, listIndicators, parsePeriod } = await m();
    const adults = (await listIndicators()).find((i) => i.id === "adults-skilled")!;
    const trend = await monthlyTrend(adults, parsePeriod("2026-03")!);
    expect(trend.map((p) => p.month)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    // Cumulative: A from June 2025 (of 50), B from February 2026 and C from March (of 110).
    expect(trend.map((p) => [p.numerator, p.denominator, p.percent])).toEqual([
      [0, 50, 0],
      [0, 50, 0],
      [1, 50, 2],
      [1, 50, 2],
      [1, 50, 2],
      [1, 50, 2],
      [1, 50, 2],
      [1, 50, 2],
      [1, 50, 2],
      [1, 110, 0.9],
      [2, 110, 1.8],
      [3, 110, 2.7],
    ]);
    const year = await monthlyTrend(adults, parsePeriod("2026")!);
    expect(year[0].month).toBe("2026-01");
    expect(year.at(-1)).toEqual({ month: "2026-12", numerator: 3, denominator: 110, percent: 2.7 });
  });

  it("for one commune or one agency, the numerator and denominator are theirs", async () => {
    const { monthlyTrend, listIndicators, parsePeriod } = await m();
    const [officials, adults] = ["officials-proficient", "adults-skilled"].map((id) => listIndicators().then((all) => all.find((i) => i.id === id)!));
    const tanBien = await monthlyTrend(await adults, parsePeriod("2026-03")!, { commune: "25486" });
    expect(tanBien.at(-1)).toEqual({ month: "2026-03", numerator: 1, denominator: 30, percent: 3.3 });
    expect(tanBien.at(-2)).toEqual({ month: "2026-02", numerator: 0, denominator: 30, percent: 0 });
    expect(tanBien[0]).toEqual({ month: "2025-04", numerator: 0, denominator: 0, percent: null });
    const snv = await monthlyTrend(await officials, parsePeriod("2026-04")!, { agency: "SNV" });
    expect(snv.map((p) => p.numerator)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(snv.at(-1)).toEqual({ month: "2026-04", numerator: 1, denominator: 2, percent: 50 });
    const all = await monthlyTrend(await officials, parsePeriod("2026-04")!);
    expect(all.slice(-4).map((p) => p.numerator)).toEqual([1, 1, 1, 2]);
  });
});

describe("the report page's one read", () => {
  it("each indicator's figures with its own 12-month trend, narrowed the same way", async () => {
    const { reportWithTrends, listIndicators, parsePeriod } = await m();
    const reports = await reportWithTrends(parsePeriod("2026-03")!, { commune: "25486" });
    expect(reports.map((r) => r.id)).toEqual((await listIndicators()).map((i) => i.id));
    for (const r of reports) expect(r.trend).toHaveLength(12);
    const adults = reports.find((r) => r.id === "adults-skilled")!;
    // Xã Tân Biên: C finished in March 2026, of 30 adults (3.3 %); nothing before; no 2025 population figure.
    expect(adults.communes).toEqual([{ level: "commune", code: "25486", name: "Xã Tân Biên", numerator: 1, denominator: 30, percent: 3.3, gap: 86.7 }]);
    expect(adults.trend.at(-1)).toEqual({ month: "2026-03", numerator: 1, denominator: 30, percent: 3.3 });
    expect(adults.trend.at(-2)).toEqual({ month: "2026-02", numerator: 0, denominator: 30, percent: 0 });
    expect(adults.trend[0]).toEqual({ month: "2025-04", numerator: 0, denominator: 0, percent: null });
    // No official works in Xã Tân Biên: no numerator, no denominator, in the figures and in every month.
    const officials = reports.find((r) => r.id === "officials-proficient")!;
    expect(officials.communes).toEqual([{ level: "commune", code: "25486", name: "Xã Tân Biên", numerator: 0, denominator: 0, percent: null, gap: null }]);
    expect(officials.trend.every((p) => p.numerator === 0 && p.denominator === 0 && p.percent === null)).toBe(true);
    // Sở Nội vụ: SNV-1 from January 2026, of 2 officials.
    const snv = (await reportWithTrends(parsePeriod("2026-03")!, { agency: "SNV" })).find((r) => r.id === "officials-proficient")!;
    expect(snv.agencies.map((a) => [a.code, a.numerator, a.denominator, a.percent])).toEqual([["SNV", 1, 2, 50]]);
    expect(snv.trend.map((p) => p.numerator)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(snv.trend.at(-1)).toEqual({ month: "2026-03", numerator: 1, denominator: 2, percent: 50 });
  });
});

describe("exports", () => {
  it("the CSV has a BOM, CRLF lines, one row per level in order, and blank cells for no percentage", async () => {
    const { reportCsv } = await m();
    const { adults } = await reportFor("2026", { commune: "25486" });
    const csv = reportCsv([adults], { province: true });
    expect(csv.startsWith("\uFEFFindicator,level,code,name,numerator,denominator,percent,target_percent,period\r\n")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "indicator,level,code,name,numerator,denominator,percent,target_percent,period",
      "adults-skilled,province,80,Tỉnh Tây Ninh,3,110,2.7,90,2026",
      "adults-skilled,commune,25486,Xã Tân Biên,1,30,3.3,90,2026",
      "",
    ]);
    const { officials } = await reportFor("2026", { agency: "STC" });
    expect(reportCsv([officials], { province: false }).slice(1).split("\r\n").slice(1)).toEqual([
      "officials-proficient,agency,STC,Sở Tài chính,0,0,,85,2026",
      "",
    ]);
  });

  it("the CSV for people has Vietnamese headers, indicator names and level words, with the same figures", async () => {
    const { reportCsvForPeople } = await m();
    const { adults } = await reportFor("2026", { commune: "25486" });
    const { officials } = await reportFor("2026", { agency: "SNV" });
    const csv = reportCsvForPeople([adults, officials], { province: true });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "Chỉ tiêu,Cấp,Mã,Tên,Số đã đạt,Tổng số,Tỉ lệ (%),Mục tiêu (%),Kỳ báo cáo",
      "Người trưởng thành có kỹ năng số cơ bản,Toàn tỉnh,80,Tỉnh Tây Ninh,3,110,2.7,90,2026",
      "Người trưởng thành có kỹ năng số cơ bản,Xã/phường,25486,Xã Tân Biên,1,30,3.3,90,2026",
      '"Cán bộ, công chức, viên chức thành thạo kỹ năng số",Toàn tỉnh,80,Tỉnh Tây Ninh,2,4,50,85,2026',
      '"Cán bộ, công chức, viên chức thành thạo kỹ năng số","Cơ quan, đơn vị",SNV,Sở Nội vụ,1,2,50,85,2026',
      "",
    ]);
    // Without the province line (a commune or agency officer's download), only their own rows.
    expect(reportCsvForPeople([officials], { province: false }).slice(1).split("\r\n").slice(1)).toEqual([
      '"Cán bộ, công chức, viên chức thành thạo kỹ năng số","Cơ quan, đơn vị",SNV,Sở Nội vụ,1,2,50,85,2026',
      "",
    ]);
  });

  it("a name a spreadsheet would run as a formula starts with an apostrophe; a missing target is blank", async () => {
    const { reportCsv } = await m();
    const row = (name: string) => ({ level: "commune" as const, code: "1", name, numerator: 1, denominator: 2, percent: 50, gap: null });
    const report = {
      id: "x",
      name: "x",
      population: "adults" as const,
      courses: [],
      targetPercent: null,
      targetYear: null,
      period: "2026",
      province: row("P"),
      communes: ["=1+1", "+A", "-B", "@C", "\tD", "\rE", "F=1", "Xã An"].map(row),
      agencies: [],
    };
    const names = reportCsv([report], { province: false }).slice(1).split("\r\n").slice(1, -1);
    expect(names).toEqual([
      "x,commune,1,'=1+1,1,2,50,,2026",
      "x,commune,1,'+A,1,2,50,,2026",
      "x,commune,1,'-B,1,2,50,,2026",
      "x,commune,1,'@C,1,2,50,,2026",
      "x,commune,1,'\tD,1,2,50,,2026",
      "x,commune,1,'\rE,1,2,50,,2026",
      "x,commune,1,F=1,1,2,50,,2026",
      "x,commune,1,Xã An,1,2,50,,2026",
    ]);
  });

  it("the JSON for the operations centre has the period, a timestamp and every level's figures", async () => {
    const { reportJson } = await m();
    const { officials } = await reportFor("2026", { agency: "SNV" });
    const before = Date.now();
    const json = reportJson([officials], "2026");
    expect(Date.parse(json.generated_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(json).toEqual({
      period: "2026",
      generated_at: json.generated_at,
      indicators: [
        {
          id: "officials-proficient",
          name: "Cán bộ, công chức, viên chức thành thạo kỹ năng số",
          population: "officials",
          courses: ["thu-hai"],
          target_percent: 85,
          target_year: 2026,
          province: { code: "80", name: "Tỉnh Tây Ninh", numerator: 2, denominator: 4, percent: 50 },
          communes: [],
          agencies: [{ code: "SNV", name: "Sở Nội vụ", numerator: 1, denominator: 2, percent: 50 }],
        },
      ],
    });
  });
});
