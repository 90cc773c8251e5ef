import { CompiledQuery, type Compilable, type Kysely } from "kysely";
import type { DB } from "./schema";

// Queries on the busiest paths (every signed-in page, every quiz submission) are written with Kysely, typed
// against the schema like every other query, but built and compiled once: building and compiling cost more
// than SQLite takes to run a primary-key lookup (measured: 14 µs per query with the builder, 6 µs
// precompiled). Only for queries whose shape never depends on their arguments — no IN lists of varying
// length, no optional filters.

class Slot {
  constructor(
    readonly index: number,
    readonly field?: string,
  ) {}
}

// `fields`: for each record argument, how many fields it had when compiled (a later record with another number
// would lose or invent a value silently, so it is refused).
type Template = { sql: string; parameters: unknown[]; fields: Array<number | undefined> };

// The SQL texts compiled here, each with a statement name. On PostgreSQL (db/postgres.ts) they run as named,
// server-side prepared statements: parsed and planned once per connection instead of on every request, which
// doubles what a connection does for these primary-key lookups (measured: ~9,000 → ~14,000 per second).
const statementNames = new Map<string, string>();

// Executors whose compiled statements run straight on their SQLite connection (db/database.ts registers the
// database; the group commit its transaction, app/db.server.ts). Any other executor — PostgreSQL, or a
// transaction not registered — goes through Kysely as before.
type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[] | Promise<unknown[]>;
const directRunners = new WeakMap<Kysely<DB>, DirectRunner>();

/** Statements compiled here and run on `executor` go to `runner` instead of through Kysely's executor. */
export function runDirectly(executor: Kysely<DB>, runner: DirectRunner): void {
  directRunners.set(executor, runner);
}

/** The statement name of a text compiled by `preparedQuery`, or undefined for every other query. */
export function preparedStatementName(text: string): string | undefined {
  return statementNames.get(text);
}

/**
 * `preparedQuery((db, id: string) => db.selectFrom("person").select("full_name").where("id", "=", id))`
 * returns a function `(executor, id) => Promise<rows>`; the executor may be a transaction.
 *
 * An argument may also be a record of values (`(db, row: NewAttempt) => db.insertInto(…).values(row)`): each
 * of its fields is a bound parameter, by name. The first call's record decides the fields, so a field left
 * out later is bound as null, and every call must pass the same fields.
 */
export function preparedQuery<Args extends unknown[], Row>(build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>) {
  let template: Template | undefined;
  return async (executor: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    template ??= compileOnce(executor, build, args);
    checkFields(template, args);
    const parameters = template.parameters.map((p) => (p instanceof Slot ? valueOf(p, args) : p));
    const direct = directRunners.get(executor);
    if (direct) return (await direct(template.sql, parameters)) as Row[];
    const { rows } = await executor.executeQuery<Row>(CompiledQuery.raw(template.sql, parameters));
    return rows;
  };
}

function valueOf(slot: Slot, args: unknown[]): unknown {
  if (slot.field === undefined) return args[slot.index];
  return (args[slot.index] as Record<string, unknown>)[slot.field] ?? null;
}

function checkFields(template: Template, args: unknown[]): void {
  template.fields.forEach((count, i) => {
    if (count !== undefined && Object.keys(args[i] as object).length !== count) {
      throw new Error(`preparedQuery: argument ${i + 1} must have the ${count} fields it was compiled with: ${template.sql}`);
    }
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function compileOnce<Args extends unknown[], Row>(executor: Kysely<DB>, build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>, args: Args): Template {
  // Each argument (or each field of a record argument) is replaced by a marker object, which Kysely passes
  // through as a bound parameter; its place among the compiled parameters says where the real value goes.
  const slots = args.map((arg, i) =>
    isRecord(arg) ? Object.fromEntries(Object.keys(arg).map((field) => [field, new Slot(i, field)])) : new Slot(i),
  ) as unknown as Args;
  const expected = args.reduce<number>((n, arg) => n + (isRecord(arg) ? Object.keys(arg).length : 1), 0);
  const compiled = build(executor, ...slots).compile();
  // Every argument must be bound at least once; one may be bound several times (a query with subqueries).
  const bound = new Set(compiled.parameters.filter((p): p is Slot => p instanceof Slot).map((p) => `${p.index}.${p.field ?? ""}`));
  if (bound.size !== expected) {
    throw new Error(`preparedQuery: an argument is not a bound parameter in: ${compiled.sql}`);
  }
  if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `hvs_prepared_${statementNames.size + 1}`);
  const fields = args.map((arg) => (isRecord(arg) ? Object.keys(arg).length : undefined));
  return { sql: compiled.sql, parameters: [...compiled.parameters], fields };
}

/** A fixed SQL text run as is (savepoints). */
export function fixedStatement(text: string) {
  const query = CompiledQuery.raw(text, []);
  return async (executor: Kysely<DB>): Promise<void> => {
    const direct = directRunners.get(executor);
    if (direct) await direct(text, []);
    else await executor.executeQuery(query);
  };
}
