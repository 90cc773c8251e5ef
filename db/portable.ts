import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";
import type { Engine } from "./database";

// SQL that must be spelled differently on the two engines, in one place (decision 016). Everything else is
// written once, with the Kysely builder or in the common subset both engines read the same way.

type AnyExecutor = Kysely<any>;

/** Which engine an executor (the database or a transaction) talks to. */
export function engineOf(executor: AnyExecutor): Engine {
  return executor.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** The larger of two values: SQLite's scalar max(a, b) is PostgreSQL's greatest(a, b). */
export function greatest<T>(executor: AnyExecutor, a: RawBuilder<T> | RawBuilder<unknown>, b: RawBuilder<T> | RawBuilder<unknown>): RawBuilder<T> {
  return engineOf(executor) === "postgres" ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/** A year as four digits followed by "-01" (January of that year, as our month keys are written). */
export function januaryOf(executor: AnyExecutor, year: RawBuilder<unknown>): RawBuilder<string> {
  return engineOf(executor) === "postgres" ? sql<string>`lpad((${year})::text, 4, '0') || '-01'` : sql<string>`printf('%04d-01', ${year})`;
}

/**
 * A column the planner should not use an index for. SQLite reads a unary + that way (see officialCounts);
 * PostgreSQL has no unary + on text and its planner needs no hint.
 */
export function withoutIndex(executor: AnyExecutor, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return engineOf(executor) === "postgres" ? column : sql`+${column}`;
}

/**
 * Serialises the transactions that name the same key until they end, where SQLite's single writer already did:
 * read-then-write rules (idempotency keys, attempt limits, login throttles) stay exact with several
 * connections and several processes. On SQLite every write transaction starts with `begin immediate`, so it
 * holds the one write lock already and this is a no-op.
 */
export async function lockKey(trx: AnyExecutor, key: string): Promise<void> {
  if (engineOf(trx) !== "postgres") return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * A unique (or primary key) constraint refused the row. `constraint` narrows it to one: SQLite names the
 * columns ("person.username"), PostgreSQL the constraint ("person_username_key"); pass the table and column.
 */
export function isUniqueViolation(error: unknown, table?: string, column?: string): boolean {
  const e = error as { code?: unknown; message?: unknown; constraint?: unknown } | null;
  const code = String(e?.code ?? "");
  if (code === "23505") return !table || String(e?.constraint ?? "") === `${table}_${column}_key`;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return !table || String(e?.message ?? "").includes(`${table}.${column}`);
  return false;
}

/**
 * The month (YYYY-MM) of a stored UTC ISO time in Vietnam (UTC+7 all year, decision 018): SQLite shifts with a
 * date modifier, PostgreSQL converts to the Asia/Ho_Chi_Minh zone.
 */
export function vietnamMonthOf(executor: AnyExecutor, isoTime: RawBuilder<unknown>): RawBuilder<string> {
  return engineOf(executor) === "postgres"
    ? sql<string>`to_char((${isoTime})::timestamptz at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`
    : sql<string>`strftime('%Y-%m', ${isoTime}, '+7 hours')`;
}
