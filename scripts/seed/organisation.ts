import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Kysely } from "kysely";
import { foldForSearch } from "~/text/folding";
import type { DB } from "../../db/schema";

// Resolved from the working directory (the repo root) so it works from scripts and from the server bundle.
const DATA_DIR = path.resolve(process.env.ORG_DATA_DIR ?? "db/data");

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(DATA_DIR, file), "utf8"), { columns: true, skip_empty_lines: true, bom: true });
}

/** Loads the 96 communes and their pre-2025 names. Idempotent: safe on every start. */
export async function seedOrganisation(db: Kysely<DB>): Promise<number> {
  const communes = readCsv("tay-ninh-communes.csv");
  const predecessors = readCsv("tay-ninh-predecessors.csv");
  await db.transaction().execute(async (trx) => {
    for (const c of communes) {
      await trx
        .insertInto("commune")
        .values({ code: c.code, name: c.name, type: c.type, search_name: foldForSearch(c.name) })
        .onConflict((oc) => oc.column("code").doUpdateSet({ name: c.name, type: c.type, search_name: foldForSearch(c.name) }))
        .execute();
    }
    await trx.deleteFrom("commune_alias").execute();
    for (const p of predecessors) {
      // "Phường 1, Xã Tân Bình (thành phố Tây Ninh), ..." — commas inside parentheses are not separators.
      for (const alias of p.predecessors
        .split(/,\s*(?![^()]*\))/)
        .map((s) => s.trim())
        .filter(Boolean)) {
        await trx
          .insertInto("commune_alias")
          .values({ commune_code: p.code, alias, search_alias: foldForSearch(alias) })
          .execute();
      }
    }
  });
  return communes.length;
}

/** Demo agencies (db/data/agencies-demo.csv). Upserts by code, so edits made by an admin to other rows stay. */
export async function seedDemoAgencies(db: Kysely<DB>): Promise<number> {
  const agencies = readCsv("agencies-demo.csv");
  await db.transaction().execute(async (trx) => {
    for (const a of agencies) {
      const values = {
        name: a.name,
        level: a.level as "province" | "commune",
        commune_code: a.commune_code || null,
        search_name: foldForSearch(a.name),
      };
      await trx
        .insertInto("agency")
        .values({ code: a.code, ...values })
        .onConflict((oc) => oc.column("code").doUpdateSet(values))
        .execute();
    }
  });
  return agencies.length;
}
