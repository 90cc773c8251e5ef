import type { Kysely } from "kysely";

// Issue 17, part 5: a full-list roster import is previewed, then confirmed or cancelled (decision 026). Between
// the two requests the uploaded file waits here (decoded text, at most 20 MB), so the confirmation applies
// exactly the file that was previewed, from any app process, without the browser sending it twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pending_import")
    .addColumn("id", "text", (c) => c.primaryKey()) // random, unguessable: the confirm form carries it
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("leaving_key", "text", (c) => c.notNull()) // SHA-256 of the codes the preview listed as leaving
    .addColumn("created_by", "text", (c) => c.references("person.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
