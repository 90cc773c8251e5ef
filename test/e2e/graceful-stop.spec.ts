import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import pg from "pg";
import { learnersReadyForQuiz, learnersReadyForQuizOn } from "../../scripts/seed/fixtures";
import { course } from "./support/content";
import { queryAllIn, type OwnDatabase } from "./support/database";
import { freshOwnDatabase, quizForm, startServer } from "./support/server";

// A deploy restarts the server with SIGTERM while phones are mid-request, and some of them lose their
// connection at that moment. The loaders and actions those phones started go on without a connection; the
// server must let them finish before it closes the database (server/in-flight.ts), on both engines.

const COURSE = course("dich-vu-cong-truc-tuyen");
const RIGHT = Object.fromEntries(COURSE.quiz.questions.map((q) => [q.id, q.correct]));
const lessons = COURSE.lessons.map((l) => l.slug);

/** Holds the write lock on quiz answers from outside the server, as an import or a backup tool may. */
async function holdAnswerLock(database: OwnDatabase): Promise<() => Promise<void>> {
  if ("file" in database) {
    const other = new Database(database.file);
    other.exec("begin immediate");
    return async () => {
      other.exec("rollback");
      other.close();
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("begin");
  await client.query("lock table quiz_attempt in exclusive mode"); // reads go on; inserts wait
  return async () => {
    await client.query("rollback");
    await client.end();
  };
}

test("SIGTERM while clients hang up: the server finishes their answers before it stops, logs no error, and stores each answer whole", async () => {
  test.setTimeout(180_000);
  const { database, env } = freshOwnDatabase("stop");
  const cookies =
    "url" in database ? await learnersReadyForQuizOn(database.url, COURSE.slug, lessons, 10) : learnersReadyForQuiz(database.file, COURSE.slug, lessons, 10);
  const server = await startServer("file" in database ? database.file : "", {
    ...env,
    DB_WRITE_DEADLINE_MS: "30000",
    // On PostgreSQL, fewer connections than answers: some answers wait for a connection, not only for the lock.
    PG_POOL_SIZE: "3",
  });

  // The answers arrive while their writes must wait, so they are certainly being worked on at the SIGTERM.
  const release = await holdAnswerLock(database);
  const hangUp = new AbortController();
  const keys: string[] = [];
  const requests = cookies.map((cookie) => {
    const form = quizForm(RIGHT);
    keys.push(form.get("idempotency_key")!);
    const headers = { Cookie: cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" };
    const answer = fetch(`${server.url}/khoa-hoc/${COURSE.slug}/kiem-tra`, { method: "POST", headers, body: form, redirect: "manual", signal: hangUp.signal });
    return answer.catch(() => null);
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  hangUp.abort(); // the phones lose their connection
  const stopped = server.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await release();
  await stopped;
  await Promise.all(requests);

  expect(server.child.exitCode, "the server stopped by itself").toBe(0);
  expect(server.logs.filter((line) => /error|destroyed|yêu cầu chưa xong/i.test(line))).toEqual([]);
  // Every answer was finished, with what a right answer earns: the completed course and the certificate.
  const stored = queryAllIn<{ key: string; passed: number; completed: string | null; certificates: number }>(
    database,
    `select a.idempotency_key as key, a.passed, p.completed_at as completed,
            (select count(*) from certificate c where c.person_id = a.person_id and c.course_slug = a.course_slug) as certificates
       from quiz_attempt a left join course_progress p on p.person_id = a.person_id and p.course_slug = a.course_slug
      where a.course_slug = ?`,
    COURSE.slug,
  ).filter((attempt) => keys.includes(attempt.key));
  expect(stored.map((attempt) => attempt.key).sort()).toEqual([...keys].sort());
  for (const attempt of stored) {
    expect(attempt.passed, attempt.key).toBe(1);
    expect(attempt.completed, attempt.key).toBeTruthy();
    expect(Number(attempt.certificates), attempt.key).toBe(1);
  }
});
