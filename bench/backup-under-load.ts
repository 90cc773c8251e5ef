// npm run bench:backup — how long `npm run db:backup` takes on the 250 k-adult database (seed:scale) while the
// server acknowledges a steady 50 quiz submissions per second, against the same backup with the server idle,
// and against the previous method (SQLite's backup API at its default 100 pages per step, which restarts
// whenever the server writes) given BENCH_OLD_BACKUP_SECONDS (default 90) to finish.
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import { loadContent } from "../app/courses/load.server";
import { storedToken } from "../app/accounts/token.server";
import { benchEngines, fmt, machine, startServer } from "./lib";

const RATE = Number(process.env.BENCH_RATE ?? 50);
const LEARNERS = 500;
const OLD_SECONDS = Number(process.env.BENCH_OLD_BACKUP_SECONDS ?? 90);
const scale = "data/scale-250000.db";
const work = `data/bench-backup-${process.pid}.db`;
const copy = `data/bench-backup-${process.pid}-copy.db`;
const { catalog } = loadContent("content", "public");
const course = catalog.courses.find((c) => c.slug === "dich-vu-cong-truc-tuyen")!;

console.log(`Backup under load — ${new Date().toISOString()} — ${machine()} — ${RATE} submissions/s — SQLite only`);
// On PostgreSQL, db:backup is pg_dump, which reads one MVCC snapshot and never blocks writers (decision 016);
// this benchmark measures SQLite's own online copy against its previous method, so it runs on SQLite alone.
if (!benchEngines().includes("sqlite")) process.exit(0);
if (benchEngines().includes("postgres")) console.log("PostgreSQL: not measured by this script (pg_dump under load is not benchmarked).");
if (!existsSync(scale)) execFileSync("npx", ["tsx", "scripts/seed-scale.ts", "--adults", "250000"], { stdio: "inherit" });
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
copyFileSync(scale, work);
const cookies = learnersReadyForQuiz(work, LEARNERS);
console.log(`database ${(statSync(work).size / 1048576).toFixed(0)} MB, ${LEARNERS} learners ready for the quiz`);

/** Learners who completed every lesson of the course, with a session each (the scale data has no passwords). */
function learnersReadyForQuiz(file: string, count: number): string[] {
  const db = new Database(file);
  const now = new Date().toISOString();
  const result: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `bench-${randomBytes(6).toString("hex")}`;
      db.prepare(
        `insert into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
         values (?, ?, 'Người Đo', 'nguoi do', 1980, '25459', 'citizen', 'x', ?, 'self', ?)`,
      ).run(id, id, now, now);
      for (const lesson of course.lessons) {
        db.prepare("insert into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at, completed_at) values (?, ?, ?, ?, ?)").run(
          id,
          course.slug,
          lesson.slug,
          now,
          now,
        );
      }
      const session = randomBytes(20).toString("hex");
      db.prepare("insert into session (id, user_id, expires_at) values (?, ?, ?)").run(storedToken(session), id, Math.floor(Date.now() / 1000) + 86400);
      result.push(`hvs_session=${session}`);
    }
  })();
  db.close();
  return result;
}

const answers = new URLSearchParams();
for (const q of course.quiz.questions) for (const o of q.correct) answers.append(`q-${q.id}`, o);

/** A steady stream of submissions, one every 1000/RATE ms, whatever the answers' speed. */
function steadyLoad(url: string) {
  let sent = 0;
  let acknowledged = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    sent += 1;
    const form = new URLSearchParams(answers);
    form.set("idempotency_key", randomUUID());
    const request = fetch(`${url}/khoa-hoc/${course.slug}/kiem-tra`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies[sent % LEARNERS], Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
      body: form,
    }).then(
      (r) => void (r.status === 302 ? (acknowledged += 1) : (failed += 1)),
      () => void (failed += 1),
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, 1000 / RATE);
  return {
    counts: () => ({ sent, acknowledged, failed }),
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

/** `npm run db:backup` in its own process, while this one keeps sending submissions. */
async function timedBackup(): Promise<{ seconds: number; copying: number; output: string }> {
  rmSync(copy, { force: true });
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      "npx",
      ["tsx", "scripts/db-backup.ts", copy, "--timeout", "900"],
      { env: { ...process.env, DATABASE_PATH: work, DATABASE_URL: "" } },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    ),
  );
  // The copy itself (snapshot, copy, checks), as the script reports it; the wall time adds tsx's start-up.
  const copying = Number(/\((\d+) ms/.exec(output)?.[1] ?? NaN) / 1000;
  return { seconds: (performance.now() - started) / 1000, copying, output };
}

/** The previous method, in its own process: better-sqlite3's backup() with its default 100 pages per step. */
function oldBackup(seconds: number): Promise<{ finished: boolean; seconds: number }> {
  rmSync(copy, { force: true });
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const code = `const D = require(${JSON.stringify(driver)}); const s = new D(${JSON.stringify(work)}); s.pragma("busy_timeout = 5000"); s.backup(${JSON.stringify(copy)}).then(() => process.exit(0));`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("node", ["-e", code], { stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), seconds * 1000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ finished: exitCode === 0, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const server = await startServer(["node", "build/index.js"], { DATABASE_PATH: work, DATABASE_URL: "" });
try {
  const idle = await timedBackup();
  console.log(`idle: ${fmt(idle.seconds)} s — ${idle.output}`);

  const load = steadyLoad(server.url);
  await new Promise((r) => setTimeout(r, 3000)); // let the stream settle
  const before = load.counts();
  const loaded = await timedBackup();
  const after = load.counts();
  const during = after.acknowledged - before.acknowledged;
  console.log(`under load: ${fmt(loaded.seconds)} s — ${loaded.output}`);
  const sentDuring = after.sent - before.sent;
  console.log(
    `during the backup: ${sentDuring} submissions sent (${fmt(sentDuring / loaded.seconds)}/s), ${during} acknowledged by its end (${fmt(during / loaded.seconds)}/s), ${after.failed - before.failed} failed`,
  );

  const old = await oldBackup(OLD_SECONDS);
  const afterOld = load.counts();
  await load.stop();
  console.log(
    `previous method (backup API, 100 pages per step) under the same load: ${old.finished ? `finished in ${fmt(old.seconds)} s` : `NOT finished after ${fmt(old.seconds, 0)} s (stopped)`}; ${afterOld.acknowledged - after.acknowledged} submissions acknowledged meanwhile`,
  );
  console.log(
    `SUMMARY backup of the 250 k-adult database (${(statSync(work).size / 1048576).toFixed(0)} MB) under ${RATE} submissions/s: ${fmt(loaded.seconds)} s ` +
      `(copy and checks ${fmt(loaded.copying)} s; idle ${fmt(idle.seconds)} s, ratio ${fmt(loaded.seconds / idle.seconds, 2)}); verified; ` +
      `${during} submissions acknowledged meanwhile; previous method ${old.finished ? `${fmt(old.seconds)} s` : `unfinished after ${fmt(old.seconds, 0)} s`}`,
  );
} finally {
  await server.stop();
  for (const f of [work, `${work}-wal`, `${work}-shm`, copy]) rmSync(f, { force: true });
}
