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
  return { sql: compiled.sql, parameters: [...compiled.parameters] };
}

/** A fixed SQL text run as is (savepoints). */
export function fixedStatement(text: string) {
  const query = CompiledQuery.raw(text, []);
  return (executor: Kysely<DB>) => executor.executeQuery(query);
}
