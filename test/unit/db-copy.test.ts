import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freshPostgresDatabase, testEngine } from "./support/db";
import { tempDir } from "./support/helpers";

// Moving a live province (issue 16): `npm run db:copy` takes the demo database to PostgreSQL, the target holds
// every row of every table, and the indicator check on the target finds nothing to correct. The test needs both
// engines at once, so it runs in the PostgreSQL pass (TEST_DATABASE_URL); the SQLite pass has no server.

// The child processes get a plain environment: nothing of this test process's own database settings.
const plainEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "test" as const };

describe.skipIf(testEngine !== "postgres")("db:copy (needs PostgreSQL: runs in the PostgreSQL pass)", () => {
  it("moves the demo database with every row of every table, and the indicator check on the target finds 0 differences", async () => {
    const file = path.join(tempDir("hvs-copy-"), "demo.db");
    execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...plainEnv, DATABASE_PATH: file }, stdio: "ignore" });
    const url = await freshPostgresDatabase();

    const run = spawnSync("npx", ["tsx", "scripts/db-copy.ts", file, url], { env: plainEnv, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Số liệu chỉ tiêu trên cơ sở dữ liệu đích khớp với dữ liệu gốc: 0 chỗ khác nhau.");

    // Compared here with plain SQL on each side, not with the copy's own report.
    const sqlite = new Database(file, { readonly: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
      const count = (table: string) => sqlite.prepare(`select count(*) from "${table}"`).pluck().get() as number;
      const source = tables.map((t) => [t, count(t)]);
      const target = [];
      for (const t of tables) target.push([t, (await client.query(`select count(*)::int as n from "${t}"`)).rows[0].n]);
      expect(target).toEqual(source);
      // The demo has people, completions and indicator counts to move: an empty copy would compare equal too.
      for (const t of ["person", "course_progress", "indicator_count"]) expect(count(t)).toBeGreaterThan(0);

      // The aggregates the province report reads, row by row.
      const aggregates = "select indicator_id, agency_code, commune_code, month, count from indicator_count order by 1, 2, 3, 4";
      // (`pg` without the app's type parsers returns bigint as text: cast it here.)
      const copied = await client.query(aggregates.replace(", count from", ", count::int as count from"));
      expect(copied.rows).toEqual(sqlite.prepare(aggregates).all());
    } finally {
      sqlite.close();
      await client.end();
    }
  }, 240_000);
});
