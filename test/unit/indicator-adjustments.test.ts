import { beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// The paths that move stored indicator counts other than a plain completion (issue 14, tenth round): a roster
// entry claimed by a second account after the first is deleted, entries with a joining and a leaving date,
// moveDifferences, retained counts of deleted adults and the rebuild that finds them again, the service-use
// counts moving when a practice task changes the month, rebuildCounts(only), rebuildIndicator's 500-row chunks,
// rebuildIfStale and compareCounts. Every expectation is written out by hand, and the officials' counts are
// also checked against a recomputation written here in plain loops, never against the module's own checker.
// Each test uses its own months (2031 onwards) or agencies so the tests do not see each other's rows.
// Fixture content: "lam-quen" (health sector) is the adult-basic set, "thu-hai" the official-required set.

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return {
    ...(await import("~/reports/indicators.server")),
    ...(await import("~/accounts/people.server")),
    db: (await import("~/db.server")).db,
  };
}

const OFFICIALS = "officials-proficient";
const ADULTS = "adults-skilled";
const SERVICE_ANY = "adults-using-digital-services";
const SERVICE_CONFIRMED = "adults-using-digital-services-confirmed";

/** One indicator's stored rows as "agency|commune|month" → count, zero rows left out (a month prefix narrows it). */
async function stored(indicatorId: string, monthPrefix = "", table: "indicator_count" | "retained_count" = "indicator_count") {
  const { db } = await m();
  const rows = await db().selectFrom(table).selectAll().where("indicator_id", "=", indicatorId).where("count", "!=", 0).execute();
  return Object.fromEntries(rows.filter((r) => r.month.startsWith(monthPrefix)).map((r) => [`${r.agency_code}|${r.commune_code}|${r.month}`, Number(r.count)]));
}

/** Every stored row of one indicator and key, zero rows included (to see a row written with 0). */
async function rawRows(indicatorId: string, agency: string, month: string) {
  const { db } = await m();
  return db()
    .selectFrom("indicator_count")
    .select(["commune_code", "count"])
    .where("indicator_id", "=", indicatorId)
    .where("agency_code", "=", agency)
    .where("month", "=", month)
    .execute();
}

const vietnamMonthOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 7);

/**
 * The officials' rule recomputed in loops from the raw tables: an entry that is active, or has a leaving date,
 * counts through its first account (created_at, then id) with the same code, folded name and birth year, once
 * that account finished thu-hai: +1 from the later of that month and the joining month; an entry that left
 * after that month adds −1 in the month it left (and an entry that left before never counted).
 */
async function officialsRecomputed(monthPrefix = ""): Promise<Record<string, number>> {
  const { db } = await m();
  const people = await db().selectFrom("person").selectAll().execute();
  const progress = await db().selectFrom("course_progress").selectAll().where("course_slug", "=", "thu-hai").where("completed_at", "is not", null).execute();
  const out: Record<string, number> = {};
  const add = (key: string, n: number) => (out[key] = (out[key] ?? 0) + n);
  for (const entry of await db().selectFrom("roster_official").selectAll().execute()) {
    if (entry.status !== "active" && !entry.left_on) continue;
    const claimants = people
      .filter((p) => p.personnel_code === entry.personnel_code && p.search_name === entry.search_name && p.birth_year === entry.birth_year)
      .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
    const done = claimants[0] && progress.find((p) => p.person_id === claimants[0].id);
    if (!done) continue;
    const finished = vietnamMonthOf(done.completed_at!);
    const joined = entry.joined_on?.slice(0, 7) ?? "";
    const month = finished > joined ? finished : joined;
    const left = entry.left_on?.slice(0, 7);
    const where = `${entry.agency_code}|${entry.commune_code ?? ""}`;
    if (entry.status === "active") add(`${where}|${month}`, 1);
    else if (left && left > month) {
      add(`${where}|${month}`, 1);
      add(`${where}|${left}`, -1);
    }
  }
  return Object.fromEntries(Object.entries(out).filter(([key, n]) => n !== 0 && key.split("|")[2].startsWith(monthPrefix)));
}

