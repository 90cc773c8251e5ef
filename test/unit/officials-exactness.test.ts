import { beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// Issue 17, items 5–7: counts that are exactly right. Expected numbers are written by hand. No test here reads a
// report before it has checked indicator_count, because the first report may rebuild the counts with SQL and
// would hide a wrong incremental path. Fixture content: "thu-hai" is the official-required set, "lam-quen" the
// adult-basic set.

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return {
    ...(await import("~/reports/indicators.server")),
    ...(await import("~/reports/imports.server")),
    ...(await import("~/reports/report.server")),
    ...(await import("~/accounts/people.server")),
    ...(await import("~/accounts/signup.server")),
    db: (await import("~/db.server")).db,
  };
}

const HEADER = "personnel_code,full_name,birth_year,agency_code,commune_code,status";

async function stored(indicator: string): Promise<Record<string, number>> {
  const { db } = await m();
  const rows = await db().selectFrom("indicator_count").selectAll().where("indicator_id", "=", indicator).where("count", "!=", 0).execute();
  return Object.fromEntries(rows.map((r) => [`${r.agency_code}|${r.commune_code}|${r.month}`, r.count]));
}

/** An official account holding a personnel code, written straight to the table as older data could hold it. */
async function legacyOfficial(code: string, fullName: string, birthYear: number) {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName, birthYear });
  await db().updateTable("person").set({ personnel_code: code, agency_code: "SNV" }).where("id", "=", id).execute();
  return id;
}

async function officialsValue(period: string, agency: string) {
  const { provinceReport, parsePeriod } = await m();
  const reports = await provinceReport(parsePeriod(period)!, { agency });
  const officials = reports.find((r) => r.id === "officials-proficient")!;
  return { province: officials.province, agency: officials.agencies[0] };
}

describe("one account per roster entry (item 6)", () => {
  it("two accounts on one entry, both finish, the first deletes itself: the entry still counts once, equal to a recomputation", async () => {
    const { importCsv, deletePerson, compareCounts } = await m();
    expect(await importCsv("roster", `${HEADER}\nDUP-1,Lê Văn Trùng,1980,SNV,,active\n`, "dup.csv", null)).toMatchObject({ ok: true });
    // Data from before the refusal existed: two accounts claim the same code, name and birth year.
    const first = await legacyOfficial("DUP-1", "Lê Văn Trùng", 1980);
    await new Promise((r) => setTimeout(r, 5)); // a later created_at: the second claimant
    const second = await legacyOfficial("DUP-1", "Le Van Trung", 1980); // typed without diacritics: same folded name
    await completeAt(first, "thu-hai", "2026-04-10T03:00:00.000Z");
    await completeAt(second, "thu-hai", "2026-05-10T03:00:00.000Z");
    // Only the first claimant counts, in April.
    expect(await stored("officials-proficient")).toEqual({ "SNV||2026-04": 1 });

    await deletePerson(first);
    // The second account did the work too: the entry now counts through it, in May — not zero, not two.
    expect(await stored("officials-proficient")).toEqual({ "SNV||2026-05": 1 });
    expect(await compareCounts()).toEqual([]);
    expect((await officialsValue("2026", "SNV")).agency).toMatchObject({ numerator: 1, denominator: 1, percent: 100 });

    await deletePerson(second);
    expect(await stored("officials-proficient")).toEqual({});
    expect(await compareCounts()).toEqual([]);
  });

  it("a second sign-up with the same personnel code, name and birth year is refused with a plain Vietnamese message", async () => {
    const { signUp, db, ROSTER_ENTRY_CLAIMED } = await m();
    const fields = {
      full_name: "Võ Thị Một Lần",
      password: "matkhau-123",
      password_confirm: "matkhau-123",
      birth_year: "1982",
      commune: "Tân Ninh",
      consent: "yes",
      agency_code: "SNV",
      personnel_code: "once-1",
    };
    expect(await signUp("official", { ...fields, username: "motlan1" }, "10.0.0.1")).toMatchObject({ ok: true });
    const again = await signUp("official", { ...fields, full_name: "Vo Thi Mot Lan", username: "motlan2" }, "10.0.0.1");
    expect(again).toMatchObject({ ok: false, errors: { personnel_code: ROSTER_ENTRY_CLAIMED } });
    // The words themselves, not only the module's own constant: who to ask, and that this is not their error.
    expect(again.ok ? "" : again.errors.personnel_code).toMatch(
      /^Đã có một tài khoản khác với cùng mã cán bộ, họ tên và năm sinh này\. Mỗi cán bộ chỉ có một tài khoản: .*cán bộ phụ trách đào tạo của cơ quan\.$/,
    );
    const holders = await db().selectFrom("person").select("username").where("personnel_code", "=", "ONCE-1").execute();
    expect(holders.map((h) => h.username)).toEqual(["motlan1"]);
    // Someone else with another birth year may use the code: their own entry decides whether they count.
    expect(await signUp("official", { ...fields, birth_year: "1990", username: "motlan3" }, "10.0.0.1")).toMatchObject({ ok: true });
  });
});

