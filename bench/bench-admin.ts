import type { Database } from "better-sqlite3";
import { hashPassword } from "../app/accounts/password.server";

export const BENCH_ADMIN = { username: "bench-admin", password: "bench-admin-pass" };

/** An administrator the benchmarks sign in as, in a generated SQLite database; its password set again each run. */
export async function addBenchAdmin(sqlite: Database): Promise<void> {
  const hash = await hashPassword(BENCH_ADMIN.password);
  sqlite
    .prepare(
      `insert or ignore into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
     values ('bench-admin', 'bench-admin', 'Bench Admin', 'bench admin', 1980, '25459', 'official', ?, '2026-01-01', 'self', '2026-01-01')`,
    )
    .run(hash);
  sqlite.prepare("update person set password_hash = ? where id = 'bench-admin'").run(hash);
  sqlite.prepare("insert or ignore into person_role (person_id, role, scope, granted_at) values ('bench-admin', 'admin', '', '2026-01-01')").run();
}
