import { sql, type Kysely } from "kysely";

// Issue 20, parts 3 and 4.
// - citizen_id_consent: a citizen ID number the learner chose to give for the national records, with when they
//   consented. Absent for everyone who did not; removing it deletes the row.
// - export_download: every download of the confirmation export (who, which scope and period, how many rows).
// - oidc_link: a single sign-on identity (issuer + subject) linked to one account (decision 024).
// - oidc_flow: a login in progress (state, nonce, PKCE verifier), then, for an identity not linked yet, the
//   short wait while the person proves which account is theirs. Looked up by the SHA-256 of a cookie token.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("citizen_id_consent")
    .addColumn("person_id", "text", (c) => c.primaryKey().references("person.id").onDelete("cascade"))
    .addColumn("citizen_id", "text", (c) => c.notNull())
    .addColumn("consented_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("export_download")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("person_id", "text", (c) => c.references("person.id").onDelete("set null"))
    .addColumn("scope", "text", (c) => c.notNull()) // "province" or "commune:<code>"
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull())
    .addColumn("downloaded_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("oidc_link")
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("linked_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("oidc_link_pk", ["issuer", "subject"])
    .execute();
  await sql`create index oidc_link_person on oidc_link(person_id)`.execute(db);

  await db.schema
    .createTable("oidc_flow")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("return_to", "text", (c) => c.notNull())
    .addColumn("issuer", "text") // set once the provider has answered
    .addColumn("subject", "text")
    .addColumn("claimed_name", "text")
    .addColumn("expires_at", "integer", (c) => c.notNull()) // ms since the epoch
    .execute();
}