type Entry = {
  code: string;
  name: string;
  birthYear: number;
  agency?: string;
  commune?: string | null;
  status?: "active" | "left";
  joined?: string;
  left?: string;
};

async function rosterEntry(e: Entry) {
  const { db } = await m();
  const { foldForSearch } = await import("~/text/folding");
  await db()
    .insertInto("roster_official")
    .values({
      personnel_code: e.code,
      full_name: e.name,
      search_name: foldForSearch(e.name),
      birth_year: e.birthYear,
      agency_code: e.agency ?? "SNV",
      commune_code: e.commune ?? null,
      status: e.status ?? "active",
      updated_at: "2031-01-01T00:00:00.000Z",
      joined_on: e.joined ?? null,
      left_on: e.left ?? null,
    })
    .execute();
}

/** An official's account claiming `code`, created at `createdAt` (the first account by creation claims the entry). */
async function official(code: string, name: string, birthYear: number, createdAt: string) {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName: name, birthYear });
  await db().updateTable("person").set({ personnel_code: code, created_at: createdAt }).where("id", "=", id).execute();
  return id;
}

async function indicatorById(id: string) {
  const { listIndicators } = await m();
  return (await listIndicators()).find((i) => i.id === id)!;
}

describe("officials: roster claims and history", () => {
  it("a second account takes over a deleted first claimant's entry, with joining and leaving months", async () => {
    const { deletePerson, officialCountedAt, db } = await m();
    await rosterEntry({ code: "ADJ-1", name: "Ngô Văn Một", birthYear: 1980 });
    await rosterEntry({
      code: "ADJ-2",
      name: "Ngô Thị Hai",
      birthYear: 1982,
      agency: "UBND-25459",
      commune: "25459",
      status: "left",
      joined: "2031-01-10",
      left: "2031-08-20",
    });
    await rosterEntry({ code: "ADJ-3", name: "Ngô Văn Ba", birthYear: 1984, joined: "2031-07-01" });
    const first = await official("ADJ-1", "Ngô Văn Một", 1980, "2030-01-01T00:00:00.000Z");
    const second = await official("ADJ-1", "Ngô Văn Một", 1980, "2030-02-01T00:00:00.000Z");
    const leaver = await official("ADJ-2", "Ngô Thị Hai", 1982, "2030-01-01T00:00:00.000Z");
    const leaverCopy = await official("ADJ-2", "Ngô Thị Hai", 1982, "2030-03-01T00:00:00.000Z");
    const joiner = await official("ADJ-3", "Ngô Văn Ba", 1984, "2030-01-01T00:00:00.000Z");
    const noCode = await makePerson({ kind: "official", fullName: "Ngô Văn Một", birthYear: 1980 });

    await completeAt(first, "thu-hai", "2031-03-05T08:00:00.000Z");
    await completeAt(second, "thu-hai", "2031-05-05T08:00:00.000Z"); // not the first claimant: nothing yet
    await completeAt(leaver, "thu-hai", "2031-04-05T08:00:00.000Z");
    await completeAt(leaverCopy, "thu-hai", "2031-06-05T08:00:00.000Z");
    await completeAt(joiner, "thu-hai", "2031-04-05T08:00:00.000Z"); // counts from the month it joined, July
    await completeAt(noCode, "thu-hai", "2031-03-05T08:00:00.000Z");
    const start = {
      "SNV||2031-03": 1,
      "UBND-25459|25459|2031-04": 1,
      "UBND-25459|25459|2031-08": -1, // left in August: a past period still counts the entry
      "SNV||2031-07": 1,
    };
    expect(await stored(OFFICIALS, "2031")).toEqual(start);
    expect(await officialsRecomputed("2031")).toEqual(start);
    // Officials finishing the adults' course too: an adult count each, and their officials' rows do not move.
    await completeAt(joiner, "lam-quen", "2031-11-05T08:00:00.000Z");
    await completeAt(leaver, "lam-quen", "2031-05-05T08:00:00.000Z");
    expect(await stored(OFFICIALS, "2031")).toEqual(start);
    expect(await stored(ADULTS, "2031")).toEqual({ "|25459|2031-05": 1, "|25459|2031-11": 1 });

    // Who counts at the end of a month (for the confirmation exports): the first claimant only, from its month.
    const officials = await indicatorById(OFFICIALS);
    expect(await officialCountedAt(db(), first, officials, "2031-02")).toBeUndefined();
    expect(await officialCountedAt(db(), first, officials, "2031-03")).toEqual({ agency: "SNV", commune: "", month: "2031-03" });
    expect(await officialCountedAt(db(), first, officials, "2031-12")).toEqual({ agency: "SNV", commune: "", month: "2031-03" });
    expect(await officialCountedAt(db(), second, officials, "2031-12")).toBeUndefined();
    expect(await officialCountedAt(db(), noCode, officials, "2031-12")).toBeUndefined();
    expect(await officialCountedAt(db(), leaver, officials, "2031-04")).toEqual({ agency: "UBND-25459", commune: "25459", month: "2031-04" });
    expect(await officialCountedAt(db(), leaver, officials, "2031-07")).toEqual({ agency: "UBND-25459", commune: "25459", month: "2031-04" });
    expect(await officialCountedAt(db(), leaver, officials, "2031-08")).toBeUndefined(); // had left by the end of August
    expect(await officialCountedAt(db(), joiner, officials, "2031-06")).toBeUndefined();
    expect(await officialCountedAt(db(), joiner, officials, "2031-07")).toEqual({ agency: "SNV", commune: "", month: "2031-07" });

    // The first claimants go: their entries count through the next accounts, from those accounts' months.
    await deletePerson(first);
    await deletePerson(leaver);
    const after = {
      "SNV||2031-05": 1,
      "UBND-25459|25459|2031-06": 1,
      "UBND-25459|25459|2031-08": -1,
      "SNV||2031-07": 1,
    };
    expect(await stored(OFFICIALS, "2031")).toEqual(after);
    expect(await officialsRecomputed("2031")).toEqual(after);
    // The deleted official's adult count stays (retained); the roster recount moves the officials' indicator only.
    expect(await stored(ADULTS, "2031")).toEqual({ "|25459|2031-05": 1, "|25459|2031-11": 1 });
    expect(await stored(ADULTS, "2031", "retained_count")).toEqual({ "|25459|2031-05": 1 });
    expect(await rawRows(OFFICIALS, "SNV", "2031-03")).toEqual([{ commune_code: "", count: 0 }]);
    expect(await officialCountedAt(db(), second, officials, "2031-05")).toEqual({ agency: "SNV", commune: "", month: "2031-05" });
    // Officials are not kept as retained counts.
    expect(await stored(OFFICIALS, "", "retained_count")).toEqual({});

    // The last account of an entry goes: the entry stops counting, its −1 goes with it.
    await deletePerson(leaverCopy);
    const end = { "SNV||2031-05": 1, "SNV||2031-07": 1 };
    expect(await stored(OFFICIALS, "2031")).toEqual(end);
    expect(await officialsRecomputed("2031")).toEqual(end);
  });

  it("recountRosterCodes runs the work once and returns its result, with no codes or no officials' indicator", async () => {
    const { recountRosterCodes, db } = await m();
    const before = await stored(OFFICIALS);
    let runs = 0;
    const result = await db()
      .transaction()
      .execute((trx) => recountRosterCodes(trx, [], async () => ((runs += 1), "xong")));
    expect(result).toBe("xong");
    expect(runs).toBe(1);
    // Without an officials' indicator (taken out inside a transaction that is then rolled back).
    const rolledBack = new Error("rollback");
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx.deleteFrom("indicator").where("population", "=", "officials").execute();
          expect(await recountRosterCodes(trx, ["ADJ-1"], async () => ((runs += 1), 42))).toBe(42);
          throw rolledBack;
        }),
    ).rejects.toBe(rolledBack);
    expect(runs).toBe(2);
    // A code with changes: the work's result comes back and the counts move.
    await rosterEntry({ code: "ADJ-9", name: "Lý Văn Chín", birthYear: 1979, agency: "STP" });
    const late = await official("ADJ-9", "Lý Văn Chín", 1979, "2030-01-01T00:00:00.000Z");
    const early = await official("ADJ-9", "Lý Văn Chín", 1979, "2029-01-01T00:00:00.000Z"); // created earlier: claims the entry
    await completeAt(late, "thu-hai", "2031-09-09T08:00:00.000Z");
    await completeAt(early, "thu-hai", "2031-10-09T08:00:00.000Z");
    expect(await stored(OFFICIALS, "2031-09")).toEqual({});
    expect(await stored(OFFICIALS, "2031-10")).toEqual({ "STP||2031-10": 1 });
    const moved = await db()
      .transaction()
      .execute((trx) =>
        recountRosterCodes(trx, ["ADJ-9"], async () => {
          // The earlier account's creation date corrected: the other account is now the first claimant.
          await trx.updateTable("person").set({ created_at: "2030-06-01T00:00:00.000Z" }).where("id", "=", early).execute();
          return "đã đổi";
        }),
      );
    expect(moved).toBe("đã đổi");
    expect(await stored(OFFICIALS, "2031-09")).toEqual({ "STP||2031-09": 1 });
    expect(await stored(OFFICIALS, "2031-10")).toEqual({});
    expect(await stored(OFFICIALS)).toEqual({ ...before, "STP||2031-09": 1 });
    expect(await officialsRecomputed()).toEqual(await stored(OFFICIALS));
  });

  it("moveDifferences adds after minus before by key, and writes nothing where they net to zero", async () => {
    const { moveDifferences, db } = await m();
    const row = (agency: string, month: string, count: number | string) => ({ agency_code: agency, commune_code: "", month, count: count as number });
    await moveDifferences(
      db(),
      "md-test",
      [row("STP", "2032-01", 1), row("STP", "2032-02", 2), row("STP", "2032-03", 1), row("STP", "2032-03", "1")],
      [row("STP", "2032-01", 1), row("STP", "2032-02", 1), row("STP", "2032-04", "3"), row("STP", "2032-03", 2)],
    );
    expect(await stored("md-test")).toEqual({ "STP||2032-02": -1, "STP||2032-04": 3 });
    expect(await rawRows("md-test", "STP", "2032-01")).toEqual([]); // 1 − 1: not even a row of 0
    expect(await rawRows("md-test", "STP", "2032-03")).toEqual([]); // 1 + 1 − 2
    await moveDifferences(db(), "md-test", [row("STP", "2032-04", 1)], [row("STP", "2032-02", 1)]);
    expect(await stored("md-test")).toEqual({ "STP||2032-04": 2 });
    await db().deleteFrom("indicator_count").where("indicator_id", "=", "md-test").execute();
  });

  it("officialCounts and officialCountedAt of an indicator without courses, or of no codes, are empty", async () => {
    const { officialCounts, officialCountedAt, contribution, db } = await m();
    const officials = await indicatorById(OFFICIALS);
    const counted = await officialCounts(db(), officials, { codes: ["ADJ-1"] });
    expect(counted).toEqual([{ agency_code: "SNV", commune_code: "", month: "2031-05", count: 1 }]);
    expect(await officialCounts(db(), { ...officials, courses: [] })).toEqual([]);
    expect(await officialCounts(db(), { ...officials, courses: [] }, { codes: ["ADJ-1"] })).toEqual([]);
    expect(await officialCounts(db(), officials, { codes: [] })).toEqual([]);
    const claimant = await db().selectFrom("person").select("id").where("personnel_code", "=", "ADJ-1").executeTakeFirstOrThrow();
    expect(await officialCountedAt(db(), claimant.id, officials, "2031-12")).toEqual({ agency: "SNV", commune: "", month: "2031-05" });
    expect(await officialCountedAt(db(), claimant.id, { ...officials, courses: [] }, "2031-12")).toBeUndefined();
    // An account deleted meanwhile (an export's list read before the deletion): not counted, no error.
    expect(await officialCountedAt(db(), "khong-con", officials, "2031-12")).toBeUndefined();
    // contribution() is the adults' rule: an official who finished the set counts through the roster only.
    expect(await contribution(db(), claimant.id, officials)).toBeUndefined();
  });
});

