import { randomUUID } from "node:crypto";
import type { Insertable, Kysely, Transaction } from "kysely";
import type { DB, QuizAnswerTable, QuizAttemptTable } from "../../db/schema";
import type { Course } from "~/courses/types";
import { getCatalog } from "~/courses/catalog.server";
import { db, inGroupCommit, lockKey, nowIso, preparedQuery } from "~/db.server";
import { drawQuestions } from "./draw";
import { gradeQuiz, type Answers } from "./grading";
import { QuizLockedError, settleQuizAttempt } from "./progress.server";

// Quiz attempts: graded on the server, stored with every answer, idempotent per form (one key per form load).

export function newIdempotencyKey(): string {
  return randomUUID();
}

export const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type AttemptRules = {
  attemptsUsed: number;
  attemptsLeft: number | null;
  failuresInRow: number; // failed attempts since the last pass
  waitSeconds: number;
  waitUntil: string | null; // ISO time the cool-down ends, when there is one
};

type Executor = Kysely<DB> | Transaction<DB>;

// Every attempt of the person in the course, newest first: their number, and the failures in a row that decide
// the cool-down. Found through the (person, idempotency key) index, which starts with the person: a person
// has few attempts, and one index fewer makes every stored answer cheaper (migration 0021, decision 036).
const selectAttempts = preparedQuery((db, personId: string, courseSlug: string) =>
  db
    .selectFrom("quiz_attempt")
    .select(["submitted_at", "passed"])
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .orderBy("id", "desc"),
);

const selectByKey = preparedQuery((db, personId: string, idempotencyKey: string) =>
  db.selectFrom("quiz_attempt").select(["id", "passed"]).where("person_id", "=", personId).where("idempotency_key", "=", idempotencyKey),
);

type NewAttempt = Omit<Insertable<QuizAttemptTable>, "id">;

// Every field of the attempt is a bound parameter of one statement compiled once (db/prepared.ts).
const insertAttemptQuery = preparedQuery((db, attempt: Required<NewAttempt>) => db.insertInto("quiz_attempt").values(attempt).returning("id"));

function insertAttempt(trx: Transaction<DB>, attempt: Required<NewAttempt>) {
  return insertAttemptQuery(trx, attempt);
}

// One multi-row insert per attempt; its SQL depends only on the number of questions, so one per quiz length.
type AnswerRow = Insertable<QuizAnswerTable>;
const answerInserts = new Map<number, (trx: Kysely<DB>, ...values: Array<string | number>) => Promise<unknown[]>>();

function insertAnswers(trx: Transaction<DB>, rows: AnswerRow[]) {
  let insert = answerInserts.get(rows.length);
  if (!insert) {
    insert = preparedQuery((db, ...v: Array<string | number>) =>
      db.insertInto("quiz_answer").values(
        Array.from({ length: v.length / 4 }, (_, i): AnswerRow => ({
          attempt_id: v[4 * i] as number,
          question_id: v[4 * i + 1] as string,
          selected: v[4 * i + 2] as string,
          is_correct: v[4 * i + 3] as number,
        })),
      ),
    );
    answerInserts.set(rows.length, insert);
  }
  return insert(trx, ...rows.flatMap((r) => [r.attempt_id, r.question_id, r.selected, r.is_correct]));
}

/** Attempts used, attempts left and the cool-down still to wait — one rule for the page and for submitting. */
export async function attemptRules(personId: string, course: Course, now = Date.now(), executor: Executor = db()): Promise<AttemptRules> {
  const attempts = await selectAttempts(executor, personId, course.slug);
  const used = attempts.length;
  const { maxAttempts } = course.quiz;
  const failed = attempts.findIndex((a) => a.passed === 1);
  const failuresInRow = failed < 0 ? used : failed;
  const waitEnds = failuresInRow ? Date.parse(attempts[0].submitted_at) + cooldownMinutes(course, failuresInRow) * 60_000 : 0;
  const waitSeconds = Math.max(0, Math.ceil((waitEnds - now) / 1000));
  return {
    attemptsUsed: used,
    attemptsLeft: maxAttempts ? Math.max(0, maxAttempts - used) : null,
    failuresInRow,
    waitSeconds,
    waitUntil: waitSeconds > 0 ? new Date(waitEnds).toISOString() : null,
  };
}

const LONGEST_COOLDOWN_MINUTES = 24 * 60;

/**
 * The wait after `failuresInRow` failed attempts in a row: none for the first `freeAttempts` failures, then
 * `cooldownMinutes`, doubling with each further failure, never more than a day — so guessing is slow while
 * someone who reads the lessons again can still pass within a day or two.
 */
export function cooldownMinutes(course: Course, failuresInRow: number): number {
  const { freeAttempts, cooldownMinutes: first } = course.quiz;
  if (failuresInRow < freeAttempts) return 0;
  return Math.min(LONGEST_COOLDOWN_MINUTES, first * 2 ** Math.min(failuresInRow - freeAttempts, 20));
}

