import type { Kysely } from "kysely";

// Login limits that slow a guesser down without locking the owner out (decision 010).
// - login_throttle: attempts per account (or per known device/address of an account) and when the last one
//   was counted; the next attempt must wait a delay that doubles after the free ones.
// - known_login: devices (a random cookie token) and addresses a person has signed in from, stored as their
//   SHA-256; attempts from them are counted apart from strangers'.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("last_attempt_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("known_login")
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull())
    .addColumn("last_success_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("known_login_pk", ["person_id", "kind", "key_hash"])
    .execute();
}
