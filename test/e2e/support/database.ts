import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";

// The e2e server's database, read directly to check what a request changed: the SQLite file of
// playwright.config.ts, or, when the suite runs on PostgreSQL (E2E_DATABASE_URL, scripts/test.sh), that
// database through psql. Synchronous on both, one row or undefined; `?` marks each parameter.

export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL;
const DB_FILE = "test-results/e2e.db";

/** The first row, or undefined. The query must not carry its own LIMIT (PostgreSQL wraps it in one). */
export function queryOne<T>(text: string, ...params: unknown[]): T | undefined {
  return queryAll<T>(text, ...params)[0];
}

/** Every row, in the query's order. */
export function queryAll<T>(text: string, ...params: unknown[]): T[] {
  return queryAllIn<T>(E2E_DATABASE_URL ? { url: E2E_DATABASE_URL } : { file: DB_FILE }, text, ...params);
}

/** A database other than the shared server's: a spec that starts its own server on its own database. */
export type OwnDatabase = { file: string } | { url: string };

/** Every row of `database`, in the query's order. */
export function queryAllIn<T>(database: OwnDatabase, text: string, ...params: unknown[]): T[] {
  return "url" in database ? postgresRows<T>(database.url, text, params) : sqliteRows<T>(database.file, text, params);
}

function sqliteRows<T>(file: string, text: string, params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}

function postgresRows<T>(url: string, text: string, params: unknown[]): T[] {
  let n = 0;
  // psql quotes each :'pN' variable as a literal, so no value is ever pasted into the SQL text.
  const withVariables = text.replace(/\?/g, () => `:'p${++n}'`);
  const variables = params.flatMap((p, i) => ["-v", `p${i + 1}=${String(p)}`]);
  const out = execFileSync("psql", [url, "-XAtq", "-v", "ON_ERROR_STOP=1", ...variables], {
    input: `select coalesce(json_agg(q), '[]'::json) from (${withVariables}) q`,
    encoding: "utf8",
  }).trim();
  return out ? (JSON.parse(out) as T[]) : [];
}