export type SubmitResult =
  | { kind: "recorded"; attemptId: number; passed: boolean; completedCourse: boolean; duplicate: boolean }
  | { kind: "locked" }
  | { kind: "no-attempts-left" }
  | { kind: "stale" }
  | { kind: "wait"; seconds: number; until: string };

/**
 * Grades and stores one attempt. A second submission with the same key (double click, back button,
 * retry after a timeout) returns the first attempt instead of recording another. `supervisedBy` is the
 * trainer whose device was used; the attempt always belongs to `personId`.
 */
export async function submitAttempt(
  personId: string,
  course: Course,
  idempotencyKey: string,
  answers: Answers,
  supervisedBy: string | null = null,
  attemptNumber?: number,
  /** When the form was opened (ISO), for the attempt's duration in its xAPI statement; null if unknown. */
  openedAt: string | null = null,
): Promise<SubmitResult> {
  // Submissions arriving together share one commit (see inGroupCommit); each is still all-or-nothing.
  try {
    return await storeAttempt(personId, course, idempotencyKey, answers, supervisedBy, attemptNumber, openedAt);
  } catch (error) {
    if (error instanceof QuizLockedError) return { kind: "locked" };
    throw error;
  }
}

function storeAttempt(
  personId: string,
  course: Course,
  idempotencyKey: string,
  answers: Answers,
  supervisedBy: string | null,
  attemptNumber: number | undefined,
  openedAt: string | null,
): Promise<SubmitResult> {
  return inGroupCommit(async (trx): Promise<SubmitResult> => {
    // One submission per person and course at a time (free on SQLite's single writer; a lock on PostgreSQL),
    // so the key check, the attempt limit and the cool-down below see every attempt committed before.
    await lockKey(trx, `quiz_attempt:${personId}:${course.slug}`);
    const now = nowIso();
    const [existing] = await selectByKey(trx, personId, idempotencyKey);
    if (existing) return { kind: "recorded", attemptId: existing.id, passed: existing.passed === 1, completedCourse: false, duplicate: true };

    const rules = await attemptRules(personId, course, Date.parse(now), trx);
    if (rules.attemptsLeft === 0) return { kind: "no-attempts-left" };
    if (rules.waitSeconds > 0) return { kind: "wait", seconds: rules.waitSeconds, until: rules.waitUntil ?? now };
    // The form was drawn for attempt n; if another attempt was stored since, its questions are not this one's.
    const number = rules.attemptsUsed + 1;
    if (attemptNumber !== undefined && attemptNumber !== number) return { kind: "stale" };
    // Graded against this attempt's draw only: answers to questions it did not ask count for nothing.
    const grade = gradeQuiz(drawQuestions(course.quiz, personId, course.slug, number), answers);

    const [{ id }] = await insertAttempt(trx, {
      person_id: personId,
      course_slug: course.slug,
      idempotency_key: idempotencyKey,
      submitted_at: now,
      correct_count: grade.correctCount,
      question_count: grade.questionCount,
      percent: grade.percent,
      passed: grade.passed ? 1 : 0,
      content_version: getCatalog().version,
      supervised_by: supervisedBy,
      // Its xAPI statements are built from this row when they are sent (decision 034), not written here.
      opened_at: openedAt,
    });
    if (grade.results.length) {
      await insertAnswers(
        trx,
        grade.results.map((r) => ({ attempt_id: id, question_id: r.questionId, selected: r.selected.join(","), is_correct: r.correct ? 1 : 0 })),
      );
    }
    // The unlock rule and the course's completion, in this transaction (a locked quiz undoes the insert).
    const completedCourse = await settleQuizAttempt(trx, personId, course, grade.passed, now);
    return { kind: "recorded", attemptId: id, passed: grade.passed, completedCourse, duplicate: false };
  });
}

/** The attempt already stored for this form's key, if any: a retry answers with it rather than a complaint. */
export async function attemptIdForKey(personId: string, idempotencyKey: string): Promise<number | undefined> {
  const [existing] = await selectByKey(db(), personId, idempotencyKey);
  return existing?.id;
}

export async function findAttempt(attemptId: number) {
  const attempt = await db().selectFrom("quiz_attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
  if (!attempt) return undefined;
  const answers = await db().selectFrom("quiz_answer").selectAll().where("attempt_id", "=", attemptId).execute();
  return { ...attempt, answers };
}

export async function attemptsOf(personId: string, courseSlug?: string) {
  let query = db()
    .selectFrom("quiz_attempt")
    .select(["id", "course_slug", "submitted_at", "correct_count", "question_count", "percent", "passed"])
    .where("person_id", "=", personId);
  if (courseSlug) query = query.where("course_slug", "=", courseSlug);
  return query.orderBy("id", "desc").execute();
}
