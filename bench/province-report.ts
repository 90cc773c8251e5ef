// npm run bench:report — province report render time at two data sizes, their ratio, and the time to read
// the aggregates directly (the limit). Generates the data with seed:scale when the files are missing.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { hashPassword } from "../app/accounts/password.server";
import { fmt, login, machine, quantile, startServer } from "./lib";

const SIZES = [
  { adults: 250_000, officials: 60_000, progress: 2_000_000 },
  { adults: 2_500_000, officials: 60_000, progress: 20_000_000 },
];
const RUNS = 30;

async function prepare(size: (typeof SIZES)[number]): Promise<string> {
  const file = path.resolve(`data/scale-${size.adults}.db`);
  if (!existsSync(file) || process.argv.includes("--fresh")) {
    console.log(`Generating ${size.adults.toLocaleString("en")} adults (npm run seed:scale)…`);
    execFileSync("npx", ["tsx", "scripts/seed-scale.ts", "--adults", String(size.adults), "--officials", String(size.officials), "--progress", String(size.progress), "--db", file], { stdio: "inherit" });
  }
  const sqlite = new Database(file);
  const hash = await hashPassword("bench-admin-pass");
  sqlite.prepare(
    `insert or ignore into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
     values ('bench-admin', 'bench-admin', 'Bench Admin', 'bench admin', 1980, '25459', 'official', ?, '2026-01-01', 'self', '2026-01-01')`,
  ).run(hash);
  sqlite.prepare("update person set password_hash = ? where id = 'bench-admin'").run(hash);
  sqlite.prepare("insert or ignore into person_role (person_id, role, scope, granted_at) values ('bench-admin', 'admin', '', '2026-01-01')").run();
  sqlite.close();
  return file;
}

function directRead(file: string): number {
  const sqlite = new Database(file, { readonly: true });
  const statement = sqlite.prepare(
    "select indicator_id, agency_code, commune_code, sum(count) as n from indicator_count where month <= '2026-12' group by indicator_id, agency_code, commune_code",
  );
  const times: number[] = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const t = performance.now();
    statement.all();
    if (i >= 5) times.push(performance.now() - t);
  }
  sqlite.close();
  return quantile(times.sort((a, b) => a - b), 0.5);
}

async function measure(file: string) {
  const server = await startServer(["node", "build/index.js"], { DATABASE_PATH: file });
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

console.log(`Province report benchmark — ${new Date().toISOString()} — ${machine()}`);
const results = [];
for (const size of SIZES) {
  const file = await prepare(size);
  const report = await measure(file);
  const direct = directRead(file);
  results.push({ size, report, direct });
  console.log(
    `${size.adults.toLocaleString("en").padStart(9)} adults, ${size.officials.toLocaleString("en")} officials, ${size.progress.toLocaleString("en")} progress rows: ` +
      `report p50 ${fmt(report.p50)} ms, p95 ${fmt(report.p95)} ms (${Math.round(report.bytes / 1024)} KB HTML); aggregates read directly ${fmt(direct, 2)} ms`,
  );
}
const ratio = results[1].report.p50 / results[0].report.p50;
console.log(
  `SUMMARY province report: ${fmt(results[1].report.p50)} ms at 2.5 M adults vs ${fmt(results[0].report.p50)} ms at 250 k (ratio ${fmt(ratio, 2)}; goal ≈ 1 and < 100 ms); direct aggregate read ${fmt(results[1].direct, 2)} ms`,
);
