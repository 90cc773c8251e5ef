import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";

// Online backups that finish under load (decision 013).
//
// SQLite's backup API copies a database a few pages per step and starts over whenever another connection
// writes between two steps: on a 745 MB database with learners submitting, it never finished. Here the copy
// is taken in ONE step, inside one read transaction on its own connection. In WAL mode a reader keeps its
// snapshot while the server goes on writing, and the writer never restarts it. The row counts of the key
// tables are read in the same transaction, so the copy can be checked against exactly the snapshot it holds.
// The copy runs in a worker thread, so a time limit can stop it with a clear message.

/** Tables whose row counts are compared between the snapshot and the copy. */
export const KEY_TABLES = ["person", "session", "lesson_progress", "course_progress", "quiz_attempt", "certificate"] as const;

export type BackupReport = {
  source: string;
  destination: string;
  milliseconds: number;
  bytes: number;
  pages: number;
  counts: Record<string, number>;
};

export class BackupTimeoutError extends Error {
  constructor(seconds: number) {
    super(`Sao lưu chưa xong sau ${seconds} giây nên đã dừng; không có bản sao nào được tạo. Hãy thử lại lúc ít người học, hoặc tăng --timeout.`);
  }
}

// The worker is plain CommonJS run from a string, so it needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const source = new Database(workerData.source, { fileMustExist: true });
source.pragma("busy_timeout = 5000");
source.exec("begin"); // a read transaction: one snapshot for the counts and for the copy
const counts = {};
for (const table of workerData.tables) {
  const exists = source.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
  if (exists) counts[table] = source.prepare('select count(*) from "' + table + '"').pluck().get();
}
source.backup(workerData.destination, { progress: () => 0x7fffffff }).then(
  (progress) => {
    source.exec("commit");
    source.close();
    parentPort.postMessage({ counts, pages: progress.totalPages });
  },
  (error) => {
    source.close();
    parentPort.postMessage({ error: String(error && error.message || error) });
  },
);
`;

const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");

function copyInWorker(source: string, destination: string, timeoutMs: number): Promise<{ counts: Record<string, number>; pages: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { driver: driverPath, source, destination, tables: KEY_TABLES } });
    const timer = setTimeout(() => {
      // The worker stops once its current step returns; whatever it wrote by then is removed again.
      void worker.terminate().finally(() => removePartial(destination));
      reject(new BackupTimeoutError(Math.round(timeoutMs / 1000)));
    }, timeoutMs);
    worker.once("message", (message: { error?: string; counts: Record<string, number>; pages: number }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Checks a copy: integrity_check, then the key tables' row counts against the snapshot's. Returns problems. */
export function verifyCopy(file: string, expected?: Record<string, number>): string[] {
  const copy = new Database(file, { fileMustExist: true });
  try {
    const problems: string[] = [];
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") problems.push(`integrity_check: ${String(check)}`);
    for (const [table, count] of Object.entries(expected ?? {})) {
      const actual = copy.prepare(`select count(*) from "${table}"`).pluck().get() as number;
      if (actual !== count) problems.push(`${table}: ${actual} dòng, bản gốc lúc sao lưu có ${count}`);
    }
    return problems;
  } finally {
    copy.close();
  }
}

/**
 * Copies `source` to `destination` while the server keeps writing, checks the copy, and records the time in
 * `last-backup.json` next to it (read by /readyz). Nothing is left at `destination` unless the copy is good.
 */
export async function backupDatabase(source: string, destination: string, { timeoutMs = 600_000 } = {}): Promise<BackupReport> {
  if (!existsSync(source)) throw new Error(`Không có cơ sở dữ liệu ${source}`);
  mkdirSync(path.dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const started = Date.now();
  try {
    const { counts, pages } = await copyInWorker(source, partial, timeoutMs);
    // A backup is one self-contained file: no -wal beside it.
    const copy = new Database(partial);
    copy.pragma("journal_mode = DELETE");
    copy.close();
    const problems = verifyCopy(partial, counts);
    if (problems.length) throw new Error(`Bản sao không đạt kiểm tra: ${problems.join("; ")}`);
    renameSync(partial, destination);
    const report = { source, destination, milliseconds: Date.now() - started, bytes: statSync(destination).size, pages, counts };
    writeFileSync(path.join(path.dirname(destination), "last-backup.json"), JSON.stringify({ ...report, finishedAt: new Date().toISOString() }, null, 2));
    return report;
  } finally {
    removePartial(partial);
  }
}

function removePartial(partial: string): void {
  for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
}

// ---------------------------------------------------------------------------------------------------------
// Retention for scheduled backups: the newest copy of each of the last N days, and the newest copy of each of
// the last M ISO weeks; everything else is pruned.

export const BACKUP_NAME = /^hoc-vu-so-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-\d{3})?Z\.db$/;

export function backupFileName(at: Date): string {
  return `hoc-vu-so-${at.toISOString().replace(/[:.]/g, "-")}.db`;
}

function takenAt(name: string): Date | null {
  const match = BACKUP_NAME.exec(name);
  return match ? new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`) : null;
}

function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  return `${day.getUTCFullYear()}-W${Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7)}`;
}

/** Which backup files to keep: names of the newest per day (N days) and per ISO week (M weeks). */
export function backupsToKeep(names: string[], daily: number, weekly: number): Set<string> {
  const dated = names
    .map((name) => ({ name, at: takenAt(name) }))
    .filter((b): b is { name: string; at: Date } => b.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>();
  const newestOf = (period: (d: Date) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of dated) {
      const key = period(backup.at);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      keep.add(backup.name);
    }
  };
  newestOf((d) => d.toISOString().slice(0, 10), daily);
  newestOf(isoWeek, weekly);
  return keep;
}

/** Deletes the scheduled backups in `dir` that retention does not keep; returns their names. */
export function pruneBackups(dir: string, daily: number, weekly: number): string[] {
  const names = readdirSync(dir).filter((name) => BACKUP_NAME.test(name));
  const keep = backupsToKeep(names, daily, weekly);
  const pruned = names.filter((name) => !keep.has(name));
  for (const name of pruned) rmSync(path.join(dir, name), { force: true });
  return pruned;
}
