import { beforeAll, describe, expect, it } from "vitest";
import { testEngine, useTempDatabase } from "./support/db";

// What must hold the same on both engines (decision 016), and the one cross-process rule of decision 017.

beforeAll(async () => {
  await useTempDatabase();
});

describe("both engines", () => {
  it("every column that refers to an account is indexed, so deleting an account never reads a whole table", async () => {
    const { db } = await import("~/db.server");
    const { sql } = await import("kysely");
    // The foreign keys to person, and the leading column of each index (primary keys included), from the
    // engine's own catalogue.
    const references =
      testEngine === "postgres"
        ? (
            await sql<{ tbl: string; col: string }>`
              select c.conrelid::regclass::text as tbl, a.attname as col
              from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
              where c.contype = 'f' and c.confrelid = 'person'::regclass`.execute(db())
          ).rows
        : (
            await sql<{ tbl: string; col: string }>`
              select m.name as tbl, f."from" as col from sqlite_master m, pragma_foreign_key_list(m.name) f
              where m.type = 'table' and f."table" = 'person'`.execute(db())
          ).rows;
    const leading =
      testEngine === "postgres"
        ? (
            await sql<{ tbl: string; col: string }>`
              select i.indrelid::regclass::text as tbl, a.attname as col
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]`.execute(db())
          ).rows
        : (
            await sql<{ tbl: string; col: string }>`
              select m.name as tbl, ii.name as col from sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
              where m.type = 'table' and ii.seqno = 0`.execute(db())
          ).rows;
    const indexed = new Set(leading.map((r) => `${r.tbl.replaceAll('"', "")}.${r.col}`));
    expect(references.length).toBeGreaterThan(15);
    expect(references.map((r) => `${r.tbl.replaceAll('"', "")}.${r.col}`).filter((ref) => !indexed.has(ref))).toEqual([]);
  });

  it("count(*) comes back as a number and a millisecond time fits an integer column", async () => {
    const { db } = await import("~/db.server");
    const now = Date.now();
    await db().insertInto("rate_limit").values({ key: "engines-test", window_start: now, count: 1 }).execute();
    const row = await db()
      .selectFrom("rate_limit")
      .select(["window_start", (eb) => eb.fn.countAll<number>().as("n")])
      .where("key", "=", "engines-test")
      .groupBy("window_start")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ window_start: now, n: 1 });
  });

  it("a second account with a taken username is recognised as a unique violation on either engine", async () => {
    const { isUniqueViolation, db } = await import("~/db.server");
    const values = {
      id: "u1",
      username: "trung-ten",
      full_name: "A",
      search_name: "a",
      birth_year: 1980,
      commune_code: "25459",
      kind: "citizen" as const,
      password_hash: "x",
      consent_at: "2026-01-01",
      consent_method: "self",
      created_at: "2026-01-01",
    };
    await db().insertInto("person").values(values).execute();
    const error = await db()
      .insertInto("person")
      .values({ ...values, id: "u2" })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, "person", "username")).toBe(true);
  });

  it("the per-request lookups give the same rows, and on PostgreSQL run as statements prepared once per connection", async () => {
    const { db } = await import("~/db.server");
    const { preparedQuery } = await import("../../db/prepared");
    const { sql } = await import("kysely");
    const byKey = preparedQuery((d, key: string) => d.selectFrom("rate_limit").select("count").where("key", "=", key));
    await db().insertInto("rate_limit").values({ key: "prepared-a", window_start: 1, count: 7 }).execute();
    await db().insertInto("rate_limit").values({ key: "prepared-b", window_start: 1, count: 9 }).execute();
    await db()
      .transaction()
      .execute(async (trx) => {
        // One transaction is one connection, so the session's prepared statements are visible to it.
        expect(await byKey(trx, "prepared-a")).toEqual([{ count: 7 }]);
        expect(await byKey(trx, "prepared-b")).toEqual([{ count: 9 }]);
        expect(await byKey(trx, "missing")).toEqual([]);
        if (testEngine !== "postgres") return;
        const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'hvs_prepared_%'`.execute(trx);
        expect(rows.map((r) => r.statement)).toContainEqual(expect.stringContaining('"rate_limit"'));
      });
  });
});

describe(`a commune renamed by another app process (${testEngine === "postgres" ? "PostgreSQL: LISTEN/NOTIFY" : "SQLite: one process, local"})`, () => {
  it("is seen by this process without a restart", async () => {
    const { listCommunes } = await import("~/organisation/communes.server");
    const before = (await listCommunes()).find((c) => c.code === "25459")!;
    expect(before.name).not.toBe("Tên Mới Thử");
    const { db, cacheEvents } = await import("~/db.server");
    await db().updateTable("commune").set({ name: "Tên Mới Thử" }).where("code", "=", "25459").execute();
    if (testEngine === "postgres") {
      // Another process: its own connection announces the change; this process only hears it.
      const pg = (await import("pg")).default;
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      await other.query("select pg_notify('hvs_cache', 'communes')");
      await other.end();
      let seen = "";
      for (let i = 0; i < 50 && seen !== "Tên Mới Thử"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await listCommunes()).find((c) => c.code === "25459")!.name;
      }
      expect(seen).toBe("Tên Mới Thử");
    } else {
      await cacheEvents.changed("communes");
      expect((await listCommunes()).find((c) => c.code === "25459")!.name).toBe("Tên Mới Thử");
    }
  });
});
