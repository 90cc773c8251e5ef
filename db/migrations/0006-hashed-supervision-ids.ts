import { createHash } from "node:crypto";
import type { Kysely } from "kysely";

// Supervision ids (the cookie on a trainer's phone) are stored as their SHA-256, like session ids (0005).
// Existing rows are hashed in place, so a supervision in progress carries on.
export async function up(db: Kysely<any>): Promise<void> {
  const rows: Array<{ id: string }> = await db.selectFrom("supervised_session").select("id").execute();
  for (const { id } of rows) {
    await db
      .updateTable("supervised_session")
      .set({ id: createHash("sha256").update(id).digest("hex") })
      .where("id", "=", id)
      .execute();
  }
}
