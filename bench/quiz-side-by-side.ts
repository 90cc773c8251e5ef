// npm run bench:quiz-vs -- /path/to/other/checkout — quiz submissions of this checkout against another one
// (an older commit, built, with its node_modules), both servers running at once, the load alternating between
// them in rounds of equal size (SQLite).
//
// Why: on a shared machine, consecutive runs of one build differ by up to 25 %, more than most changes worth
// measuring. Runs of two builds one after the other compare the machine's moments as much as the builds.
// Here each round of one build is next to a round of the other, a few seconds apart, and both see the same
// sequence of learners and answers, so the ratio of their rates is steady where the rates are not.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { fmt, freePort, machine, treeCpuSeconds } from "./lib";
import { course, lessons, RIGHT, WRONG } from "./quiz-workload";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_ROUND_SUBMISSIONS ?? 2_000);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 1_000);
const LEARNERS = 2_000;
const CONNECTIONS = 50;

const other = process.argv[2] ? path.resolve(process.argv[2]) : null;
if (!other || !existsSync(path.join(other, "build/index.js"))) {
  console.error("Usage: npm run bench:quiz-vs -- <other checkout, built (npx remix build) with its node_modules>");
  process.exit(2);
}

type Side = {
  name: string;
  dir: string;
  database: string;
  url: string;
  child: ChildProcess;
  cookies: string[];
  sent: number;
  /** Every acknowledged submission, the warm-up's too: the database must hold exactly these. */
  everAcknowledged: number;
  stored: number;
  acknowledged: number;
  seconds: number;
  cpu: number;
  rates: number[];
};

/** A checkout's own server and its own demo database with learners ready for the quiz, made by its own code. */
async function start(name: string, dir: string): Promise<Side> {
  const database = `/tmp/bench-quiz-vs-${name}-${process.pid}.db`;
  const env = { ...process.env, DATABASE_PATH: database, DATABASE_URL: "" };
  execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { cwd: dir, env, stdio: "ignore" });
  // Older checkouts kept the fixtures under db/seed.
  const fixtures = ["scripts/seed/fixtures.ts", "db/seed/fixtures.ts"].map((f) => path.join(dir, f)).find(existsSync)!;
  const { learnersReadyForQuiz } = await import(fixtures);
  const cookies: string[] = learnersReadyForQuiz(database, course.slug, lessons, LEARNERS);
  const port = await freePort();
  // Older checkouts started from server.mjs; this one from build/index.js.
  const entry = existsSync(path.join(dir, "server.mjs")) ? "server.mjs" : "build/index.js";
  const child = spawn("node", [entry], {
    cwd: dir,
    env: { ...env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), COOKIE_SECURE: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${url}/khoa-hoc`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { name, dir, database, url, child, cookies, sent: 0, everAcknowledged: 0, stored: 0, acknowledged: 0, seconds: 0, cpu: 0, rates: [] };
}

/** One round of `amount` submissions against one side: acknowledged, seconds from first sent to last answered, CPU. */
async function round(side: Side, amount: number) {
  let acknowledged = 0;
  let first = 0;
  let last = 0;
  const cpuBefore = treeCpuSeconds(side.child.pid)!;
  await autocannon({
    url: side.url,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: "POST",
        path: `/khoa-hoc/${course.slug}/kiem-tra`,
        setupRequest: (request) => {
          side.sent += 1;
          first ||= performance.now();
          return {
            ...request,
            headers: { Cookie: side.cookies[side.sent % LEARNERS], Origin: side.url, "Content-Type": "application/x-www-form-urlencoded" },
            body: `idempotency_key=${randomUUID()}&${Math.floor(side.sent / LEARNERS) % 2 ? RIGHT : WRONG}`,
          };
        },
        onResponse: (status, _body, _context, headers) => {
          last = performance.now();
          const location = Object.entries(headers ?? {}).find(([n]) => n.toLowerCase() === "location")?.[1];
          if (status === 302 && /\/kiem-tra\/\d+$/.test(String(location ?? ""))) acknowledged += 1;
        },
      },
    ],
  });
  return { acknowledged, seconds: (last - first) / 1000, cpu: treeCpuSeconds(side.child.pid)! - cpuBefore };
}

function stop(side: Side): Promise<void> {
  return new Promise((resolve) => {
    side.child.once("exit", () => {
      const sqlite = new Database(side.database, { readonly: true });
      side.stored = sqlite.prepare("select count(*) from quiz_attempt where person_id like 'fault-%'").pluck().get() as number;
      sqlite.close();
      execFileSync("rm", ["-f", side.database, `${side.database}-wal`, `${side.database}-shm`]);
      resolve();
    });
    side.child.kill("SIGTERM");
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(
  `Quiz submissions side by side — ${new Date().toISOString()} — ${machine()} — ${ROUNDS} rounds of ${PER_ROUND} per side after ${WARM_UP} to warm up, ${CONNECTIONS} connections, ${LEARNERS} learners`,
);
const baseline = await start("other", other);
const current = await start("this", process.cwd());
try {
  for (let r = 0; r <= ROUNDS; r++) {
    // Who goes first alternates, so neither always runs right after the other's burst.
    for (const side of r % 2 ? [baseline, current] : [current, baseline]) {
      const result = await round(side, r === 0 ? WARM_UP : PER_ROUND);
      side.everAcknowledged += result.acknowledged;
      if (r === 0) continue;
      side.acknowledged += result.acknowledged;
      side.seconds += result.seconds;
      side.cpu += result.cpu;
      side.rates.push(result.acknowledged / result.seconds);
    }
  }
} finally {
  await Promise.all([stop(baseline), stop(current)]);
}
for (const side of [baseline, current]) {
  console.log(
    `${side.name === "this" ? "this checkout " : `other (${path.basename(side.dir)})`.padEnd(14)}  ${fmt(side.acknowledged / side.seconds, 0)} acknowledged/s of ${side.sent - WARM_UP} sent; CPU ${fmt((1000 * side.cpu) / side.acknowledged, 3)} ms each; stored ${side.stored} = acknowledged ${side.everAcknowledged}: ${side.stored === side.everAcknowledged ? "equal" : "DIFFERENT"}; rounds ${side.rates.map((r) => fmt(r, 0)).join(" ")}`,
  );
}
const roundRatios = current.rates.map((rate, i) => rate / baseline.rates[i]);
const rateRatio = current.acknowledged / current.seconds / (baseline.acknowledged / baseline.seconds);
const cpuRatio = current.cpu / current.acknowledged / (baseline.cpu / baseline.acknowledged);
console.log(`round ratios (this / other): ${roundRatios.map((r) => fmt(r, 2)).join(" ")}`);
console.log(
  `SUMMARY quiz submissions side by side: this / other = ${fmt(rateRatio, 3)} in acknowledged/s (median round ${fmt(median(roundRatios), 2)}), ${fmt(cpuRatio, 3)} in CPU per answer`,
);
