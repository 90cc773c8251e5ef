import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, testEngine, useTempDatabase } from "./support/db";

// Operations (decision 013): another process holding the write lock must not freeze this one, a full disk
// must be reported as what it is, writes are refused early when space runs low, and scheduled backups keep
// the right copies. Real SQLite files throughout; "another process" is a second connection to the same file.
// Engine-specific (decision 016): the write lock, SQLITE_FULL, the WAL and the online file backup are SQLite's
// own; on PostgreSQL those describe blocks are skipped and the server's own tools do that work (pg_dump).

const sqliteOnly = testEngine === "sqlite" ? describe : describe.skip;

process.env.DB_WRITE_DEADLINE_MS = "1000";
process.env.DISK_WATCH_MS = "0";

let file: string;
let learner: string;
let n = 0;

beforeAll(async () => {
  file = await useTempDatabase();
  learner = await makePerson();
});

afterEach(() => {
  delete process.env.MIN_FREE_DISK_MB;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small write through the group commit, as a quiz submission or lesson view would make. */
async function write() {
  const { inGroupCommit } = await import("~/db.server");
  n += 1;
  return inGroupCommit((trx) =>
    trx
      .insertInto("lesson_progress")
      .values({ person_id: learner, course_slug: "ops", lesson_slug: `l-${n}`, first_viewed_at: new Date().toISOString() })
      .execute(),
  );
}

async function stored(): Promise<number> {
  const { db } = await import("~/db.server");
  const row = await db()
    .selectFrom("lesson_progress")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("course_slug", "=", "ops")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Another connection takes the write lock, as a CLI import or the sqlite3 shell would. */
function holdWriteLock() {
  const other = new Database(file);
  other.exec("begin immediate");
  return () => {
    other.exec("commit");
    other.close();
  };
}

sqliteOnly("another process holds the write lock (SQLite only)", () => {
  it("reads keep answering, and a write waits without blocking the server, then succeeds when the lock is released", async () => {
    const release = holdWriteLock();
    const events: string[] = [];
    const before = await stored();
    const writing = write().then(() => events.push("write committed"));
    // Released by a timer: if the write waited synchronously on the event loop, this could never run in time.
    setTimeout(() => {
      events.push("lock released");
      release();
    }, 300);
    await sleep(50);
    expect(await stored()).toBe(before); // a read, answered while the lock is held elsewhere
    events.push("read answered");
    await writing;
    expect(events).toEqual(["read answered", "lock released", "write committed"]);
    expect(await stored()).toBe(before + 1);
  });

  it("past the deadline the writers get DatabaseBusyError (a 503), nobody is acknowledged, and nothing is stored", async () => {
    const { DatabaseBusyError } = await import("../../db/resilient-driver");
    const { unavailableKind } = await import("~/operations/errors.server");
    const release = holdWriteLock();
    const before = await stored();
    const outcomes = await Promise.allSettled([write(), write(), write()]);
    release();
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const o of outcomes) {
      const reason = (o as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DatabaseBusyError);
      expect(unavailableKind(reason)).toBe("busy");
    }
    expect(await stored()).toBe(before);
    await write(); // and the next write works at once
    expect(await stored()).toBe(before + 1);
  });
});

sqliteOnly("a full disk (SQLite only)", () => {
  it("reaches the caller as SQLITE_FULL, not as 'cannot rollback - no transaction is active', and the next write works again", async () => {
    const { database } = await import("~/db.server");
    const opened = database();
    if (opened.engine !== "sqlite") throw new Error("SQLite only");
    const { sqlite } = opened;
    const pages = sqlite.pragma("page_count", { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 2}`); // SQLite's own "database or disk is full"
    const { db } = await import("~/db.server");
    const big = "x".repeat(20_000);
    const error = await db()
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 20; i++)
          await trx
            .insertInto("lesson_progress")
            .values({ person_id: learner, course_slug: "ops-full", lesson_slug: `${i}-${big}`, first_viewed_at: "x" })
            .execute();
      })
      .then(
        () => null,
        (e: unknown) => e as { code?: string; message: string },
      );
    sqlite.pragma("max_page_count = 1073741823");
    expect(error?.code).toBe("SQLITE_FULL");
    expect(error?.message).toContain("database or disk is full");
    const before = await stored();
    await write();
    expect(await stored()).toBe(before + 1);
  });

  it("is logged once per burst, with its real cause", async () => {
    const { logOncePerBurst } = await import("~/operations/errors.server");
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    const start = Date.now();
    for (let i = 0; i < 500; i++) logOncePerBurst(full, "test", start + i);
    logOncePerBurst(full, "test", start + 61_000); // the next burst
    spy.mockRestore();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("SQLITE_FULL database or disk is full");
    expect(lines[1]).toContain("499 lần nữa");
  });

  it("below MIN_FREE_DISK_MB, writes are refused early with a clear message while reads go on; /readyz turns unready, then ready again", async () => {
    const { DiskFullError } = await import("../../db/resilient-driver");
    const { readiness } = await import("~/operations/health.server");
    const { recheckDisk } = await import("~/operations/disk.server");
    const before = await stored();
    process.env.MIN_FREE_DISK_MB = String(1024 * 1024 * 1024); // a petabyte: more than this disk has free
    recheckDisk();
    const refused = await write().then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DiskFullError);
    expect((refused as Error).message).toMatch(/Ổ đĩa sắp đầy: còn \d+ MB trống/);
    expect(await stored()).toBe(before); // reads still answer
    const unready = await readiness();
    expect(unready.ready).toBe(false);
    expect(unready.checks.disk.ok).toBe(false);
    expect(unready.checks.database.ok).toBe(false);
    process.env.MIN_FREE_DISK_MB = "0";
    recheckDisk();
    const ready = await readiness();
    expect(ready.checks.disk.ok).toBe(true);
    expect(ready.checks.database.ok).toBe(true);
    expect(ready.checks.migrations.ok).toBe(true);
    expect(ready.ready).toBe(true);
    await write();
    expect(await stored()).toBe(before + 1);
  });
});

describe("scheduled backups", () => {
  it("keep the newest copy of each of the last 7 days and of each of the last 4 weeks, and nothing else", async () => {
    const { backupFileName, backupsToKeep } = await import("../../db/backup");
    // Two backups a day (02:00 and 14:00) for 60 days up to Tuesday 2026-12-01.
    const names: string[] = [];
    for (let day = 0; day < 60; day++) {
      for (const hour of [2, 14]) names.push(backupFileName(new Date(Date.UTC(2026, 11, 1 - day, hour))));
    }
    const keep = [...backupsToKeep([...names, "notes.txt", "hoc-vu-so-manual.db"], 7, 4)].sort();
    const daily = Array.from({ length: 7 }, (_, day) => backupFileName(new Date(Date.UTC(2026, 11, 1 - day, 14))));
    // ISO weeks: this week's newest is today's; the 3 weeks before end on Sundays 29 Nov, 22 Nov, 15 Nov.
    const weekly = [1, 29 - 30, 22 - 30, 15 - 30].map((d) => backupFileName(new Date(Date.UTC(2026, 11, d, 14))));
    expect(keep).toEqual([...new Set([...daily, ...weekly])].sort());
  });
});

sqliteOnly("online backup of the SQLite file (SQLite only)", () => {
  it("copies one consistent snapshot while this process keeps writing, checks it against the snapshot's row counts, and records it for /readyz", async () => {
    const { backupDatabase } = await import("../../db/backup");
    const { lastBackupAgeSeconds } = await import("~/operations/health.server");
    const { tempDir } = await import("./support/helpers");
    const dir = tempDir();
    process.env.BACKUP_DIR = dir;
    expect(lastBackupAgeSeconds()).toBeNull();
    let writing = true;
    const writes = (async () => {
      while (writing) await write(); // the worker thread copies meanwhile
    })();
    const report = await backupDatabase(file, `${dir}/copy.db`);
    writing = false;
    await writes;
    const copy = new Database(`${dir}/copy.db`, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete"); // one self-contained file
    expect(copy.prepare("select count(*) from lesson_progress").pluck().get()).toBe(report.counts.lesson_progress);
    copy.close();
    expect(report.counts.person).toBeGreaterThan(0);
    expect(lastBackupAgeSeconds()).toBeLessThan(60);
    delete process.env.BACKUP_DIR;
  });

  it("gives up after its time limit with a clear message and leaves no file behind", async () => {
    const { backupDatabase, BackupTimeoutError } = await import("../../db/backup");
    const { tempDir } = await import("./support/helpers");
    const dir = tempDir();
    const error = await backupDatabase(file, `${dir}/copy.db`, { timeoutMs: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackupTimeoutError);
    expect((error as Error).message).toContain("không có bản sao nào được tạo");
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir)).toEqual([]);
  });
});
