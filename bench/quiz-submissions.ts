// npm run bench:quiz — acknowledged quiz submissions per second from many distinct logged-in learners, then
// the number of attempts in the database against the number acknowledged (they must be equal). On each engine
// (BENCH_ENGINES, see bench/lib.ts): SQLite with its one process; PostgreSQL with one and with two app
// processes (WEB_CONCURRENCY=2, cluster.mjs). Each run starts from a fresh demo database.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { learnersReadyForQuiz, learnersReadyForQuizOn } from "../scripts/seed/fixtures";
import {
  benchEngines,
  demoDatabase,
  postgresServerPid,
  treeCpuSeconds,
  fmt,
  machine,
  sideBySide,
  startServer,
  type BenchDatabase,
  type EngineName,
} from "./lib";
import { course, lessons, RIGHT, WRONG } from "./quiz-workload";

// A Monday-morning peak: many learners, each submitting a few times (the course allows retries).
const LEARNERS = 2_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// 20,000 submissions write enough WAL to include automatic checkpoints, as a real peak would.
const AMOUNT = Number(process.env.BENCH_SUBMISSIONS ?? 20_000);

type Run = {
  label: string;
  acknowledged: number;
  stored: number;
  check: string;
  perSecond: number;
  /** The app's CPU time (all its processes) per acknowledged submission (ms): less sensitive to a busy machine. */
  cpuMs: number | null;
  /** The PostgreSQL server's CPU time (all its processes) per acknowledged submission (ms), when it runs here. */
  databaseCpuMs: number | null;
  /** SQLite: the submissions that shared one commit (and one fsync), on average; from the server's /metrics. */
  jobsPerCommit: number | null;
  p50: number;
  p99: number;
  sent: number;
  errors: number;
  timeouts: number;
};

/** Attempts of the benchmark's learners actually in the database, and the engine's own consistency check. */
async function storedAttempts(database: BenchDatabase): Promise<{ stored: number; check: string }> {
  if (database.path) {
    const sqlite = new Database(database.path, { readonly: true });
    const stored = sqlite.prepare("select count(*) from quiz_attempt where person_id like 'fault-%'").pluck().get() as number;
    const check = `integrity_check ${sqlite.pragma("integrity_check", { simple: true })}`;
    sqlite.close();
    return { stored, check };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "select count(*)::int as n, count(distinct idempotency_key)::int as distinct_keys from quiz_attempt where person_id like 'fault-%'",
    );
    return { stored: rows[0].n, check: `distinct idempotency keys ${rows[0].distinct_keys}` };
  } finally {
    await client.end();
  }
}

async function submissions(engine: EngineName, processes: number): Promise<Run> {
  const database = demoDatabase(engine, `quiz${processes}`);
  try {
    const cookies = database.path
      ? learnersReadyForQuiz(database.path, course.slug, lessons, LEARNERS)
      : await learnersReadyForQuizOn(database.url!, course.slug, lessons, LEARNERS);
    // BENCH_CPU_PROFILE_DIR: a V8 CPU profile of the (single) server process, for a look at where time goes.
    const profile = process.env.BENCH_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [];
    const command = processes > 1 ? ["node", "cluster.mjs"] : ["node", ...profile, "build/index.js"];
    const server = await startServer(command, { ...database.env, WEB_CONCURRENCY: String(processes) });
    // CPU per submission, for sizing (docs/deployment.md): the app's processes and, on PostgreSQL, the
    // database server's, when it runs on this machine.
    const databasePid = database.url ? await postgresServerPid(database.url) : null;
    const cpuBefore = treeCpuSeconds(server.process.pid);
    const databaseCpuBefore = treeCpuSeconds(databasePid ?? undefined);
    let n = 0;
    let acknowledged = 0;
    // Timed here from the first request to the last response: autocannon's own duration has 1-second steps.
    let firstSent = 0;
    let lastAnswered = 0;
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      amount: AMOUNT,
      requests: [
        {
          method: "POST",
          path: `/khoa-hoc/${course.slug}/kiem-tra`,
          setupRequest: (request) => {
            n += 1;
            firstSent ||= performance.now();
            return {
              ...request,
              headers: { Cookie: cookies[n % LEARNERS], Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
              body: `idempotency_key=${randomUUID()}&${Math.floor(n / LEARNERS) % 2 ? RIGHT : WRONG}`,
            };
          },
          onResponse: (status, _body, _context, headers) => {
            lastAnswered = performance.now();
            const location = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "location")?.[1];
            if (status === 302 && /\/kiem-tra\/\d+$/.test(String(location ?? ""))) acknowledged += 1;
          },
        },
      ],
    });
    const cpuAfter = treeCpuSeconds(server.process.pid);
    const databaseCpuAfter = treeCpuSeconds(databasePid ?? undefined);
    const jobsPerCommit = await averageGroupCommit(server.url);
    await server.stop();
    const { stored, check } = await storedAttempts(database);
    const label = `${engine}, ${processes} process${processes > 1 ? "es" : ""}`;
    const perSecond = acknowledged / ((lastAnswered - firstSent) / 1000);
    const perSubmission = (before: number | null, after: number | null) =>
      before !== null && after !== null && acknowledged ? ((after - before) * 1000) / acknowledged : null;
    const cpuMs = perSubmission(cpuBefore, cpuAfter);
    const databaseCpuMs = perSubmission(databaseCpuBefore, databaseCpuAfter);
    return {
      label,
      acknowledged,
      stored,
      check,
      perSecond,
      cpuMs,
      databaseCpuMs,
      jobsPerCommit,
      p50: result.latency.p50,
      p99: result.latency.p99,
      sent: result.requests.sent,
      errors: result.errors,
      timeouts: result.timeouts,
    };
  } finally {
    database.drop();
  }
}

