// npm run seed:scale -- [--adults 2500000] [--officials 60000] [--big-agency 20000] [--progress 20000000] [--db data/scale.db]
// Generates a large synthetic database (for benchmarks only): learners across the 96 communes, an officials
// roster across the agencies, lesson progress rows and course completions, then builds the aggregates.
// One more agency holds --big-agency officials on its own (issue 17: teachers and health workers are viên
// chức, so one agency may have 20,000); bench/agency-page.ts measures its page.
// With DATABASE_URL=postgres://…/<new empty database>, it then moves that file to PostgreSQL with db:copy's
// copier, runs ANALYZE and the indicator check there (decision 029: generating inside SQLite and copying is
// faster than generating through the network, and the copier is the one `npm run db:copy` already verifies).
import { existsSync, rmSync } from "node:fs";
import path from "node:path";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const dbIndex = process.argv.indexOf("--db");
const adults = arg("adults", 250_000);
const officials = arg("officials", 60_000);
const bigAgency = arg("big-agency", 20_000);
const progressRows = arg("progress", adults * 8);
const file = path.resolve(dbIndex > 0 ? process.argv[dbIndex + 1] : `data/scale-${adults}.db`);
for (const suffix of ["", "-wal", "-shm"]) if (existsSync(file + suffix)) rmSync(file + suffix);
process.env.DATABASE_PATH = file;
// The generator itself always writes the SQLite file; a PostgreSQL target is filled from it at the end.
const postgresTarget = process.env.DATABASE_URL || undefined;
delete process.env.DATABASE_URL;

const { database, db } = await import("../app/db.server");
const { migrateToLatest } = await import("../db/database");
const { seedDemoAgencies, seedOrganisation } = await import("./seed/organisation");
const { coursesInSet, rebuildCounts } = await import("../app/reports/indicators.server");
const { getCatalog } = await import("../app/courses/catalog.server");
const { hashPassword } = await import("../app/accounts/password.server");

const started = Date.now();
await migrateToLatest(db());
await seedOrganisation(db());
await seedDemoAgencies(db());
const communes = (await db().selectFrom("commune").select("code").execute()).map((c) => c.code);
const agencies = await db().selectFrom("agency").select(["code", "commune_code"]).execute();
const opened = database();
// The generator writes through better-sqlite3 at full speed (recursive CTEs inside SQLite).
if (opened.engine !== "sqlite") throw new Error("seed:scale generates a SQLite file first");
const sqlite = opened.sqlite;
// A throw-away benchmark file: no journal and no fsync while loading, then back to WAL + FULL.
sqlite.pragma("journal_mode = OFF");
sqlite.pragma("synchronous = OFF");
sqlite.pragma("cache_size = -1000000");
sqlite.pragma("temp_store = MEMORY");
const adultSet = coursesInSet("adult-basic");
const officialSet = coursesInSet("official-required");
const lessons = getCatalog().courses.flatMap((c) => c.lessons.map((l) => [c.slug, l.slug] as const));
const hash = await hashPassword("scale-only");
const total = adults + officials + bigAgency;
const perPerson = Math.max(1, Math.round(progressRows / total));

// Small lookup tables so the bulk rows are generated inside SQLite (recursive CTEs), at C speed.
sqlite.exec(`
  create temp table t_commune as select row_number() over (order by code) - 1 as i, code from commune;
  create temp table t_agency as select row_number() over (order by code) - 1 as i, code, commune_code from agency;
  create temp table t_lesson(i integer primary key, course text, lesson text);
  create temp table t_set(kind text, i integer, course text);
  create temp table t_k(k integer primary key);
`);
const addLesson = sqlite.prepare("insert into t_lesson values (?, ?, ?)");
lessons.forEach(([course, lesson], i) => addLesson.run(i, course, lesson));
const addSet = sqlite.prepare("insert into t_set values (?, ?, ?)");
adultSet.forEach((c, i) => addSet.run("citizen", i, c));
officialSet.forEach((c, i) => addSet.run("official", i, c));
const addK = sqlite.prepare("insert into t_k values (?)");
for (let k = 0; k < perPerson; k++) addK.run(k);
const nCommunes = communes.length;
const nAgencies = agencies.length;
// The big agency is not in the round-robin above: exactly --big-agency officials, numbered after the others.
const BIG_AGENCY = { code: "SGDDT-VC", name: "Viên chức các trường học (Sở Giáo dục và Đào tạo)" };
sqlite
  .prepare("insert into agency (code, name, level, commune_code, search_name) values (?, ?, 'province', null, ?)")
  .run(BIG_AGENCY.code, BIG_AGENCY.name, "vien chuc cac truong hoc (so giao duc va dao tao)");
sqlite.prepare("insert into t_agency (i, code, commune_code) values (-1, ?, null)").run(BIG_AGENCY.code);
const nLessons = lessons.length;

