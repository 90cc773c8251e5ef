import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { hashPassword } from "~/accounts/password.server";
import { foldForSearch } from "~/text/folding";
import type { Insertable } from "kysely";
import { db } from "~/db.server";
import { importCsv, POPULATION_HEADER, ROSTER_HEADER } from "~/reports/imports.server";
import { coursesInSet, rebuildCounts } from "~/reports/indicators.server";
import type { CourseProgressTable, PersonTable } from "../../db/schema";
import { DEMO_ACCOUNTS } from "./demo";

// Clearly labelled SYNTHETIC data so the reports mean something on first run: an officials roster across the
// demo agencies, adult population derived from published population × 76.7 % (share aged 15+, census 2024),
// and demo learners with completions across all 96 communes. Deterministic (seeded), and skipped if present.

export const ADULT_SHARE = 0.767;
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Hữu", "Kim", "Quốc", "Thu"];
const GIVEN = [
  "An",
  "Bình",
  "Châu",
  "Dũng",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hùng",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Quang",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trang",
  "Tuấn",
  "Vân",
  "Yến",
];

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvLine(cells: (string | number)[]) {
  return cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(",");
}

/** A completion time in the given months, as ISO. */
function timeIn(rand: () => number, months: string[]) {
  const month = months[Math.floor(rand() * months.length)];
  const day = 1 + Math.floor(rand() * 27);
  return `${month}-${String(day).padStart(2, "0")}T0${Math.floor(rand() * 9)}:00:00.000Z`;
}

