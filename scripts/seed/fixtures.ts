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
        db.prepare("insert into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at, completed_at) values (?, ?, ?, ?, ?)").run(id, courseSlug, lesson, now, now);
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
