// npm run bench:lesson — a real lesson page at 50 connections, anonymous and logged in, on each engine
// (BENCH_ENGINES, see bench/lib.ts), against two baselines measured in the same run: a plain node:http server
// sending the identical bytes (the practical limit) and a trivial Remix route under remix-serve.
import { writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { benchEngines, demoDatabase, fmt, login, machine, postgresServerPid, sideBySide, startServer, treeCpuSeconds, type EngineName } from "./lib";

const LESSON = "/khoa-hoc/dich-vu-cong-truc-tuyen/dich-vu-cong-truc-tuyen-la-gi";
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

type Figures = { rps: number; p50: number; p99: number; errors: number; non2xx: number; cpuMs: number[] };

/** Requests per second and latency; with `pids`, also each process tree's CPU per request (ms), for sizing. */
async function load(url: string, headers: Record<string, string> = {}, pids: Array<number | null> = []): Promise<Figures> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  const before = pids.map((pid) => treeCpuSeconds(pid ?? undefined));
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpuMs = pids.map((pid, i) => {
    const after = treeCpuSeconds(pid ?? undefined);
    return after === null || before[i] === null ? NaN : ((after - before[i]!) * 1000) / r.requests.total;
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuMs };
}

function cell(f: Figures): string {
  return `${fmt(f.rps, 0)} req/s, p50 ${fmt(f.p50, 1)}, p99 ${fmt(f.p99, 1)} ms${f.errors || f.non2xx ? ` (err ${f.errors}, non-2xx ${f.non2xx})` : ""}`;
}

/** The lesson page on one engine: anonymous, then signed in as the demo learner. */
async function lessonOn(engine: EngineName) {
  const database = demoDatabase(engine, "lesson");
  const app = await startServer(["node", "build/index.js"], database.env);
  try {
    const bytes = Buffer.from(await (await fetch(`${app.url}${LESSON}`)).arrayBuffer());
    const anonymous = await load(`${app.url}${LESSON}`);
    const cookie = await login(app.url, "demo-hocvien", "hocvuso-demo");
    const databasePid = database.url ? await postgresServerPid(database.url) : null;
    const signedIn = await load(`${app.url}${LESSON}`, { Cookie: cookie }, [app.process.pid ?? null, databasePid]);
    return { bytes, anonymous, signedIn };
  } finally {
    await app.stop();
    database.drop();
  }
}

const engines = benchEngines();
console.log(
  `Lesson page benchmark — ${new Date().toISOString()} — ${machine()} — ${CONNECTIONS} connections, ${DURATION} s each — engines ${engines.join(", ")}`,
);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
execFileSync("npx", ["remix", "build"], { cwd: "bench/trivial", stdio: "ignore" });

const results = [];
for (const engine of engines) results.push({ engine, ...(await lessonOn(engine)) });

// The baselines touch no database: measured once, in the same run, and shared by both engines' ratios.
const bodyFile = path.join(tmpdir(), `lesson-${process.pid}.html`);
writeFileSync(bodyFile, results[0].bytes);
const plain = await startServer(["node", "bench/plain-server.mjs"], { BODY_FILE: bodyFile }, "/");
const limit = await load(`${plain.url}/`);
await plain.stop();
const trivial = await startServer(["node", "node_modules/@remix-run/serve/dist/cli.js", "bench/trivial/build/index.js"], {}, "/");
const trivialRemix = await load(`${trivial.url}/`);
await trivial.stop();

console.log(`Page: ${LESSON} (${results[0].bytes.length.toLocaleString("en")} bytes of HTML)`);
console.log(`baseline plain node:http, same bytes: ${cell(limit)}`);
console.log(`baseline trivial Remix route (remix-serve): ${cell(trivialRemix)}`);
console.log(sideBySide("", engines));
console.log(
  sideBySide(
    "lesson page, anonymous",
    results.map((r) => cell(r.anonymous)),
  ),
);
console.log(
  sideBySide(
    "lesson page, logged in",
    results.map((r) => cell(r.signedIn)),
  ),
);
console.log(
  sideBySide(
    "signed in: CPU ms/page, app / db",
    results.map((r) => `${fmt(r.signedIn.cpuMs[0], 3)} / ${Number.isNaN(r.signedIn.cpuMs[1]) ? "— (in the app process)" : fmt(r.signedIn.cpuMs[1], 3)}`),
  ),
);
for (const r of results) {
  console.log(
    `SUMMARY lesson page [${r.engine}]: anonymous ${fmt((r.anonymous.rps / limit.rps) * 100, 0)}% of plain HTTP (goal ≥ 40%), ` +
      `logged in ${fmt(r.signedIn.rps / trivialRemix.rps, 2)}× trivial Remix (goal ≥ 2×), p99 ${fmt(r.anonymous.p99, 1)} / ${fmt(r.signedIn.p99, 1)} ms (goal < 50 ms)`,
  );
}
