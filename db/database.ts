import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator } from "kysely";
import { migrations } from "./migrations";
import { isPostgresUrl, openPostgres } from "./postgres";
import { runDirectly } from "./prepared";
import { ResilientSqliteDialect, type DirectStatements, type ResilientOptions } from "./resilient-driver";
import type { DB } from "./schema";

// Two engines, one codebase (decision 016): DATABASE_URL=postgres://… selects PostgreSQL; otherwise the
// embedded SQLite file at DATABASE_PATH, as always.

export type Engine = "sqlite" | "postgres";

export type SqliteDatabase = {
  engine: "sqlite";
  db: Kysely<DB>;
  sqlite: Database.Database;
  /** The same connection with prepared statements kept by SQL text. */
  statements: Database.Database;
  /** Runs statements compiled once without Kysely's executor (db/prepared.ts). */
  direct: DirectStatements;
};

export type PostgresDatabase = { engine: "postgres"; db: Kysely<DB>; url: string };

export type AppDatabase = SqliteDatabase | PostgresDatabase;

export type OpenOptions = {
  /**
   * How long better-sqlite3 itself waits for another process's lock — synchronously, blocking the event loop.
   * The server keeps this to tens of ms and lets the driver retry asynchronously (decision 013); a CLI script
   * has no other work to do and may simply wait.
   */
  busyTimeoutMs?: number;
} & Partial<Omit<ResilientOptions, "database">>;

/** Opens the embedded SQLite file with the settings every process must share. */
export function openDatabase(file: string, options: OpenOptions = {}): SqliteDatabase {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL"); // readers never block the writer
  // FULL: an acknowledged write survives power loss too, not only a process crash.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
  // 64 MB of page cache (the default is 2 MB): the hot pages — sessions, people, this month's progress — stay
  // in memory instead of costing a read from the OS on every query.
  sqlite.pragma("cache_size = -65536");
  // Checkpoint every ~40 MB of WAL instead of every 4 MB. A checkpoint copies each changed page once however
  // often it changed since the last one, and the busiest pages (indexes, this month's counts) change in nearly
  // every commit: fewer, larger checkpoints copy far less in all (measured: +25% quiz submissions per second,
  // docs/performance.md). The WAL file is cut back to 64 MB after a checkpoint that emptied it.
  sqlite.pragma("wal_autocheckpoint = 10000");
  sqlite.pragma("journal_size_limit = 67108864");
  const statements = withStatementCache(sqlite);
  const { writeDeadlineMs = 30_000, beforeWrite, onBusy } = options;
  const dialect = new ResilientSqliteDialect({ database: statements, writeDeadlineMs, beforeWrite, onBusy });
  const db = new Kysely<DB>({ dialect });
  const direct = dialect.direct;
  runDirectly(db, (sql, parameters) => direct.runAlone(sql, parameters));
  return { engine: "sqlite", db, sqlite, statements, direct };
}

/** The PostgreSQL database at `url`, through a connection pool. */
export function openPostgresDatabase(url: string, poolSize?: number): PostgresDatabase {
  return { engine: "postgres", db: openPostgres(url, { poolSize }).db, url };
}

/** The database this process is configured for: DATABASE_URL (PostgreSQL) if set, else DATABASE_PATH. */
export function openConfiguredDatabase(options: OpenOptions = {}): AppDatabase {
  const url = databaseUrl();
  return url ? openPostgresDatabase(url) : openDatabase(databasePath(), options);
}

/** DATABASE_URL when it names a PostgreSQL server; anything else means SQLite. */
export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url && !isPostgresUrl(url)) throw new Error(`DATABASE_URL phải bắt đầu bằng postgres:// (DATABASE_URL must start with postgres://): ${url}`);
  return url || undefined;
}

export function configuredEngine(): Engine {
  return databaseUrl() ? "postgres" : "sqlite";
}

/** Where the data lives, for messages: the file, or the server and database name without the password. */
export function databaseLabel(): string {
  const url = databaseUrl();
  if (!url) return databasePath();
  const u = new URL(url);
  return `postgres://${u.host}${u.pathname}`;
}

/**
 * Kysely prepares every query it runs; preparing is a large share of a simple query's cost. The queries an
 * app runs are a small fixed set of SQL texts, so keep their prepared statements (better-sqlite3 statements
 * are reusable; Kysely and lucia only call get()/all()/run() on them, never a long-lived iterate()).
 */
function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      if (cache.size > 2000) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get: (target, key) => {
      if (key === "prepare") return prepare;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export function databasePath(): string {
  return path.resolve(process.env.DATABASE_PATH ?? "data/hoc-vu-so.db");
}
