import { sql, type Kysely } from "kysely";

// A trainer may no longer add an existing account to a cohort silently (security review, issue 12): they
// invite, and the person accepts or declines on their own account. One row per cohort and person; a
// declined invitation stays declined, so a trainer cannot pester someone with repeated invitations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cohort_invitation")
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("person.id").onDelete("cascade"))
    .addColumn("invited_by", "text", (c) => c.references("person.id").onDelete("set null"))
    // The in-person session the person was recorded at when invited: counted once they accept.
    .addColumn("session_id", "integer", (c) => c.references("training_session.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("answered_at", "text")
    .addColumn("accepted", "integer")
    .addPrimaryKeyConstraint("cohort_invitation_pk", ["cohort_id", "person_id"])
    .execute();
  await sql`create index cohort_invitation_person on cohort_invitation(person_id)`.execute(db);
}
