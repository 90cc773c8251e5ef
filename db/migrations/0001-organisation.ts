import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("commune")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("search_name", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("commune_alias")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("commune_code", "text", (c) => c.notNull().references("commune.code"))
    .addColumn("alias", "text", (c) => c.notNull())
    .addColumn("search_alias", "text", (c) => c.notNull())
    .execute();
  await sql`create index commune_alias_search on commune_alias(search_alias)`.execute(db);
}
