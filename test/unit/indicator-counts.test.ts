import { beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// The counts the app keeps at completion time (countCompletion, releasePerson), checked against numbers
// written by hand and against a recomputation written here in plain loops — never against the module's own
// checker alone (issue 14). Nothing in this file calls a report before reading indicator_count, because the
// first report rebuilds the counts with SQL and would hide a wrong incremental path.
// Fixture content: "lam-quen" is the adult-basic set, "thu-hai" the official-required set.

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return {
    ...(await import("~/reports/indicators.server")),
    ...(await import("~/reports/imports.server")),
    ...(await import("~/accounts/people.server")),
    db: (await import("~/db.server")).db,
  };
}

/** The stored counts as "indicator|agency|commune|month" → count, zero rows left out. */
async function stored(table: "indicator_count" | "retained_count" = "indicator_count"): Promise<Record<string, number>> {
  const { db } = await m();
  const rows = await db().selectFrom(table).selectAll().where("count", "!=", 0).execute();
  return Object.fromEntries(rows.map((r) => [`${r.indicator_id}|${r.agency_code}|${r.commune_code}|${r.month}`, r.count]));
}

/**
 * An independent recomputation from raw tables in plain loops: adults by commune and the later of the month
 * they finished the set and the January they turn 15; officials by the first account matching an active roster
 * entry on code, folded name and birth year. Retained counts of deleted adults are added back.
 */
async function recomputed(): Promise<Record<string, number>> {
  const { db } = await m();
  const people = await db().selectFrom("person").selectAll().execute();
  const progress = await db().selectFrom("course_progress").selectAll().where("completed_at", "is not", null).execute();
  const roster = await db().selectFrom("roster_official").selectAll().where("status", "=", "active").execute();
  const out: Record<string, number> = {};
  const add = (key: string, n = 1) => (out[key] = (out[key] ?? 0) + n);
  const finished = (personId: string, slug: string) => progress.find((p) => p.person_id === personId && p.course_slug === slug)?.completed_at?.slice(0, 7);
  for (const person of people) {
    const month = finished(person.id, "lam-quen");
    if (!month) continue;
    const fifteen = `${person.birth_year + 15}-01`;
    add(`adults-skilled||${person.commune_code}|${month > fifteen ? month : fifteen}`);
  }
  for (const entry of roster) {
    const claimants = people
      .filter((p) => p.personnel_code === entry.personnel_code && p.search_name === entry.search_name && p.birth_year === entry.birth_year)
      .sort((a, b) => (a.created_at + a.id < b.created_at + b.id ? -1 : 1));
    const month = claimants[0] && finished(claimants[0].id, "thu-hai");
    if (month) add(`officials-proficient|${entry.agency_code}|${entry.commune_code ?? ""}|${month}`);
  }
  for (const r of await db().selectFrom("retained_count").selectAll().execute())
    add(`${r.indicator_id}|${r.agency_code}|${r.commune_code}|${r.month}`, r.count);
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
}

async function official(code: string, fullName: string, birthYear: number) {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName, birthYear });
  await db().updateTable("person").set({ personnel_code: code }).where("id", "=", id).execute();
  return id;
}

