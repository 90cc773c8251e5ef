// npm run bench:quiz — acknowledged quiz submissions per second from many distinct logged-in learners, then
// the number of attempts in the database against the number acknowledged (they must be equal).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { loadContent } from "../app/courses/load.server";
import { learnersReadyForQuiz } from "../scripts/seed/fixtures";
import { fmt, machine, startServer } from "./lib";

// A Monday-morning peak: many learners, each submitting a few times (the course allows retries).
const LEARNERS = 2_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// 20,000 submissions write enough WAL to include automatic checkpoints, as a real peak would.
const AMOUNT = Number(process.env.BENCH_SUBMISSIONS ?? 20_000);
const { catalog } = loadContent("content", "public");
const course = catalog.courses.find((c) => c.slug === "dich-vu-cong-truc-tuyen")!;

console.log(`Quiz submission benchmark — ${new Date().toISOString()} — ${machine()} — ${LEARNERS} learners, ${CONNECTIONS} connections, ${AMOUNT} submissions`);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
const db = `data/bench-quiz-${process.pid}.db`;
execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...process.env, DATABASE_PATH: db }, stdio: "ignore" });
const cookies = learnersReadyForQuiz(db, course.slug, course.lessons.map((l) => l.slug), LEARNERS);
const server = await startServer(["node", "build/index.js"], { DATABASE_PATH: db });

// Half right, half wrong answers, so both the passing path (completion, certificate, aggregates) and the
// failing path are exercised. Each learner alternates, so no one fails twice in a row and meets the cool-down
// (decision 009), which would answer 429 instead of writing.
const answers = (right: boolean) => {
  const form = new URLSearchParams();
  for (const q of course.quiz.questions) for (const o of right ? q.correct : [q.options.find((x) => !q.correct.includes(x.id))!.id]) form.append(`q-${q.id}`, o);
  return form.toString();
};
const RIGHT = answers(true);
const WRONG = answers(false);
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
await server.stop();
const sqlite = new Database(db, { readonly: true });
const stored = sqlite.prepare("select count(*) from quiz_attempt where person_id like 'fault-%'").pluck().get() as number;
const integrity = sqlite.pragma("integrity_check", { simple: true });
sqlite.close();
execFileSync("rm", ["-f", db, `${db}-wal`, `${db}-shm`]);
const seconds = (lastAnswered - firstSent) / 1000;
console.log(`requests sent ${result.requests.sent}, acknowledged (302 to the result page) ${acknowledged}, errors ${result.errors}, timeouts ${result.timeouts}`);
console.log(`latency p50 ${fmt(result.latency.p50, 1)} ms, p99 ${fmt(result.latency.p99, 1)} ms; attempts stored ${stored}; integrity_check ${integrity}`);
console.log(
  `SUMMARY quiz submissions: ${fmt(acknowledged / seconds, 0)} acknowledged/s (goal ≥ 2,000); stored ${stored} = acknowledged ${acknowledged}: ${stored === acknowledged ? "equal" : "NOT EQUAL"}`,
);