function monthsBetween(from: string, to: string) {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export async function seedDemoReports(now = new Date()): Promise<string> {
  const existing = await db()
    .selectFrom("person")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("username", "like", "demo-hv-%")
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return "Dữ liệu báo cáo mẫu: đã có, bỏ qua.";
  const rand = random(20260701);
  const thisMonth = now.toISOString().slice(0, 7);
  const months = monthsBetween("2025-07", thisMonth);

  // Adult population (denominator), through the same import as real files.
  const population = parse(readFileSync(path.resolve("db/data/tay-ninh-population.csv"), "utf8"), { columns: true, bom: true }) as {
    code: string;
    population: string;
  }[];
  const year = now.getUTCFullYear();
  const popCsv = [POPULATION_HEADER.join(","), ...population.map((p) => csvLine([p.code, year, Math.floor(Number(p.population) * ADULT_SHARE)]))].join("\n");
  const popResult = await importCsv("population", popCsv, "demo-adult-population.csv", null);
  if (!popResult.ok) throw new Error(`demo population: ${JSON.stringify(popResult.errors.slice(0, 3))}`);

  // Officials roster: the demo officials' own entries, then synthetic staff for every demo agency.
  const agencies = await db().selectFrom("agency").select(["code", "level", "commune_code"]).orderBy("code").execute();
  const roster: { code: string; name: string; year: number; agency: string; commune: string; status: string }[] = [];
  for (const a of DEMO_ACCOUNTS.filter((d) => d.personnelCode)) {
    const agency = agencies.find((x) => x.code === a.agencyCode)!;
    roster.push({ code: a.personnelCode!, name: a.fullName, year: 1985, agency: agency.code, commune: agency.commune_code ?? "", status: "active" });
  }
  let serial = 1000;
  for (const agency of agencies) {
    const size = agency.level === "province" ? 30 + Math.floor(rand() * 30) : 12 + Math.floor(rand() * 12);
    for (let i = 0; i < size; i++) {
      serial += 1;
      const name = `${FAMILY[Math.floor(rand() * FAMILY.length)]} ${MIDDLE[Math.floor(rand() * MIDDLE.length)]} ${GIVEN[Math.floor(rand() * GIVEN.length)]}`;
      roster.push({
        code: `TN-${serial}`,
        name,
        year: 1965 + Math.floor(rand() * 38),
        agency: agency.code,
        commune: agency.commune_code ?? "",
        status: rand() < 0.04 ? "left" : "active",
      });
    }
  }
  const rosterCsv = [ROSTER_HEADER.join(","), ...roster.map((r) => csvLine([r.code, r.name, r.year, r.agency, r.commune, r.status]))].join("\n");
  const rosterResult = await importCsv("roster", rosterCsv, "demo-roster.csv", null);
  if (!rosterResult.ok) throw new Error(`demo roster: ${JSON.stringify(rosterResult.errors.slice(0, 3))}`);

  // Learners, inserted directly (one shared password hash keeps this fast); completions in the past 18 months.
  const hash = await hashPassword("hocvuso-demo");
  const adultCourses = coursesInSet("adult-basic");
  const officialCourses = coursesInSet("official-required");
  const communes = await db().selectFrom("commune").select("code").execute();
  // Rows are gathered first, then written in one transaction in multi-row inserts (fast on both engines).
  const people: Insertable<PersonTable>[] = [];
  const progress: Insertable<CourseProgressTable>[] = [];
  let learners = 0;
  let completions = 0;
  const addLearner = (
    kind: "citizen" | "official",
    name: string,
    birthYear: number,
    commune: string,
    agency: string | null,
    code: string | null,
    courses: string[],
    share: number,
  ) => {
    learners += 1;
    const id = `demo${learners.toString(36)}`;
    const created = timeIn(rand, months.slice(0, 6));
    people.push({
      id,
      username: `demo-hv-${learners}`,
      full_name: name,
      search_name: foldForSearch(name),
      birth_year: birthYear,
      commune_code: commune,
      kind,
      agency_code: agency,
      personnel_code: code,
      password_hash: hash,
      consent_at: created,
      consent_method: "self",
      created_at: created,
      is_demo: 1,
    });
    const finishing = rand() < share;
    for (const course of courses) {
      if (!finishing && rand() < 0.5) continue;
      const done = finishing || rand() < 0.3 ? timeIn(rand, months) : null;
      progress.push({ person_id: id, course_slug: course, last_lesson_slug: null, started_at: created, updated_at: done ?? created, completed_at: done });
      if (done) completions += 1;
    }
  };
  for (const c of communes) {
    const count = 15 + Math.floor(rand() * 25);
    for (let i = 0; i < count; i++) {
      const name = `${FAMILY[Math.floor(rand() * FAMILY.length)]} ${MIDDLE[Math.floor(rand() * MIDDLE.length)]} ${GIVEN[Math.floor(rand() * GIVEN.length)]}`;
      addLearner("citizen", name, 1950 + Math.floor(rand() * 62), c.code, null, null, adultCourses, 0.55);
    }
  }
  for (const r of roster.slice(DEMO_ACCOUNTS.length)) {
    if (rand() < 0.25) continue; // has not signed up yet
    addLearner("official", r.name, r.year, r.commune || "25459", r.agency, r.code, officialCourses, 0.7);
  }
  await db()
    .transaction()
    .execute(async (trx) => {
      for (let i = 0; i < people.length; i += 500)
        await trx
          .insertInto("person")
          .values(people.slice(i, i + 500))
          .execute();
      for (let i = 0; i < progress.length; i += 500)
        await trx
          .insertInto("course_progress")
          .values(progress.slice(i, i + 500))
          .execute();
    });
  await rebuildCounts();
  await seedDemoCohort();
  return `Dữ liệu báo cáo mẫu (tổng hợp, không phải số liệu thật): ${popResult.rows} xã/phường có dân số trưởng thành, ${roster.length} cán bộ trong danh sách, ${learners} người học mẫu, ${completions} lượt hoàn thành khóa học.`;
}

/** A cohort for the demo trainer, with a dozen of the synthetic learners of Xã Tân Biên and one session. */
async function seedDemoCohort() {
  const trainer = await db().selectFrom("person").select("id").where("username", "=", "demo-taphuan").executeTakeFirst();
  if (!trainer) return;
  const now = new Date().toISOString();
  const { id } = await db()
    .insertInto("cohort")
    .values({
      join_code: "MAU234",
      name: "Lớp mẫu ấp Thạnh Tây (dữ liệu mẫu)",
      commune_code: "25486",
      start_date: now.slice(0, 10),
      created_by: trainer.id,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db()
    .insertInto("cohort_course")
    .values(coursesInSet("adult-basic").map((course_slug) => ({ cohort_id: id, course_slug })))
    .execute();
  await db().insertInto("cohort_trainer").values({ cohort_id: id, person_id: trainer.id, is_owner: 1, added_at: now }).execute();
  const learners = await db()
    .selectFrom("person")
    .select("id")
    .where("commune_code", "=", "25486")
    .where("username", "like", "demo-hv-%")
    .where("kind", "=", "citizen")
    .limit(12)
    .execute();
  if (learners.length) {
    await db()
      .insertInto("cohort_member")
      .values(learners.map((l) => ({ cohort_id: id, person_id: l.id, joined_at: "2026-01-05T00:00:00.000Z", joined_via: "code" })))
      .execute();
    const session = await db()
      .insertInto("training_session")
      .values({
        cohort_id: id,
        held_on: now.slice(0, 10),
        place: "Nhà văn hóa ấp (mẫu)",
        topic: "Làm quen điện thoại thông minh",
        course_slug: null,
        recorded_by: trainer.id,
        recorded_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("session_attendance")
      .values(learners.slice(0, 8).map((l) => ({ session_id: session.id, person_id: l.id })))
      .execute();
  }
}