describe("months in Vietnam time (item 7)", () => {
  it("00:30 on 1 March and 23:30 on 31 March, Vietnam time, both count in March", async () => {
    const { importCsv, compareCounts } = await m();
    await importCsv("roster", `${HEADER}\nVN-1,Trần Văn Sớm,1981,SKHCN,,active\nVN-2,Trần Văn Muộn,1982,SKHCN,,active\n`, "vn.csv", null);
    const early = await legacyOfficial("VN-1", "Trần Văn Sớm", 1981);
    const late = await legacyOfficial("VN-2", "Trần Văn Muộn", 1982);
    await completeAt(early, "thu-hai", "2026-02-28T17:30:00.000Z"); // 00:30 on 01/03/2026 in Tây Ninh
    await completeAt(late, "thu-hai", "2026-03-31T16:30:00.000Z"); // 23:30 on 31/03/2026 in Tây Ninh
    const adult = await makePerson({ birthYear: 1970, communeCode: "25480" });
    await completeAt(adult, "lam-quen", "2026-02-28T17:30:00.000Z");
    expect(await stored("officials-proficient")).toMatchObject({ "SKHCN||2026-03": 2 });
    expect(await stored("adults-skilled")).toEqual({ "|25480|2026-03": 1 });
    expect(await compareCounts()).toEqual([]);
    expect((await officialsValue("2026-02", "SKHCN")).agency).toMatchObject({ numerator: 0, denominator: 2 });
    expect((await officialsValue("2026-03", "SKHCN")).agency).toMatchObject({ numerator: 2, denominator: 2 });
  });
});

describe("roster with history (item 5)", () => {
  it("a past period's denominator and numerator use the roster as it was; today's use the roster as it is", async () => {
    const { importCsv, compareCounts, db } = await m();
    // SXD starts with three officials; the first import's entries were there before any period.
    const roster = (c: string) => `${HEADER}\nHIS-A,Người A,1980,SXD,,active\nHIS-B,Người B,1981,SXD,,active\nHIS-C,Người C,1982,SXD,,${c}\n`;
    expect(await importCsv("roster", roster("active"), "his1.csv", null)).toMatchObject({ ok: true });
    const a = await legacyOfficial("HIS-A", "Người A", 1980);
    const c = await legacyOfficial("HIS-C", "Người C", 1982);
    await completeAt(a, "thu-hai", "2026-03-05T03:00:00.000Z");
    await completeAt(c, "thu-hai", "2026-04-05T03:00:00.000Z");
    // Today C leaves and D joins.
    expect(await importCsv("roster", `${roster("left")}HIS-D,Người D,1983,SXD,,active\n`, "his2.csv", null)).toMatchObject({ ok: true, changed: 2 });
    const { vietnamDate } = await import("~/ui/vietnam-time");
    const entries = await db()
      .selectFrom("roster_official")
      .select(["personnel_code", "joined_on", "left_on"])
      .where("agency_code", "=", "SXD")
      .orderBy("personnel_code")
      .execute();
    expect(entries).toEqual([
      { personnel_code: "HIS-A", joined_on: null, left_on: null },
      { personnel_code: "HIS-B", joined_on: null, left_on: null },
      { personnel_code: "HIS-C", joined_on: null, left_on: vietnamDate() },
      { personnel_code: "HIS-D", joined_on: vietnamDate(), left_on: null },
    ]);
    const thisMonth = vietnamDate().slice(0, 7);
    // C counts from April until the month they left, then −1 in that month.
    expect(await stored("officials-proficient")).toMatchObject({ "SXD||2026-03": 1, "SXD||2026-04": 1, [`SXD||${thisMonth}`]: -1 });
    expect(await compareCounts()).toEqual([]);
    // June 2026: A, B, C on the roster (D not yet); A and C done → 2/3.
    expect((await officialsValue("2026-06", "SXD")).agency).toMatchObject({ numerator: 2, denominator: 3 });
    // Now: A, B, D; only A done → 1/3.
    expect((await officialsValue(thisMonth, "SXD")).agency).toMatchObject({ numerator: 1, denominator: 3 });
  });
});

