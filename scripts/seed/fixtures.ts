import { randomBytes } from "node:crypto";
import { storedToken } from "../../app/accounts/token.server";
import Database from "better-sqlite3";

// Synthetic learners for fault tests and benchmarks, written straight into SQLite (no HTTP, no scrypt).

/** Learners who finished every lesson of a course, each with a live session cookie (made directly in SQLite). */
export function learnersReadyForQuiz(databasePath: string, courseSlug: string, lessonSlugs: string[], count: number): string[] {
  const db = new Database(databasePath);
  const hash = db.prepare("select password_hash from person where username = 'demo-hocvien'").pluck().get() as string;
  const cookies: string[] = [];
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `fault-${randomBytes(6).toString("hex")}`;
      db.prepare(
        `insert into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
         values (?, ?, 'Người Thử Lỗi', 'nguoi thu loi', 1980, '25459', 'citizen', ?, ?, 'self', ?)`,
      ).run(id, id, hash, now, now);
      for (const lesson of lessonSlugs) {
        db.prepare("insert into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at, completed_at) values (?, ?, ?, ?, ?)").run(
          id,
          courseSlug,
          lesson,
          now,
          now,
        );
      }
      const session = randomBytes(20).toString("hex");
      // Stored as its SHA-256, as app/accounts/lucia.server.ts stores session ids; expiring like a fresh login.
      const stored = storedToken(session);
      db.prepare("insert into session (id, user_id, expires_at) values (?, ?, ?)").run(stored, id, Math.floor(Date.now() / 1000) + 30 * 86400);
      cookies.push(`hvs_session=${session}`);
    }
  })();
  db.close();
  return cookies;
}

/**
 * The same learners written through Kysely, for any engine (the PostgreSQL fault tests): `url` is the
 * database's DATABASE_URL.
 */
export async function learnersReadyForQuizOn(url: string, courseSlug: string, lessonSlugs: string[], count: number): Promise<string[]> {
  const { openPostgresDatabase } = await import("../../db/database");
  const { db } = openPostgresDatabase(url, 2);
  const cookies: string[] = [];
  const now = new Date().toISOString();
  try {
    const { password_hash: hash } = await db.selectFrom("person").select("password_hash").where("username", "=", "demo-hocvien").executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        const id = `fault-${randomBytes(6).toString("hex")}`;
        await trx
          .insertInto("person")
          .values({
            id,
            username: id,
            full_name: "Người Thử Lỗi",
            search_name: "nguoi thu loi",
            birth_year: 1980,
            commune_code: "25459",
            kind: "citizen",
            password_hash: hash,
            consent_at: now,
            consent_method: "self",
            created_at: now,
          })
          .execute();
        await trx
          .insertInto("lesson_progress")
          .values(lessonSlugs.map((lesson) => ({ person_id: id, course_slug: courseSlug, lesson_slug: lesson, first_viewed_at: now, completed_at: now })))
          .execute();
        const session = randomBytes(20).toString("hex");
        await trx
          .insertInto("session")
          .values({ id: storedToken(session), user_id: id, expires_at: Math.floor(Date.now() / 1000) + 30 * 86400 })
          .execute();
        cookies.push(`hvs_session=${session}`);
      }
    });
  } finally {
    await db.destroy();
  }
  return cookies;
}