/** hvs_group_commit_jobs' sum over its count (the server answers /metrics to a loopback client). */
async function averageGroupCommit(url: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^hvs_group_commit_jobs_${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const average = value("sum") / value("count");
  return Number.isFinite(average) ? average : null;
}

const engines = benchEngines();
console.log(
  `Quiz submission benchmark — ${new Date().toISOString()} — ${machine()} — ${LEARNERS} learners, ${CONNECTIONS} connections, ${AMOUNT} submissions — engines ${engines.join(", ")}`,
);
// BENCH_SKIP_BUILD=1: the build is there already (e.g. when comparing runs of one build).
if (!process.env.BENCH_SKIP_BUILD) execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
const runs: Run[] = [];
for (const engine of engines) {
  // Several processes need PostgreSQL (decision 017): SQLite's single writer belongs to one process.
  for (const processes of engine === "postgres" ? [1, 2] : [1]) runs.push(await submissions(engine, processes));
}
console.log(
  sideBySide(
    "",
    runs.map((r) => r.label),
  ),
);
console.log(
  sideBySide(
    "acknowledged/s",
    runs.map((r) => fmt(r.perSecond, 0)),
  ),
);
console.log(
  sideBySide(
    "app CPU per submission (ms)",
    runs.map((r) => (r.cpuMs === null ? "—" : fmt(r.cpuMs, 3))),
  ),
);
console.log(
  sideBySide(
    "database CPU per submission (ms)",
    runs.map((r) => (r.databaseCpuMs === null ? "— (in the app process)" : fmt(r.databaseCpuMs, 3))),
  ),
);
console.log(
  sideBySide(
    "submissions per commit",
    runs.map((r) => (r.jobsPerCommit === null ? "— (a commit each)" : fmt(r.jobsPerCommit, 1))),
  ),
);
console.log(
  sideBySide(
    "latency p50 / p99 (ms)",
    runs.map((r) => `${fmt(r.p50, 1)} / ${fmt(r.p99, 1)}`),
  ),
);
console.log(
  sideBySide(
    "sent / acknowledged / stored",
    runs.map((r) => `${r.sent} / ${r.acknowledged} / ${r.stored}`),
  ),
);
console.log(
  sideBySide(
    "errors / timeouts",
    runs.map((r) => `${r.errors} / ${r.timeouts}`),
  ),
);
console.log(
  sideBySide(
    "check",
    runs.map((r) => r.check),
  ),
);
for (const r of runs) {
  console.log(
    `SUMMARY quiz submissions [${r.label}]: ${fmt(r.perSecond, 0)} acknowledged/s (goal ≥ ${r.label.startsWith("postgres") ? "1,500" : "2,000"}); ` +
      `stored ${r.stored} = acknowledged ${r.acknowledged}: ${r.stored === r.acknowledged ? "equal" : "NOT EQUAL"}` +
      coresForGoal(r),
  );
}

/** The cores the app and its database would need at the goal's rate, from the CPU each submission took here. */
function coresForGoal(r: Run): string {
  if (r.cpuMs === null) return "";
  const goal = r.label.startsWith("postgres") ? 1500 : 2000;
  const perSubmission = r.cpuMs + (r.databaseCpuMs ?? 0);
  return `; CPU ${fmt(perSubmission, 2)} ms each, so ${goal}/s needs ${fmt((perSubmission * goal) / 1000, 1)} cores (this machine: ${os.cpus().length}, shared with the load generator)`;
}