describe("full-list roster import (item 5)", () => {
  it("previews the officials who would leave, then marks them as left from today and moves the counts", async () => {
    const { importCsv, previewFullList, compareCounts, db } = await m();
    const { vietnamDate } = await import("~/ui/vietnam-time");
    const first = `${HEADER}\nFULL-1,Người Ở Lại,1980,STC,,active\nFULL-2,Người Vắng,1981,STC,,active\nFULL-3,Người Khác Sở,1982,SCT,,active\n`;
    expect(await importCsv("roster", first, "full1.csv", null)).toMatchObject({ ok: true });
    const absent = await legacyOfficial("FULL-2", "Người Vắng", 1981);
    await completeAt(absent, "thu-hai", "2026-06-10T03:00:00.000Z");
    expect(await stored("officials-proficient")).toMatchObject({ "STC||2026-06": 1 });

    // The new full list of STC only lists FULL-1: FULL-2 would leave; SCT's FULL-3 is not STC's to remove.
    const full = `${HEADER}\nFULL-1,Người Ở Lại,1980,STC,,active\n`;
    expect(await previewFullList(full)).toEqual({
      ok: true,
      rows: 1,
      leaving: [{ personnelCode: "FULL-2", fullName: "Người Vắng", agencyCode: "STC", agencyName: "Sở Tài chính" }],
    });
    // The preview wrote nothing.
    expect((await db().selectFrom("roster_official").select("status").where("personnel_code", "=", "FULL-2").executeTakeFirstOrThrow()).status).toBe("active");

    expect(await importCsv("roster", full, "full2.csv", null, { fullList: true })).toMatchObject({ ok: true });
    const entries = await db()
      .selectFrom("roster_official")
      .select(["personnel_code", "status", "left_on"])
      .where("personnel_code", "like", "FULL-%")
      .orderBy("personnel_code")
      .execute();
    expect(entries).toEqual([
      { personnel_code: "FULL-1", status: "active", left_on: null },
      { personnel_code: "FULL-2", status: "left", left_on: vietnamDate() },
      { personnel_code: "FULL-3", status: "active", left_on: null },
    ]);
    // FULL-2 still counts for June, and stops counting this month.
    expect(await stored("officials-proficient")).toMatchObject({ "STC||2026-06": 1, [`STC||${vietnamDate().slice(0, 7)}`]: -1 });
    expect(await compareCounts()).toEqual([]);
  });

  it("a confirmation applies what was previewed: a roster changed meanwhile shows the new list first; a second confirmation changes nothing", async () => {
    const { importCsv, startFullListImport, confirmFullListImport, cancelFullListImport, db } = await m();
    const admin = await makePerson({ kind: "citizen", fullName: "Quản Trị Viên", birthYear: 1975 });
    const status = async (code: string) =>
      (await db().selectFrom("roster_official").select("status").where("personnel_code", "=", code).executeTakeFirstOrThrow()).status;
    expect(await importCsv("roster", `${HEADER}\nPEND-1,Người Một,1980,STP,,active\nPEND-2,Người Hai,1981,STP,,active\n`, "p1.csv", null)).toMatchObject({
      ok: true,
    });

    const full = `${HEADER}\nPEND-1,Người Một,1980,STP,,active\n`;
    const preview = await startFullListImport(full, "day-du.csv", admin);
    expect(preview).toMatchObject({ ok: true, rows: 1, fileName: "day-du.csv", leaving: [{ personnelCode: "PEND-2" }] });
    // Meanwhile someone else adds PEND-3 to SCT: confirming must not remove a person the administrator never saw.
    expect(await importCsv("roster", `${HEADER}\nPEND-3,Người Ba,1982,STP,,active\n`, "p2.csv", null)).toMatchObject({ ok: true });
    const changed = await confirmFullListImport(preview.pendingId!, admin);
    expect(changed).toMatchObject({ status: "changed", preview: { ok: true, leaving: [{ personnelCode: "PEND-3" }, { personnelCode: "PEND-2" }] } }); // by name: Ba, Hai
    expect(await status("PEND-3")).toBe("active");

    expect(await confirmFullListImport(preview.pendingId!, admin)).toMatchObject({ status: "done", leaving: 2, result: { ok: true } });
    expect([await status("PEND-1"), await status("PEND-2"), await status("PEND-3")]).toEqual(["active", "left", "left"]);
    // A resent confirmation (double click, retried request) finds the preview used up.
    expect(await confirmFullListImport(preview.pendingId!, admin)).toEqual({ status: "gone" });

    // Cancelling writes nothing and uses the preview up too.
    const again = await startFullListImport(`${HEADER}\nPEND-2,Người Hai,1981,STP,,active\n`, "lai.csv", admin);
    expect(again).toMatchObject({ ok: true, leaving: [{ personnelCode: "PEND-1" }] });
    expect(await cancelFullListImport(again.pendingId!)).toBe(true);
    expect(await confirmFullListImport(again.pendingId!, admin)).toEqual({ status: "gone" });
    expect(await status("PEND-1")).toBe("active");
  });
});
