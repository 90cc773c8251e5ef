// npm run bench:agency — the agency page of an agency with 20,000 officials (issue 17, part 4): time and HTML
// bytes, sequential requests as an agency officer's browser makes them, against a trivial Remix route under
// remix-serve measured the same way in the same run. Goal: < 100 ms and < 60 KB. Seeds the smallest scale
// database that holds the big agency (seed:scale) when data/scale-agency.db is missing (or with --fresh).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fmt, login, machine, quantile, scaleDatabase, startServer } from "./lib";

const AGENCY = "SGDDT-VC"; // seed:scale's --big-agency
const SIZE = { adults: 10_000, officials: 5_000, bigAgency: 20_000 };
const RUNS = 30;
const WARM_UP = 5;

async function prepare(): Promise<string> {
  const file = path.resolve("data/scale-agency.db");
  const sqlite = await scaleDatabase(
    file,
    { adults: SIZE.adults, officials: SIZE.officials, "big-agency": SIZE.bigAgency },
    "the scale database with the 20,000-official agency",
  );
  const { n } = sqlite.prepare("select count(*) as n from roster_official where agency_code = ?").get(AGENCY) as { n: number };
  sqlite.close();
  if (n < SIZE.bigAgency) throw new Error(`${file} has ${n} officials in ${AGENCY}; run with --fresh`);
  return file;
}

type Figures = { p50: number; p95: number; bytes: number };

async function sequential(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + WARM_UP; i++) {
    const t = performance.now();
    const response = await fetch(url, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= WARM_UP) times.push(performance.now() - t);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), bytes };
}

const line = (label: string, f: Figures) =>
  console.log(
    `${label.padEnd(44)} p50 ${fmt(f.p50, 1).padStart(6)} ms   p95 ${fmt(f.p95, 1).padStart(6)} ms   ${(f.bytes / 1024).toFixed(1).padStart(6)} KB HTML`,
  );

console.log(`Agency page benchmark — ${new Date().toISOString()} — ${machine()} — ${RUNS} sequential requests each`);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
execFileSync("npx", ["remix", "build"], { cwd: "bench/trivial", stdio: "ignore" });
const file = await prepare();

const app = await startServer(["node", "build/index.js"], { DATABASE_PATH: file });
let page: Figures;
let searched: Figures;
let filtered: Figures;
try {
  const cookie = await login(app.url, "bench-admin", "bench-admin-pass");
  page = await sequential(`${app.url}/bao-cao/co-quan/${AGENCY}?ky=2026`, { Cookie: cookie });
  filtered = await sequential(`${app.url}/bao-cao/co-quan/${AGENCY}?ky=2026&loc=not-started&trang=20`, { Cookie: cookie });
  searched = await sequential(`${app.url}/bao-cao/co-quan/${AGENCY}?ky=2026&tim=sc-2500`, { Cookie: cookie });
} finally {
  await app.stop();
}

const trivial = await startServer(["node", "node_modules/@remix-run/serve/dist/cli.js", "bench/trivial/build/index.js"], {}, "/");
const baseline = await sequential(`${trivial.url}/`);
await trivial.stop();

line("trivial Remix route (remix-serve)", baseline);
line(`agency page, ${SIZE.bigAgency.toLocaleString("en")} officials, first page`, page);
line("agency page, not started, page 20", filtered);
line("agency page, search by personnel code", searched);
const ok = page.p50 < 100 && page.bytes < 60 * 1024;
console.log(
  `SUMMARY agency page (${SIZE.bigAgency.toLocaleString("en")} officials): p50 ${fmt(page.p50, 1)} ms, p95 ${fmt(page.p95, 1)} ms, ${(page.bytes / 1024).toFixed(1)} KB ` +
    `(goal < 100 ms and < 60 KB: ${ok ? "met" : "NOT met"}); trivial Remix route p50 ${fmt(baseline.p50, 1)} ms`,
);