describe("adults: completions, retained counts and the rebuild", () => {
  it("countCompletion counts an adult's set, not a course outside it, and never the service-use indicators", async () => {
    const { db } = await m();
    const adult = await makePerson({ birthYear: 1990, communeCode: "25486" });
    await db()
      .insertInto("task_record")
      .values({
        person_id: adult,
        course_slug: "lam-quen",
        task_id: "t1",
        self_reported_at: "2033-01-05T08:00:00.000Z",
        confirmed_at: null,
        confirmed_by: null,
        confirmed_cohort_id: null,
      })
      .execute();
    const service = await stored(SERVICE_ANY);
    await completeAt(adult, "thu-hai", "2033-01-06T08:00:00.000Z"); // an officials' course: no adult count
    expect(await stored(ADULTS, "2033")).toEqual({});
    await completeAt(adult, "lam-quen", "2033-02-06T08:00:00.000Z");
    expect(await stored(ADULTS, "2033")).toEqual({ "|25486|2033-02": 1 });
    expect(await stored(SERVICE_ANY)).toEqual(service); // moved by withServiceUseCounts, not by completions
    expect(await stored(OFFICIALS, "2033")).toEqual({}); // a citizen claims no roster entry
  });

  it("a deleted adult stays as a retained count, and a rebuild finds it again beside a live person of the same key", async () => {
    const { deletePerson, rebuildCounts, db } = await m();
    const gone = await makePerson({ birthYear: 1985, communeCode: "25489" });
    const stays = await makePerson({ birthYear: 1986, communeCode: "25489" });
    const elsewhere = await makePerson({ birthYear: 1987, communeCode: "25480" });
    await completeAt(gone, "lam-quen", "2034-03-03T08:00:00.000Z");
    await completeAt(stays, "lam-quen", "2034-03-20T08:00:00.000Z");
    await completeAt(elsewhere, "lam-quen", "2034-04-20T08:00:00.000Z");
    await db()
      .insertInto("task_record")
      .values({
        person_id: elsewhere,
        course_slug: "lam-quen",
        task_id: "t1",
        self_reported_at: null,
        confirmed_at: "2034-05-02T08:00:00.000Z",
        confirmed_by: null,
        confirmed_cohort_id: null,
      })
      .execute();
    await rebuildCounts(); // the task record above was written without withServiceUseCounts
    expect(await stored(ADULTS, "2034")).toEqual({ "|25489|2034-03": 2, "|25480|2034-04": 1 });
    expect(await stored(SERVICE_ANY, "2034")).toEqual({ "|25480|2034-05": 1 });

    await deletePerson(gone);
    await deletePerson(elsewhere);
    // The stored counts do not drop; the retained table holds exactly the deleted people's contributions,
    // for the adults' course set and for the service-use indicators they counted in.
    expect(await stored(ADULTS, "2034")).toEqual({ "|25489|2034-03": 2, "|25480|2034-04": 1 });
    expect(await stored(ADULTS, "2034", "retained_count")).toEqual({ "|25489|2034-03": 1, "|25480|2034-04": 1 });
    expect(await stored(SERVICE_ANY, "2034", "retained_count")).toEqual({ "|25480|2034-05": 1 });
    expect(await stored(SERVICE_CONFIRMED, "2034", "retained_count")).toEqual({ "|25480|2034-05": 1 });
    expect(await stored(OFFICIALS, "", "retained_count")).toEqual({});

    // A retained row of 0 (nobody) must not come back as a stored row.
    await db().insertInto("retained_count").values({ indicator_id: ADULTS, agency_code: "", commune_code: "25459", month: "2034-06", count: 0 }).execute();
    await db().updateTable("indicator_count").set({ count: 9 }).where("indicator_id", "=", ADULTS).where("month", "like", "2034-%").execute();
    await rebuildCounts();
    // Rebuilt from raw data: the live person (1) merged with the retained one (1), and the retained-only key.
    expect(await stored(ADULTS, "2034")).toEqual({ "|25489|2034-03": 2, "|25480|2034-04": 1 });
    expect(await stored(SERVICE_ANY, "2034")).toEqual({ "|25480|2034-05": 1 });
    expect(await db().selectFrom("indicator_count").select("count").where("indicator_id", "=", ADULTS).where("month", "=", "2034-06").execute()).toEqual([]);
    expect(stays).toBeTruthy();
  });

  it("computeCounts of an indicator without courses is empty, whatever is retained for it", async () => {
    const { computeCounts, contribution, db } = await m();
    const empty = { ...(await indicatorById(ADULTS)), id: "no-courses", courses: [] as string[] };
    await db()
      .insertInto("retained_count")
      .values({ indicator_id: "no-courses", agency_code: "", commune_code: "25459", month: "2035-01", count: 3 })
      .execute();
    expect(await computeCounts(db(), empty)).toEqual([]);
    expect(await computeCounts(db(), { ...(await indicatorById(OFFICIALS)), courses: [] })).toEqual([]);
    expect(await computeCounts(db(), await indicatorById("adults-using-digital-services-education"))).toEqual([]);
    // With its course set, the retained row is counted (and so is everyone who finished lam-quen).
    const withCourses = await computeCounts(db(), { ...empty, courses: ["lam-quen"] });
    expect(withCourses.find((r) => r.month === "2035-01")).toEqual({ agency_code: "", commune_code: "25459", month: "2035-01", count: 3 });
    await db().deleteFrom("retained_count").where("indicator_id", "=", "no-courses").execute();
    // Per person too: someone who finished lam-quen counts for no set without courses.
    const adult = await makePerson({ birthYear: 1980, communeCode: "25459" });
    await completeAt(adult, "lam-quen", "2035-02-02T08:00:00.000Z");
    expect(await contribution(db(), adult, { ...empty, courses: ["lam-quen"] })).toEqual({ agency: "", commune: "25459", month: "2035-02" });
    expect(await contribution(db(), adult, empty)).toBeUndefined();
  });
});

