import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// Part 3 of issue 20: the confirmation export lists exactly the people behind the report's numerators, for the
// same period and scope; a citizen ID appears only for a learner who gave it with consent; a commune officer
// gets their own commune only. Fixture content: "lam-quen" is the adult-basic set, "thu-hai" the officials' set.

beforeAll(async () => {
  await useTempDatabase();
  const { importCsv } = await import("~/reports/imports.server");
  const roster = [
    "personnel_code,full_name,birth_year,agency_code,commune_code,status",
    "SNV-1,Nguyễn Văn Một,1980,SNV,,active",
    "UB-1,Phạm Thị Bốn,1975,UBND-25459,25459,active",
  ].join("\n");
  expect(await importCsv("roster", roster, "roster.csv", null)).toMatchObject({ ok: true });

  const { db } = await import("~/db.server");
  const official = async (code: string, fullName: string, birthYear: number) => {
    const id = await makePerson({ kind: "official", fullName, birthYear });
    await db().updateTable("person").set({ personnel_code: code }).where("id", "=", id).execute();
    return id;
  };
  await completeAt(await official("SNV-1", "Nguyễn Văn Một", 1980), "thu-hai", "2026-02-01T08:00:00.000Z");
  await completeAt(await official("UB-1", "Phạm Thị Bốn", 1975), "thu-hai", "2026-05-01T08:00:00.000Z");
  await completeAt(await official("SNV-9", "Không Có Tên", 1980), "thu-hai", "2026-02-01T08:00:00.000Z"); // not on the roster

  const consenting = await makePerson({ fullName: "Lê Thị Đồng Ý", birthYear: 1960, communeCode: "25459" });
  const { saveCitizenId } = await import("~/records/confirmations.server");
  await saveCitizenId(consenting, "072160001234");
  await completeAt(consenting, "lam-quen", "2026-03-10T08:00:00.000Z");
  await completeAt(await makePerson({ fullName: "Võ Văn Hai", birthYear: 1990, communeCode: "25459" }), "lam-quen", "2026-06-01T08:00:00.000Z");
  await completeAt(await makePerson({ fullName: "=CMD()", birthYear: 1985, communeCode: "25480" }), "lam-quen", "2026-03-20T08:00:00.000Z");
  await completeAt(await makePerson({ fullName: "Em Nhỏ", birthYear: 2012, communeCode: "25480" }), "lam-quen", "2026-06-01T08:00:00.000Z"); // 15 in 2027
  await completeAt(await makePerson({ fullName: "Sang Năm", birthYear: 1970, communeCode: "25459" }), "lam-quen", "2027-01-05T08:00:00.000Z");
  await makePerson({ fullName: "Chưa Học", communeCode: "25459" });
}, 120_000);

async function modules() {
  return { ...(await import("~/records/confirmations.server")), ...(await import("~/reports/report.server")) };
}

describe("confirmation export", () => {
  it("has exactly the report's numerator of people, per indicator, for the province and each commune, in every period", async () => {
    const m = await modules();
    for (const period of ["2026-02", "2026-03", "2026-05", "2026", "2027"]) {
      const reports = await m.provinceReport(m.parsePeriod(period)!);
      const rows = (await m.confirmations(period, { kind: "province" }))!;
      for (const report of reports) {
        const mine = rows.filter((r) => r.indicator === report.id);
        expect(mine.length, `${report.id} ${period}`).toBe(report.province.numerator);
        for (const commune of report.communes) {
          const inCommune = (await m.confirmations(period, { kind: "commune", code: commune.code }))!.filter((r) => r.indicator === report.id);
          expect(inCommune.length, `${report.id} ${period} ${commune.code}`).toBe(commune.numerator);
        }
      }
    }
    // And by hand: in March 2026, two adults (one per commune) and one official.
    const march = (await m.confirmations("2026-03", { kind: "province" }))!;
    expect(march.map((r) => [r.indicator, r.full_name]).sort()).toEqual([
      ["adults-skilled", "=CMD()"],
      ["adults-skilled", "Lê Thị Đồng Ý"],
      ["officials-proficient", "Nguyễn Văn Một"],
    ]);
  }, 120_000); // every period and commune against the report: slow on a busy machine

  it("carries identifiers, completion, certificate codes and competences; a citizen ID only with consent", async () => {
    const m = await modules();
    const rows = (await m.confirmations("2026", { kind: "province" }))!;
    const consenting = rows.find((r) => r.full_name === "Lê Thị Đồng Ý")!;
    expect(consenting).toMatchObject({
      birth_year: 1960,
      commune_code: "25459",
      citizen_id: "072160001234",
      personnel_code: null,
      completed_at: "2026-03-10T08:00:00.000Z",
    });
    expect(consenting.citizen_id_consented_at).toBeTruthy();
    expect(consenting.competences.map((c) => c.code)).toEqual(["1.1", "2.3"]);
    expect(rows.find((r) => r.full_name === "Võ Văn Hai")!.citizen_id).toBeNull();
    expect(rows.find((r) => r.full_name === "Phạm Thị Bốn")!.personnel_code).toBe("UB-1");

    const csv = m.confirmationsCsv(rows);
    expect(csv.startsWith("\uFEFFChỉ tiêu,Bộ khóa học,Họ và tên,Năm sinh,Mã xã/phường,Mã cán bộ,Số CCCD,")).toBe(true);
    expect(csv).toContain("072160001234");
    expect(csv.match(/072160001234/g)).toHaveLength(1);
    expect(csv).toContain("10/03/2026"); // Vietnam dates
    expect(csv).toContain("'=CMD()"); // never a spreadsheet formula
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(rows.length + 1);
  });

  it("after the learner withdraws the citizen ID, the export no longer has it", async () => {
    const m = await modules();
    const { db } = await import("~/db.server");
    const person = await db().selectFrom("person").select("id").where("full_name", "=", "Lê Thị Đồng Ý").executeTakeFirstOrThrow();
    await m.removeCitizenId(person.id);
    const rows = (await m.confirmations("2026", { kind: "province" }))!;
    expect(rows.find((r) => r.full_name === "Lê Thị Đồng Ý")!.citizen_id).toBeNull();
    expect(await m.confirmations("2026-13", { kind: "province" })).toBeNull();
    expect(await m.confirmations("", { kind: "province" })).toBeNull();
  });

  it("is for administrators (any scope) and commune officers (their own commune only)", async () => {
    const { allowedConfirmationScope, confirmationScopes } = await import("~/accounts/permissions.server");
    const user = (roles: SessionUser["roles"]): SessionUser => ({
      id: "x",
      sessionId: "s",
      username: "x",
      fullName: "X",
      kind: "citizen",
      communeCode: "25459",
      agencyCode: null,
      mustChangePassword: false,
      roles,
      supervisedBy: null,
    });
    const admin = user([{ role: "admin", scope: "" }]);
    const officer = user([{ role: "commune_officer", scope: "25459" }]);
    expect(allowedConfirmationScope(admin, null)).toEqual({ kind: "province" });
    expect(allowedConfirmationScope(admin, "25480")).toEqual({ kind: "commune", code: "25480" });
    expect(allowedConfirmationScope(officer, null)).toEqual({ kind: "commune", code: "25459" });
    expect(allowedConfirmationScope(officer, "25480")).toBeNull();
    expect(confirmationScopes(user([{ role: "trainer", scope: "" }]))).toEqual([]);
    expect(confirmationScopes(user([{ role: "agency_officer", scope: "SNV" }]))).toEqual([]);
  });
});