describe("counts kept at completion time", () => {
  it("match hand-computed rows before any rebuild, then survive deletions as the rules say", async () => {
    const { importCsv, deletePerson, compareCounts } = await m();
    const roster = [
      "personnel_code,full_name,birth_year,agency_code,commune_code,status",
      "SNV-1,Nguyễn Văn Một,1980,SNV,,active",
      "UB-1,Phạm Thị Bốn,1975,UBND-25459,25459,active",
      "SNV-2,Trần Thị Hai,1985,SNV,,left",
    ].join("\n");
    expect(await importCsv("roster", roster, "roster.csv", null)).toMatchObject({ ok: true });

    const adult = await makePerson({ birthYear: 1990, communeCode: "25459" });
    const teen = await makePerson({ birthYear: 2012, communeCode: "25480" }); // turns 15 in 2027
    const minor = await makePerson({ birthYear: 2011, communeCode: "25480" }); // turns 15 in 2026, before finishing
    await completeAt(adult, "lam-quen", "2026-03-10T08:00:00.000Z");
    await completeAt(teen, "lam-quen", "2026-06-01T08:00:00.000Z");
    await completeAt(minor, "lam-quen", "2026-06-01T08:00:00.000Z");
    const one = await official("SNV-1", "Nguyễn Văn Một", 1980);
    const four = await official("UB-1", "Phạm Thị Bốn", 1975);
    const left = await official("SNV-2", "Trần Thị Hai", 1985);
    const stranger = await official("SNV-9", "Không Có Tên", 1980); // not on the roster
    await completeAt(one, "thu-hai", "2026-02-01T08:00:00.000Z");
    await completeAt(four, "thu-hai", "2026-05-01T08:00:00.000Z");
    await completeAt(left, "thu-hai", "2026-02-01T08:00:00.000Z");
    await completeAt(stranger, "thu-hai", "2026-02-01T08:00:00.000Z");

    const expected = {
      "adults-skilled||25459|2026-03": 1,
      "adults-skilled||25480|2027-01": 1, // counts from the January they turn 15
      "adults-skilled||25480|2026-06": 1,
      "officials-proficient|SNV||2026-02": 1,
      "officials-proficient|UBND-25459|25459|2026-05": 1,
    };
    expect(await stored()).toEqual(expected);
    expect(await recomputed()).toEqual(expected);

    // Deleting an official who counts takes them out of the count; deleting an adult keeps them as a retained
    // count (the province did train them).
    await deletePerson(one);
    await deletePerson(adult);
    const afterDeletion = {
      "adults-skilled||25459|2026-03": 1,
      "adults-skilled||25480|2027-01": 1,
      "adults-skilled||25480|2026-06": 1,
      "officials-proficient|UBND-25459|25459|2026-05": 1,
    };
    expect(await stored()).toEqual(afterDeletion);
    expect(await stored("retained_count")).toEqual({ "adults-skilled||25459|2026-03": 1 });
    expect(await recomputed()).toEqual(afterDeletion);
    // Deleting someone who never counted changes nothing.
    await deletePerson(stranger);
    await deletePerson(left);
    expect(await stored()).toEqual(afterDeletion);
    expect(await compareCounts()).toEqual([]);
  });

  it("the consistency check reports a drift, and a rebuild repairs it to the independent recomputation", async () => {
    const { db, compareCounts, rebuildCounts } = await m();
    const before = await recomputed();
    expect(Object.keys(before).length).toBeGreaterThan(0);
    await db().updateTable("indicator_count").set({ count: 7 }).where("month", "=", "2026-05").execute();
    await db()
      .insertInto("indicator_count")
      .values({ indicator_id: "adults-skilled", agency_code: "", commune_code: "25459", month: "2020-01", count: 2 })
      .execute();
    const differences = await compareCounts();
    expect(differences).toEqual(
      expect.arrayContaining([
        { indicator: "officials-proficient", key: "UBND-25459|25459|2026-05", stored: 7, computed: 1 },
        { indicator: "adults-skilled", key: "|25459|2020-01", stored: 2, computed: 0 },
      ]),
    );
    expect(differences).toHaveLength(2);
    await rebuildCounts();
    expect(await stored()).toEqual(before);
    expect(await compareCounts()).toEqual([]);
  });

  it("a report reads the stored counts and does not rebuild them when the content has not changed", async () => {
    const { db } = await m();
    const { provinceReport, parsePeriod } = await import("~/reports/report.server");
    await provinceReport(parsePeriod("2026")!); // first call: builds once for this content
    const builds = await db().selectFrom("indicator_build").selectAll().execute();
    await db().updateTable("indicator_count").set({ count: 40 }).where("month", "=", "2026-05").execute();
    const officials = (await provinceReport(parsePeriod("2026")!)).find((r) => r.id === "officials-proficient")!;
    expect(officials.province.numerator).toBe(40);
    expect(await db().selectFrom("indicator_build").selectAll().execute()).toEqual(builds);
    await (await m()).rebuildCounts(); // leave true counts for the tests below
  });

  it("an earlier account claiming a personnel code under another name does not take the official's place", async () => {
    const { importCsv, db } = await m();
    await importCsv("roster", "personnel_code,full_name,birth_year,agency_code,commune_code,status\nSTP-7,Đỗ Thị Bảy,1987,STP,,active\n", "r7.csv", null);
    const impostor = await official("STP-7", "Đỗ Thị Tám", 1987); // same code, another name
    const wrongYear = await official("STP-7", "Đỗ Thị Bảy", 1988); // same code and name, another birth year
    const real = await official("STP-7", "Đỗ Thị Bảy", 1987);
    await completeAt(impostor, "thu-hai", "2026-07-01T00:00:00.000Z");
    await completeAt(wrongYear, "thu-hai", "2026-07-01T00:00:00.000Z");
    expect((await stored())["officials-proficient|STP||2026-07"]).toBeUndefined();
    await completeAt(real, "thu-hai", "2026-08-01T00:00:00.000Z");
    expect((await stored())["officials-proficient|STP||2026-08"]).toBe(1);
    expect(await recomputed()).toEqual(await stored());
    expect(await db().selectFrom("indicator_count").select("count").where("month", "=", "2026-07").execute()).toEqual([]);
  });

  it("an indicator whose course set has no course yet counts no one, and deleting people still works", async () => {
    const { db, deletePerson } = await m();
    await db().insertInto("indicator").values({ id: "future-set", name: "Bộ chưa có khóa học", population: "adults", course_set: "chua-co" }).execute();
    const before = await stored();
    const person = await makePerson({ birthYear: 1980, communeCode: "25459" });
    await completeAt(person, "lam-quen", "2026-09-01T00:00:00.000Z");
    await deletePerson(person);
    const after = await stored();
    expect(Object.keys(after).filter((k) => k.startsWith("future-set"))).toEqual([]);
    expect(after["adults-skilled||25459|2026-09"]).toBe(1); // kept as a retained count
    expect(Object.keys(after).length).toBe(Object.keys(before).length + 1);
    await db().deleteFrom("indicator").where("id", "=", "future-set").execute();
  });
});