describe("service use", () => {
  it("withServiceUseCounts moves −1/+1 when the month changes, and nothing when it does not", async () => {
    const { withServiceUseCounts, db } = await m();
    const person = await makePerson({ birthYear: 1990, communeCode: "25480" });
    const write = (values: { self_reported_at?: string; confirmed_at?: string }) =>
      db()
        .transaction()
        .execute((trx) =>
          withServiceUseCounts(trx, person, async () => {
            await trx
              .insertInto("task_record")
              .values({ person_id: person, course_slug: "lam-quen", task_id: "t1", ...values })
              .onConflict((oc) => oc.columns(["person_id", "course_slug", "task_id"]).doUpdateSet(values))
              .execute();
            return "ghi";
          }),
        );
    expect(await write({ self_reported_at: "2036-03-10T08:00:00.000Z" })).toBe("ghi");
    expect(await stored(SERVICE_ANY, "2036")).toEqual({ "|25480|2036-03": 1 });
    expect(await stored("adults-using-digital-services-health", "2036")).toEqual({ "|25480|2036-03": 1 });
    expect(await stored(SERVICE_CONFIRMED, "2036")).toEqual({}); // a self-report is not a confirmation

    // A trainer's confirmation dated earlier: the 'any' indicators move from March to February.
    await write({ confirmed_at: "2036-02-10T08:00:00.000Z" });
    expect(await stored(SERVICE_ANY, "2036")).toEqual({ "|25480|2036-02": 1 });
    expect(await rawRows(SERVICE_ANY, "", "2036-03")).toEqual([{ commune_code: "25480", count: 0 }]);
    expect(await stored(SERVICE_CONFIRMED, "2036")).toEqual({ "|25480|2036-02": 1 });
    expect(await stored(ADULTS, "2036")).toEqual({});

    // Writing the same confirmation again moves nothing (not even a −1 and +1 on the same row).
    const rows = async () => db().selectFrom("indicator_count").selectAll().where("month", "like", "2036-%").orderBy("indicator_id").orderBy("month").execute();
    const before = await rows();
    await write({ confirmed_at: "2036-02-10T08:00:00.000Z" });
    expect(await rows()).toEqual(before);

    // A write that takes the record away (no caller does yet): the person stops counting, −1 where they were.
    const removed = await db()
      .transaction()
      .execute((trx) =>
        withServiceUseCounts(trx, person, async () =>
          trx
            .deleteFrom("task_record")
            .where("person_id", "=", person)
            .execute()
            .then(() => "xoá"),
        ),
      );
    expect(removed).toBe("xoá");
    expect(await stored(SERVICE_ANY, "2036")).toEqual({});
    expect(await stored(SERVICE_CONFIRMED, "2036")).toEqual({});
    expect(await rawRows(SERVICE_ANY, "", "2036-02")).toEqual([{ commune_code: "25480", count: 0 }]);
  });
});

