import { db } from "~/db.server";

export type Agency = { code: string; name: string; level: "province" | "commune"; communeCode: string | null };

export async function listAgencies(): Promise<Agency[]> {
  const rows = await db().selectFrom("agency").selectAll().orderBy("level", "desc").orderBy("search_name").execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, communeCode: r.commune_code }));
}

export async function agencyByCode(code: string): Promise<Agency | undefined> {
  const r = await db().selectFrom("agency").selectAll().where("code", "=", code).executeTakeFirst();
  return r && { code: r.code, name: r.name, level: r.level, communeCode: r.commune_code };
}
