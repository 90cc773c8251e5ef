import { createHash } from "node:crypto";
import type { Kysely } from "kysely";

// Session ids are stored as their SHA-256 (app/accounts/lucia.server.ts): a copy of the database no longer
// holds tokens that sign anyone in. Existing rows are hashed in place, so cookies already issued keep working.
export async function up(db: Kysely<any>): Promise<void> {
  const rows: Array<{ id: string }> = await db.selectFrom("session").select("id").execute();
  for (const { id } of rows) {
    await db
      .updateTable("session")
      .set({ id: createHash("sha256").update(id).digest("hex") })
      .where("id", "=", id)
      .execute();
  }
}
