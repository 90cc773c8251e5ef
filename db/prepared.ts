import { CompiledQuery, type Compilable, type Kysely } from "kysely";
import type { DB } from "./schema";

// Queries on the busiest paths (every signed-in page, every quiz submission) are written with Kysely, typed
// against the schema like every other query, but built and compiled once: building and compiling cost more
// than SQLite takes to run a primary-key lookup (measured: 14 µs per query with the builder, 6 µs
// precompiled). Only for queries whose shape never depends on their arguments — no IN lists of varying
// length, no optional filters.

class Slot {
  constructor(readonly index: number) {}
}

type Template = { sql: string; parameters: unknown[] };

// The SQL texts compiled here, each with a statement name. On PostgreSQL (db/postgres.ts) they run as named,
// server-side prepared statements: parsed and planned once per connection instead of on every request, which
// doubles what a connection does for these primary-key lookups (measured: ~9,000 → ~14,000 per second).
const statementNames = new Map<string, string>();

/** The statement name of a text compiled by `preparedQuery`, or undefined for every other query. */
export function preparedStatementName(text: string): string | undefined {
  return statementNames.get(text);
}

/**
 * `preparedQuery((db, id: string) => db.selectFrom("person").select("full_name").where("id", "=", id))`
 * returns a function `(executor, id) => Promise<rows>`; the executor may be a transaction.
 */
export function preparedQuery<Args extends unknown[], Row>(build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>) {
  let template: Template | undefined;
  return async (executor: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    template ??= compileOnce(executor, build, args.length);
    const parameters = template.parameters.map((p) => (p instanceof Slot ? args[p.index] : p));
    const { rows } = await executor.executeQuery<Row>(CompiledQuery.raw(template.sql, parameters));
    return rows;
  };
}

function compileOnce<Args extends unknown[], Row>(executor: Kysely<DB>, build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>, arity: number): Template {
  // Each argument is replaced by a marker object, which Kysely passes through as a bound parameter; its place
  // among the compiled parameters says where the real value goes.
  const slots = Array.from({ length: arity }, (_, i) => new Slot(i)) as unknown as Args;
  const compiled = build(executor, ...slots).compile();
  if (compiled.parameters.filter((p) => p instanceof Slot).length !== arity) {
    throw new Error(`preparedQuery: an argument is not a bound parameter in: ${compiled.sql}`);
  }
  if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `hvs_prepared_${statementNames.size + 1}`);
  return { sql: compiled.sql, parameters: [...compiled.parameters] };
}

/** A fixed SQL text run as is (savepoints). */
export function fixedStatement(text: string) {
  const query = CompiledQuery.raw(text, []);
  return (executor: Kysely<DB>) => executor.executeQuery(query);
}
