import { sql, type Kysely } from "kysely";

// Expired sessions are deleted every hour (app/accounts/lucia.server.ts, deleteExpiredSessions). Without an
// index that deletion reads the whole session table, one row per device that ever signed in, while it holds
// the write lock.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index session_expires_at on session(expires_at)`.execute(db);
}
