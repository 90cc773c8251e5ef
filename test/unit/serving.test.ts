import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// The pieces behind the fast paths (decision 007): a render-cache key that tells apart any two different
// sets of loader data, and precompiled queries that return what the Kysely builder would.

beforeAll(async () => {
  await useTempDatabase();
});

describe("render cache key", () => {
  it("differs whenever the data differs — long strings, short strings, a string that looks like a digest", async () => {
    const { renderKey } = await import("~/serving/page-cache.server");
    const long = "x".repeat(5000);
    const key = (data: unknown) =>
      renderKey("/khoa-hoc/a/b", [
        ["root", { user: null }],
        ["routes/x", data],
      ]);
    expect(key({ html: long, done: false })).toBe(key({ html: "x".repeat(5000), done: false })); // same content, another string
    expect(key({ html: long, done: false })).not.toBe(key({ html: long, done: true }));
    expect(key({ html: long })).not.toBe(key({ html: `${long}y` }));
    // A value crafted to read like the stand-in for a long string must not match it.
    const { createHash } = await import("node:crypto");
    const forged = `\0${createHash("sha1").update(long).digest("base64")}`;
    expect(key({ html: forged })).not.toBe(key({ html: long }));
    expect(renderKey("/khoa-hoc/a/b", [])).not.toBe(renderKey("/khoa-hoc/a/c", []));
  });
});

describe("precompiled queries", () => {
  it("bind new values each call, inside and outside a transaction, and match the builder's rows", async () => {
    const { db } = await import("~/db.server");
    const { preparedQuery } = await import("../../db/prepared");
    const first = await makePerson({ fullName: "Lê Văn Một" });
    const second = await makePerson({ fullName: "Phạm Thị Hai" });
    const names = preparedQuery((k, id: string, kind: "citizen" | "official") =>
      k.selectFrom("person").select("full_name").where("id", "=", id).where("kind", "=", kind),
    );
    expect(await names(db(), first, "citizen")).toEqual([{ full_name: "Lê Văn Một" }]);
    expect(await names(db(), second, "citizen")).toEqual([{ full_name: "Phạm Thị Hai" }]);
    expect(await names(db(), second, "official")).toEqual([]);
    await db()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable("person").set({ full_name: "Phạm Thị Ba" }).where("id", "=", second).execute();
        expect(await names(trx, second, "citizen")).toEqual([{ full_name: "Phạm Thị Ba" }]); // sees its own write
      });
    const viaBuilder = await db().selectFrom("person").select("full_name").where("id", "=", second).where("kind", "=", "citizen").execute();
    expect(await names(db(), second, "citizen")).toEqual(viaBuilder);
    expect(viaBuilder).toEqual([{ full_name: "Phạm Thị Ba" }]);
  });

  it("bind a record argument field by field, and refuse a record with other fields than the first one", async () => {
    const { db } = await import("~/db.server");
    const { preparedQuery } = await import("../../db/prepared");
    const person = await makePerson({ fullName: "Võ Thị Tư" });
    const grant = preparedQuery((k, row: { person_id: string; role: "trainer" | "commune_officer"; scope: string; granted_at: string }) =>
      k.insertInto("person_role").values(row),
    );
    await grant(db(), { person_id: person, role: "trainer", scope: "", granted_at: "2026-12-01T01:00:00.000Z" });
    await grant(db(), { person_id: person, role: "commune_officer", scope: "25747", granted_at: "2026-12-02T02:00:00.000Z" });
    const stored = await db().selectFrom("person_role").select(["role", "scope", "granted_at"]).where("person_id", "=", person).orderBy("role").execute();
    expect(stored).toEqual([
      { role: "commune_officer", scope: "25747", granted_at: "2026-12-02T02:00:00.000Z" },
      { role: "trainer", scope: "", granted_at: "2026-12-01T01:00:00.000Z" },
    ]);
    // A field missing from a later record would be written as nothing at all: refused, and nothing stored.
    const partial = { person_id: person, role: "trainer", scope: "x" } as unknown as Parameters<typeof grant>[1];
    await expect(grant(db(), partial)).rejects.toThrow(/4 fields/);
    expect(await db().selectFrom("person_role").select("role").where("person_id", "=", person).execute()).toHaveLength(2);
  });

  it("refuse a query where an argument is not a bound parameter", async () => {
    const { db } = await import("~/db.server");
    const { preparedQuery } = await import("../../db/prepared");
    const broken = preparedQuery((k, _unused: string) => k.selectFrom("person").select("id").limit(1));
    await expect(broken(db(), "x")).rejects.toThrow(/not a bound parameter/);
  });
});