const step = (label: string, statement: string, params: unknown[] = []) => {
  const t = Date.now();
  const info = sqlite.prepare(statement).run(...params);
  console.log(`${label}: ${info.changes.toLocaleString("en")} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
};
step(
  "people",
  `with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ?)
   insert into person (id, username, full_name, search_name, birth_year, commune_code, kind, agency_code, personnel_code, password_hash, consent_at, consent_method, created_at, is_demo)
   select printf('s%09d', i), printf('scale-%d', i), 'Người Học Mẫu', 'nguoi hoc mau', 1940 + (i * 7919) % 72,
          (select code from t_commune where t_commune.i = n.i % ${nCommunes}),
          case when i >= ? then 'official' else 'citizen' end,
          case when i >= ${adults + officials} then '${BIG_AGENCY.code}' when i >= ? then (select code from t_agency where t_agency.i = n.i % ${nAgencies}) end,
          case when i >= ? then printf('SC-%d', i) end,
          ?, '2026-01-01T00:00:00Z', 'self', '2026-01-01T00:00:00Z', 1
   from n`,
  [total, adults, adults, adults, hash],
);
step(
  "roster",
  `insert into roster_official (personnel_code, full_name, search_name, birth_year, agency_code, commune_code, status, updated_at)
   select p.personnel_code, p.full_name, p.search_name, p.birth_year, p.agency_code, a.commune_code,
          case when (cast(substr(p.id, 2) as integer) % 20) = 0 then 'left' else 'active' end, '2026-01-01T00:00:00Z'
   from person p join t_agency a on a.code = p.agency_code where p.kind = 'official'`,
);
// 60 % finish their set (completed in Jan–Oct 2026); the others started about half of its courses.
step(
  "course progress",
  `insert into course_progress (person_id, course_slug, last_lesson_slug, started_at, updated_at, completed_at)
   select p.id, s.course, null, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
          case when (cast(substr(p.id, 2) as integer) * 31) % 10 < 6
               then printf('2026-%02d-15T08:00:00.000Z', 1 + (cast(substr(p.id, 2) as integer) % 10)) end
   from person p join t_set s on s.kind = p.kind
   where (cast(substr(p.id, 2) as integer) * 31) % 10 < 6 or (cast(substr(p.id, 2) as integer) + s.i) % 2 = 0
   order by p.id, s.course`,
);
step(
  "lesson progress",
  `insert or ignore into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at, completed_at)
   select p.id, l.course, l.lesson, '2026-01-01T00:00:00Z', case when (cast(substr(p.id, 2) as integer) + k) % 10 < 7 then '2026-02-01T00:00:00Z' end
   from person p join t_k join t_lesson l on l.i = (cast(substr(p.id, 2) as integer) + t_k.k * 7) % ${nLessons}
   order by p.id, l.course, l.lesson`,
);
const lessonCount = (sqlite.prepare("select count(*) as n from lesson_progress").get() as { n: number }).n;
for (const c of communes) {
  sqlite
    .prepare("insert or replace into adult_population (commune_code, year, adult_population) values (?, 2026, ?)")
    .run(c, Math.ceil((adults * 1.1) / communes.length));
}
const t = Date.now();
await rebuildCounts();
console.log(`aggregates rebuilt from raw data in ${((Date.now() - t) / 1000).toFixed(1)} s`);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = FULL");
console.log(
  `${file}: ${adults.toLocaleString("en")} adults, ${officials.toLocaleString("en")} officials + ${bigAgency.toLocaleString("en")} in ${BIG_AGENCY.code}, ${lessonCount.toLocaleString("en")} lesson progress rows, built in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);

if (postgresTarget) await copyToPostgres(postgresTarget);

/** The generated file into an empty PostgreSQL database: copy with row counts, ANALYZE, indicator check. */
async function copyToPostgres(url: string): Promise<void> {
  const { copySqliteToPostgres } = await import("../db/copy");
  const { openPostgresDatabase } = await import("../db/database");
  const { sql } = await import("kysely");
  sqlite.close();
  const copyStarted = Date.now();
  const report = await copySqliteToPostgres(file, url);
  const wrong = report.tables.filter((t) => t.source !== t.target);
  if (wrong.length) throw new Error(`row counts differ after the copy: ${wrong.map((t) => `${t.table} ${t.source}→${t.target}`).join(", ")}`);
  const target = openPostgresDatabase(url, 1);
  const analyzeStarted = Date.now();
  // Fresh tables have no statistics yet; the planner needs them before the first report.
  await sql`analyze`.execute(target.db);
  await target.db.destroy();
  console.log(
    `PostgreSQL: copied in ${((analyzeStarted - copyStarted) / 1000).toFixed(1)} s, ANALYZE ${((Date.now() - analyzeStarted) / 1000).toFixed(1)} s, row counts of ${report.tables.length} tables equal`,
  );
  const { execFileSync } = await import("node:child_process");
  // reports:check on the target, in its own process so that it opens PostgreSQL from the start.
  execFileSync("npx", ["tsx", "scripts/reports.ts"], { env: { ...process.env, DATABASE_URL: url }, stdio: "inherit" });
}