describe("rebuilds", () => {
  it("rebuildCounts(id) rebuilds that indicator only", async () => {
    const { rebuildCounts, db } = await m();
    await rebuildCounts();
    const adults = await stored(ADULTS);
    const officials = await stored(OFFICIALS);
    const plant = (id: string) =>
      db().insertInto("indicator_count").values({ indicator_id: id, agency_code: "", commune_code: "25459", month: "2040-01", count: 5 }).execute();
    await plant(ADULTS);
    await plant(OFFICIALS);
    await rebuildCounts(ADULTS);
    expect(await stored(ADULTS)).toEqual(adults);
    expect(await stored(OFFICIALS)).toEqual({ ...officials, "|25459|2040-01": 5 });
    await rebuildCounts(OFFICIALS);
    expect(await stored(OFFICIALS)).toEqual(officials);
    expect(await officialsRecomputed()).toEqual(officials);
  });

  it("rebuildIndicator writes more than 500 rows in chunks and records what it was built from", async () => {
    const { rebuildIndicator, db } = await m();
    const chunks = { ...(await indicatorById(ADULTS)), id: "chunk-test" };
    const retained = [];
    for (let i = 0; i < 1201; i++) {
      const month = `${2100 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
      retained.push({ indicator_id: "chunk-test", agency_code: "", commune_code: "25459", month, count: (i % 3) + 1 });
    }
    for (let i = 0; i < retained.length; i += 400)
      await db()
        .insertInto("retained_count")
        .values(retained.slice(i, i + 400))
        .execute();
    await db()
      .transaction()
      .execute((trx) => rebuildIndicator(trx, chunks));
    const rows = await stored("chunk-test", "2");
    const adults = await stored(ADULTS); // the live people who finished lam-quen, as the adults' indicator holds them
    const retainedAdults = await stored(ADULTS, "", "retained_count");
    const expected: Record<string, number> = {};
    for (const [key, n] of Object.entries(adults)) expected[key] = n - (retainedAdults[key] ?? 0);
    for (const r of retained) expected[`|${r.commune_code}|${r.month}`] = (expected[`|${r.commune_code}|${r.month}`] ?? 0) + r.count;
    expect(Object.keys(rows).length).toBeGreaterThan(1201);
    expect(rows).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n !== 0)));
    expect(rows["|25459|2100-01"]).toBe(1);
    expect(rows["|25459|2100-02"]).toBe(2);
    expect(rows["|25459|2199-12"]).toBe(3); // the 1,200th row, the last of the third chunk
    expect(rows["|25459|2200-01"]).toBe(1); // the 1,201st row, alone in its chunk
    expect(await db().selectFrom("indicator_build").select("courses_key").where("indicator_id", "=", "chunk-test").executeTakeFirst()).toEqual({
      courses_key: "vn-months+roster-history|lam-quen",
    });
    // Rebuilt again, the rows are replaced, not added to.
    await db()
      .transaction()
      .execute((trx) => rebuildIndicator(trx, chunks));
    expect(await stored("chunk-test", "2")).toEqual(rows);
    await db().deleteFrom("retained_count").where("indicator_id", "=", "chunk-test").execute();
    await db().deleteFrom("indicator_count").where("indicator_id", "=", "chunk-test").execute();
    await db().deleteFrom("indicator_build").where("indicator_id", "=", "chunk-test").execute();
  });

  it("rebuildIfStale rebuilds only the indicators built from other courses and returns their ids", async () => {
    const { rebuildIfStale, countBuilds, rebuildCounts, listIndicators, db } = await m();
    await rebuildCounts();
    const indicators = await listIndicators();
    const adults = await stored(ADULTS);
    const officials = await stored(OFFICIALS);
    expect(await rebuildIfStale(indicators, await countBuilds())).toEqual([]);
    const plant = (id: string) =>
      db().insertInto("indicator_count").values({ indicator_id: id, agency_code: "", commune_code: "25459", month: "2041-01", count: 4 }).execute();
    await plant(ADULTS);
    await plant(OFFICIALS);
    expect(await rebuildIfStale(indicators, await countBuilds())).toEqual([]); // nothing stale: the drift stays
    expect((await stored(ADULTS))["|25459|2041-01"]).toBe(4);
    await db().updateTable("indicator_build").set({ courses_key: "vn-months+roster-history|lam-quen,khoa-cu" }).where("indicator_id", "=", ADULTS).execute();
    expect(await rebuildIfStale(indicators, await countBuilds())).toEqual([ADULTS]);
    expect(await stored(ADULTS)).toEqual(adults);
    expect(await stored(OFFICIALS)).toEqual({ ...officials, "|25459|2041-01": 4 });
    // An indicator never built is stale too.
    await db().deleteFrom("indicator_build").where("indicator_id", "=", OFFICIALS).execute();
    expect(await rebuildIfStale(indicators, await countBuilds())).toEqual([OFFICIALS]);
    expect(await stored(OFFICIALS)).toEqual(officials);
  });

  it("compareCounts reports each planted difference with the exact stored and computed numbers", async () => {
    const { compareCounts, rebuildCounts, db } = await m();
    await rebuildCounts();
    expect(await compareCounts()).toEqual([]);
    const officials = await stored(OFFICIALS, "2031");
    expect(officials["SNV||2031-05"]).toBe(1);
    await db().updateTable("indicator_count").set({ count: 6 }).where("indicator_id", "=", OFFICIALS).where("month", "=", "2031-05").execute();
    await db().deleteFrom("indicator_count").where("indicator_id", "=", OFFICIALS).where("month", "=", "2031-07").execute();
    await db().insertInto("indicator_count").values({ indicator_id: ADULTS, agency_code: "", commune_code: "25459", month: "2042-02", count: 2 }).execute();
    const differences = await compareCounts();
    expect(differences).toHaveLength(3);
    expect(differences).toEqual(
      expect.arrayContaining([
        { indicator: OFFICIALS, key: "SNV||2031-05", stored: 6, computed: 1 },
        { indicator: OFFICIALS, key: "SNV||2031-07", stored: 0, computed: 1 },
        { indicator: ADULTS, key: "|25459|2042-02", stored: 2, computed: 0 },
      ]),
    );
    await rebuildCounts();
    expect(await compareCounts()).toEqual([]);
  });
});
