import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { Course } from "~/courses/types";
import { getCatalog } from "~/courses/catalog.server";
import { db, nowIso } from "~/db.server";
import { gradeQuiz, type Answers } from "./grading";
import { completeCourseIfDone } from "./progress.server";

// Quiz attempts: graded on the server, stored with every answer, idempotent per form (one key per form load).

export function newIdempotencyKey(): string {
  return randomUUID();
}

export const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type AttemptRules = { attemptsUsed: number; attemptsLeft: number | null; waitSeconds: number };

type Executor = Kysely<DB> | Transaction<DB>;

/** Attempts used, attempts left and the cool-down still to wait — one rule for the page and for submitting. */
export async function attemptRules(personId: string, course: Course, now = Date.now(), executor: Executor = db()): Promise<AttemptRules> {
  const attempts = await executor
    .selectFrom("quiz_attempt")
    .select(["submitted_at", "passed"])
    .where("person_id", "=", personId)
    .where("course_slug", "=", course.slug)
    .orderBy("id", "desc")
    .execute();
  const { maxAttempts, cooldownMinutes } = course.quiz;
  const last = attempts[0];
  const waitUntil = last && !last.passed ? Date.parse(last.submitted_at) + cooldownMinutes * 60_000 : 0;
  return {
    attemptsUsed: attempts.length,
    attemptsLeft: maxAttempts ? Math.max(0, maxAttempts - attempts.length) : null,
    waitSeconds: Math.max(0, Math.ceil((waitUntil - now) / 1000)),
  };
}

export type SubmitResult =
  | { kind: "recorded"; attemptId: number; passed: boolean; completedCourse: boolean; duplicate: boolean }
  | { kind: "no-attempts-left" }
  | { kind: "wait"; seconds: number };

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
): Promise<SubmitResult> {
  const grade = gradeQuiz(course.quiz, answers);
  const now = nowIso();
  return db().transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("quiz_attempt")
      .select(["id", "passed"])
      .where("person_id", "=", personId)
      .where("idempotency_key", "=", idempotencyKey)
      .executeTakeFirst();
    if (existing) return { kind: "recorded", attemptId: existing.id, passed: existing.passed === 1, completedCourse: false, duplicate: true };

    const rules = await attemptRules(personId, course, Date.parse(now), trx);
    if (rules.attemptsLeft === 0) return { kind: "no-attempts-left" };
    if (rules.waitSeconds > 0) return { kind: "wait", seconds: rules.waitSeconds };

    const { id } = await trx
      .insertInto("quiz_attempt")
      .values({
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
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (grade.results.length) {
      await trx
        .insertInto("quiz_answer")
        .values(grade.results.map((r) => ({ attempt_id: id, question_id: r.questionId, selected: r.selected.join(","), is_correct: r.correct ? 1 : 0 })))
        .execute();
    }
    const completedCourse = grade.passed ? await completeCourseIfDone(trx, personId, course, now) : false;
    return { kind: "recorded", attemptId: id, passed: grade.passed, completedCourse, duplicate: false };
  });
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
