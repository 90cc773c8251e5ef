// npm run bench:report — province report render time at two data sizes, their ratio, and the time to read
// the aggregates directly (the limit), on each engine (BENCH_ENGINES, see bench/lib.ts). Generates the data
// with seed:scale when the files are missing; PostgreSQL gets the same file through db:copy (row counts and
// the indicator check verified there), then ANALYZE. BENCH_REPORT_ADULTS=250000 measures one size only.
import { execFileSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { hashPassword } from "../app/accounts/password.server";
import {
  benchEngines,
  fmt,
  login,
  machine,
  postgresDatabaseUrl,
  quantile,
  scaleDatabase,
  sideBySide,
  sqliteDatabase,
  startServer,
  type BenchDatabase,
  type EngineName,
} from "./lib";

const ALL_SIZES = [
  { adults: 250_000, officials: 60_000, progress: 2_000_000 },
  { adults: 2_500_000, officials: 60_000, progress: 20_000_000 },
];
const onlyAdults = process.env.BENCH_REPORT_ADULTS?.split(",").map(Number);
const SIZES = ALL_SIZES.filter((s) => !onlyAdults || onlyAdults.includes(s.adults));
const DIRECT_QUERY =
  "select indicator_id, agency_code, commune_code, sum(count) as n from indicator_count where month <= '2026-12' group by indicator_id, agency_code, commune_code";
const RUNS = 30;

async function prepare(size: (typeof SIZES)[number]): Promise<string> {
  const file = path.resolve(`data/scale-${size.adults}.db`);
  const sqlite = await scaleDatabase(file, size, `${size.adults.toLocaleString("en")} adults`);
  sqlite.close();
  return file;
}

/** The same data on PostgreSQL: copied from the SQLite file once (db:copy verifies it), kept between runs. */
async function preparePostgres(file: string, adults: number): Promise<BenchDatabase> {
  const url = postgresDatabaseUrl(`hvs_bench_scale_${adults}`);
  const database: BenchDatabase = { engine: "postgres", url, env: { DATABASE_URL: url }, drop: () => {} };
  if (!process.argv.includes("--fresh") && (await postgresPeople(url)) > 0) {
    execFileSync("npx", ["tsx", "scripts/setup.ts"], { stdio: "ignore", env: { ...process.env, DATABASE_URL: url } });
    await benchAdminOnPostgres(url); // a database filled by `seed:scale` with DATABASE_URL has no bench-admin yet
    return database;
  }
  console.log(`Copying ${adults.toLocaleString("en")} adults to PostgreSQL (npm run db:copy)…`);
  const started = performance.now();
  execFileSync("npx", ["tsx", "scripts/pg-database.ts", "recreate", url], { stdio: "inherit" });
  execFileSync("npx", ["tsx", "scripts/db-copy.ts", file, url], { stdio: ["ignore", "ignore", "inherit"] });
  const copied = performance.now();
  await onPostgres(url, (client) => client.query("analyze"));
  console.log(
    `db:copy (row counts and reports:check on the target: 0 differences) ${fmt((copied - started) / 1000)} s, ANALYZE ${fmt((performance.now() - copied) / 1000)} s`,
  );
  return database;
}

async function benchAdminOnPostgres(url: string): Promise<void> {
  const hash = await hashPassword("bench-admin-pass");
  await onPostgres(url, async (client) => {
    await client.query(
      `insert into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
       values ('bench-admin', 'bench-admin', 'Bench Admin', 'bench admin', 1980, '25459', 'official', $1, '2026-01-01', 'self', '2026-01-01')
       on conflict (id) do update set password_hash = excluded.password_hash`,
      [hash],
    );
    await client.query("insert into person_role (person_id, role, scope, granted_at) values ('bench-admin', 'admin', '', '2026-01-01') on conflict do nothing");
  });
}

async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresPeople(url: string): Promise<number> {
  try {
    return await onPostgres(url, async (client) => (await client.query("select count(*)::int as n from person")).rows[0].n);
  } catch {
    return 0; // no such database yet
  }
}

async function directRead(database: BenchDatabase): Promise<number> {
  const times: number[] = [];
  if (database.path) {
    const sqlite = new Database(database.path, { readonly: true });
    const statement = sqlite.prepare(DIRECT_QUERY);
    for (let i = 0; i < RUNS + 5; i++) {
      const t = performance.now();
      statement.all();
      if (i >= 5) times.push(performance.now() - t);
    }
    sqlite.close();
  } else {
    await onPostgres(database.url!, async (client) => {
      for (let i = 0; i < RUNS + 5; i++) {
        const t = performance.now();
        await client.query({ name: "direct", text: DIRECT_QUERY });
        if (i >= 5) times.push(performance.now() - t);
      }
    });
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.5,
  );
}

async function measure(database: BenchDatabase) {
  const server = await startServer(["node", "build/index.js"], database.env);
  try {
    const cookie = await login(server.url, "bench-admin", "bench-admin-pass");
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS + 5; i++) {
      const t = performance.now();
      const response = await fetch(`${server.url}/bao-cao?ky=2026`, { headers: { Cookie: cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`report answered ${response.status}`);
      if (i >= 5) times.push(performance.now() - t);
      bytes = body.length;
    }
    times.sort((a, b) => a - b);
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), bytes };
  } finally {
    await server.stop();
  }
}

const engines = benchEngines();
console.log(`Province report benchmark — ${new Date().toISOString()} — ${machine()} — engines ${engines.join(", ")}`);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
type Figures = { report: Awaited<ReturnType<typeof measure>>; direct: number };
const results: Array<{ size: (typeof SIZES)[number]; byEngine: Partial<Record<EngineName, Figures>> }> = [];
for (const size of SIZES) {
  const file = await prepare(size);
  const byEngine: Partial<Record<EngineName, Figures>> = {};
  for (const engine of engines) {
    const database = engine === "sqlite" ? sqliteDatabase(file) : await preparePostgres(file, size.adults);
    byEngine[engine] = { report: await measure(database), direct: await directRead(database) };
  }
  results.push({ size, byEngine });
  console.log(
    sideBySide(
      `${size.adults.toLocaleString("en")} adults, ${size.progress.toLocaleString("en")} progress`,
      engines.map((e) => {
        const f = byEngine[e]!;
        return `${e}: p50 ${fmt(f.report.p50)} ms, p95 ${fmt(f.report.p95)} ms (${Math.round(f.report.bytes / 1024)} KB); direct ${fmt(f.direct, 2)} ms`;
      }),
      36,
    ),
  );
}
for (const engine of engines) {
  const [small, large] = results.map((r) => r.byEngine[engine]!);
  if (!large) {
    console.log(
      `SUMMARY province report [${engine}]: ${fmt(small.report.p50)} ms at ${results[0].size.adults.toLocaleString("en")} adults (goal < 100 ms); the 2.5 M size was not measured in this run`,
    );
    continue;
  }
  console.log(
    `SUMMARY province report [${engine}]: ${fmt(large.report.p50)} ms at 2.5 M adults vs ${fmt(small.report.p50)} ms at 250 k (ratio ${fmt(large.report.p50 / small.report.p50, 2)}; goal ≈ 1 and < 100 ms); direct aggregate read ${fmt(large.direct, 2)} ms`,
  );
}
