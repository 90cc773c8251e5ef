import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type SqliteDatabase } from "../../db/database";
import { migrations } from "../../db/migrations";
import { preparedQuery } from "../../db/prepared";
import { Migrator } from "kysely";
import { tempDir } from "./support/helpers";

// Statements compiled by preparedQuery run on the SQLite connection without Kysely's executor (decision 035).
// They must keep what going through the driver gave: no read of another transaction's uncommitted rows, the
// lock rules, and the same rows as the builder.

let opened: SqliteDatabase;
const selectName = preparedQuery((db, id: string) => db.selectFrom("commune").select(["code", "name"]).where("code", "=", id));
const insertCommune = preparedQuery((db, row: { code: string; name: string; type: string; search_name: string }) => db.insertInto("commune").values(row));

beforeAll(async () => {
  opened = openDatabase(path.join(tempDir(), "direct.db"), { writeDeadlineMs: 200, busyTimeoutMs: 10 });
  const { error } = await new Migrator({ db: opened.db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
  if (error) throw error;
});
afterAll(() => opened.db.destroy());

const commune = (code: string) => ({ code, name: `Xã ${code}`, type: "xã", search_name: `xa ${code}` });

describe("compiled statements on SQLite", () => {
  it("return the rows the query builder returns", async () => {
    await opened.db.insertInto("commune").values(commune("90001")).execute();
    const built = await opened.db.selectFrom("commune").select(["code", "name"]).where("code", "=", "90001").execute();
    expect(await selectName(opened.db, "90001")).toEqual(built);
    expect(await selectName(opened.db, "00000")).toEqual([]);
  });

  it("outside a transaction, wait for one that is open and never see its uncommitted rows", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const writer = opened.db.transaction().execute(async (trx) => {
      await trx.insertInto("commune").values(commune("90002")).execute();
      inserted();
      await held;
    });
    await insertedYet;
    const read = selectName(opened.db, "90002");
    let answered = false;
    void read.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answered).toBe(false); // it waits for the connection, as every statement does
    release();
    await writer;
    expect(await read).toEqual([{ code: "90002", name: "Xã 90002" }]); // and then sees the committed row
  });

  it("inside the group's transaction, see that transaction's own writes, made either way", async () => {
    await opened.db.transaction().execute(async (trx) => {
      opened.direct.runInTransaction("insert into commune (code, name, type, search_name) values (?, ?, ?, ?)", ["90003", "Xã 90003", "xã", "xa 90003"]);
      const seen = await trx.selectFrom("commune").select("code").where("code", "=", "90003").execute();
      expect(seen).toEqual([{ code: "90003" }]);
      await trx.insertInto("commune").values(commune("90004")).execute();
      expect(opened.direct.runInTransaction('select "code" from "commune" where "code" = ?', ["90004"])).toEqual([{ code: "90004" }]);
    });
  });

  it("refuse to run as part of a transaction when none is open", () => {
    expect(() => opened.direct.runInTransaction('select "code" from "commune"', [])).toThrow(/no transaction/);
  });

  it("write through the same lock rules: a write on its own waits, and is refused past the deadline", async () => {
    const other = openDatabase(path.join(path.dirname(opened.sqlite.name), "direct.db"), { busyTimeoutMs: 0 });
    other.sqlite.prepare("begin immediate").run(); // another process holds the write lock
    try {
      await expect(insertCommune(opened.db, commune("90005"))).rejects.toMatchObject({ code: "HVS_DATABASE_BUSY" });
    } finally {
      other.sqlite.prepare("rollback").run();
      other.sqlite.close();
    }
    await insertCommune(opened.db, commune("90006"));
    expect(await selectName(opened.db, "90006")).toHaveLength(1);
    expect(await selectName(opened.db, "90005")).toHaveLength(0);
  });
});
