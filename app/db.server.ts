import type { Kysely, Transaction } from "kysely";
import { databasePath, databaseUrl, openDatabase, openPostgresDatabase, type AppDatabase, type Engine } from "../db/database";
import { announceCacheChange, listen, onCacheChange } from "../db/notify";
import { fixedStatement, runDirectly } from "../db/prepared";
import type { DB } from "../db/schema";
import { refuseWritesWhenDiskLow } from "./operations/disk.server";
import { databaseBusy, groupCommitSize } from "./operations/metrics.server";

// The one import through which app code reaches the database (decision 016): the connection, the engine, the
// group commit, precompiled reads and the few helpers for SQL the two engines spell differently.
export { preparedQuery } from "../db/prepared";
export { engineOf, greatest, isUniqueViolation, januaryOf, lockKey, vietnamMonthOf, withoutIndex } from "../db/portable";
export { withWriteDeadline } from "../db/resilient-driver";

// SQLite: one connection per process (SQLite serialises writers anyway). PostgreSQL (DATABASE_URL): a pool.
// Opened on first use.
let opened: AppDatabase | undefined;

export function database(): AppDatabase {
  // Read on every query: the environment is consulted once, when the database is opened.
  opened ??= openConfigured();
  return opened;
}

function openConfigured(): AppDatabase {
  const url = databaseUrl();
  return url ? openPostgresDatabase(url) : openServerDatabase(databasePath());
}

/**
 * Per-process caches of changeable data (decision 017): `register` says how to drop one; `watch` (before
 * filling it) makes sure this process hears changes; `changed` drops it in every app process (LISTEN/NOTIFY
 * on PostgreSQL).
 */
export const cacheEvents = {
  register: (name: string, forget: () => void) => onCacheChange(name, forget),
  watch: async () => {
    const url = databaseUrl();
    if (url) await listen(url);
  },
  changed: (name: string) => announceCacheChange(name, databaseUrl()),
};

export function engine(): Engine {
  return database().engine;
}

/**
 * The server's connection (decision 013): better-sqlite3 waits for another process's lock synchronously, on
 * the event loop, so it waits only a few ms itself and the driver retries asynchronously up to a deadline.
 * Writes are refused early when free disk space is below MIN_FREE_DISK_MB.
 */
function openServerDatabase(file: string): AppDatabase {
  return openDatabase(file, {
    busyTimeoutMs: Number(process.env.DB_BUSY_TIMEOUT_MS ?? 20),
    writeDeadlineMs: Number(process.env.DB_WRITE_DEADLINE_MS ?? 4000),
    beforeWrite: () => refuseWritesWhenDiskLow(file),
    onBusy: () => databaseBusy.inc(),
  });
}

export function db(): Kysely<DB> {
  return database().db;
}

/**
 * Runs `work` on one connection, for work that needs one across statements (TEMP tables). SQLite has only
 * one; on PostgreSQL this holds one connection of the pool until `work` ends.
 */
export function onOneConnection<T>(work: (conn: Kysely<DB>) => Promise<T>): Promise<T> {
  return engine() === "postgres" ? db().connection().execute(work) : work(db());
}

export function nowIso(): string {
  return new Date().toISOString();
}

// ---------------------------------------------------------------------------------------------------------
// Group commit. With synchronous=FULL every commit waits for the disk; at the Monday-morning peak that wait,
// not the work, would bound how many quiz submissions a second can be acknowledged. Writes that arrive
// together share one transaction and one fsync: each runs in its own savepoint, so one job's failure rolls
// back only that job, and no caller hears "done" before the shared commit has reached the disk.

type Job = { work: (trx: Transaction<DB>) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

const savepoint = fixedStatement("savepoint job");
const rollbackToSavepoint = fixedStatement("rollback to job");
const releaseSavepoint = fixedStatement("release job");

let waiting: Job[] = [];
let flushScheduled = false;

export function inGroupCommit<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // PostgreSQL commits concurrent transactions on its own connections and groups their WAL flushes itself.
  if (engine() === "postgres") return db().transaction().execute(work);
  return new Promise<T>((resolve, reject) => {
    waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!flushScheduled) {
      flushScheduled = true;
      // After the current round of I/O callbacks, so every request already read can join this commit.
      setImmediate(flush);
    }
  });
}

async function flush(): Promise<void> {
  flushScheduled = false;
  const jobs = waiting;
  waiting = [];
  groupCommitSize.observe(jobs.length);
  const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
  try {
    await db()
      .transaction()
      .execute(async (trx) => {
        // The transaction is this connection's only one until the commit: its compiled statements may run on
        // the connection directly (db/prepared.ts).
        const opened = database();
        if (opened.engine === "sqlite") runDirectly(trx, (sql, parameters) => opened.direct.runInTransaction(sql, parameters));
        for (const job of jobs) {
          await savepoint(trx);
          try {
            outcomes.push({ ok: true, value: await job.work(trx) });
          } catch (error) {
            await rollbackToSavepoint(trx);
            outcomes.push({ ok: false, error });
          }
          await releaseSavepoint(trx);
        }
      });
  } catch (error) {
    for (const job of jobs) job.reject(error); // the commit itself failed: nothing was written
    return;
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
}
