import { sql, type Transaction } from "kysely";
import { findCourse } from "~/courses/catalog.server";
import type { Course, Lesson } from "~/courses/types";
import { db, nowIso, preparedQuery } from "~/db.server";
import type { DB } from "../../db/schema";
import { issueCertificate } from "./certificates.server";
import { countCompletion } from "~/reports/indicators.server";
import { recordLearningEvent } from "~/records/xapi.server";

// Lesson and course progress. A course is complete when every lesson is completed and the quiz is passed,
// in whichever order those happen; completion and certificate are written in the same transaction.

export type CourseStatus = {
  courseSlug: string;
  completedLessons: Set<string>;
  viewedLessons: Set<string>;
  lastLessonSlug: string | null;
  quizPassed: boolean;
  completedAt: string | null;
  percent: number; // lessons + quiz, rounded down
};

// The queries every signed-in lesson page and quiz submission runs (db/prepared.ts).
const selectCourseProgress = preparedQuery((db, personId: string, courseSlug: string) =>
  db.selectFrom("course_progress").select(["last_lesson_slug", "completed_at"]).where("person_id", "=", personId).where("course_slug", "=", courseSlug),
);

// A course's status in one statement — on PostgreSQL every statement is a round trip, and this one runs on every
// signed-in lesson page: a row per lesson the person opened ("lesson"), then one row ("course") with the
// course's last lesson, its completion and whether an attempt passed (1 or 0).
const selectStatus = preparedQuery((db, personId: string, courseSlug: string) =>
  db
    .selectFrom("lesson_progress")
    .select((eb) => [eb.ref("lesson_slug").$castTo<string | null>().as("slug"), "completed_at", sql<number>`0`.as("passed"), sql<string>`'lesson'`.as("kind")])
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .unionAll(
      db.selectNoFrom((eb) => {
        const progress = eb.selectFrom("course_progress").where("person_id", "=", personId).where("course_slug", "=", courseSlug);
        const passed = eb
          .selectFrom("quiz_attempt")
          .select("id")
          .where("person_id", "=", personId)
          .where("course_slug", "=", courseSlug)
          .where("passed", "=", 1);
        return [
          progress.select("last_lesson_slug").as("slug"),
          progress.select("completed_at").as("completed_at"),
          sql<number>`case when ${eb.exists(passed)} then 1 else 0 end`.as("passed"),
          sql<string>`'course'`.as("kind"),
        ];
      }),
    ),
);
const selectViewed = preparedQuery((db, personId: string, courseSlug: string, lessonSlug: string) =>
  db
    .selectFrom("lesson_progress")
    .select("lesson_slug")
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .where("lesson_slug", "=", lessonSlug),
);
const selectCompletedLessons = preparedQuery((db, personId: string, courseSlug: string) =>
  db
    .selectFrom("lesson_progress")
    .select("lesson_slug")
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .where("completed_at", "is not", null),
);

export async function courseStatus(personId: string, course: Course): Promise<CourseStatus> {
  const rows = await selectStatus(db(), personId, course.slug);
  const lessons = rows.filter((r) => r.kind === "lesson").map((r) => ({ lesson_slug: r.slug ?? "", completed_at: r.completed_at }));
  const progress = rows.find((r) => r.kind === "course");
  const passed = progress?.passed === 1;
  const known = new Set(course.lessons.map((l) => l.slug));
  const completedLessons = new Set(lessons.filter((l) => l.completed_at && known.has(l.lesson_slug)).map((l) => l.lesson_slug));
  const viewedLessons = new Set(lessons.filter((l) => known.has(l.lesson_slug)).map((l) => l.lesson_slug));
  const steps = course.lessons.length + 1;
  const done = completedLessons.size + (passed ? 1 : 0);
  return {
    courseSlug: course.slug,
    completedLessons,
    viewedLessons,
    lastLessonSlug: progress?.slug ?? null,
    quizPassed: Boolean(passed),
    completedAt: progress?.completed_at ?? null,
    percent: Math.floor((done * 100) / steps),
  };
}

/** In a sequential course a lesson opens once every lesson before it is completed. */
export function lessonUnlocked(course: Course, status: CourseStatus | null, lesson: Lesson): boolean {
  if (!course.sequential || !status) return true;
  return course.lessons.slice(0, lesson.number - 1).every((l) => status.completedLessons.has(l.slug));
}

export function quizUnlocked(course: Course, status: CourseStatus | null): boolean {
  if (!course.sequential || !status) return true;
  return course.lessons.every((l) => status.completedLessons.has(l.slug));
}

/** quizUnlocked in one query, for use inside a write transaction. */
export async function quizUnlockedIn(trx: Transaction<DB>, personId: string, course: Course): Promise<boolean> {
  return !course.sequential || allLessonsCompleted(trx, personId, course);
}

async function allLessonsCompleted(trx: Transaction<DB>, personId: string, course: Course): Promise<boolean> {
  const completed = await selectCompletedLessons(trx, personId, course.slug);
  const done = new Set(completed.map((r) => r.lesson_slug));
  return course.lessons.every((l) => done.has(l.slug));
}

/** Where to continue: the first lesson not completed (in order), or the quiz when all are done. */
export function nextStep(course: Course, status: CourseStatus): { kind: "lesson"; lesson: Lesson } | { kind: "quiz" } | { kind: "done" } {
  if (status.completedAt) return { kind: "done" };
  const lesson = course.lessons.find((l) => !status.completedLessons.has(l.slug));
  return lesson ? { kind: "lesson", lesson } : { kind: "quiz" };
}

async function touchCourse(trx: Transaction<DB>, personId: string, courseSlug: string, lessonSlug: string, now: string) {
  const started = await trx
    .insertInto("course_progress")
    .values({ person_id: personId, course_slug: courseSlug, last_lesson_slug: lessonSlug, started_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["person_id", "course_slug"]).doNothing())
    .executeTakeFirst();
  if (Number(started.numInsertedOrUpdatedRows ?? 0) > 0) {
    await recordLearningEvent(trx, { kind: "started-course", personId, courseSlug, at: now });
    return;
  }
  await trx
    .updateTable("course_progress")
    .set({ last_lesson_slug: lessonSlug, updated_at: now })
    .where("person_id", "=", personId)
    .where("course_slug", "=", courseSlug)
    .execute();
}

/** The first opening of a lesson is the xAPI "experienced" (decision 023); later openings are not events. */
async function recordFirstView(
  trx: Transaction<DB>,
  inserted: { numInsertedOrUpdatedRows?: bigint },
  personId: string,
  courseSlug: string,
  lessonSlug: string,
  now: string,
) {
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) await recordLearningEvent(trx, { kind: "viewed-lesson", personId, courseSlug, lessonSlug, at: now });
}

/**
 * Records that a lesson was opened (idempotent) and remembers it as the place to resume. `known` is the
 * course status the caller has just read, if any, which saves reading it again.
 */
export async function recordLessonView(personId: string, courseSlug: string, lessonSlug: string, known?: CourseStatus): Promise<void> {
  // Re-reading the lesson you are on changes nothing: skip the write (and its fsync) entirely.
  const [viewed, lastLesson] = known
    ? [known.viewedLessons.has(lessonSlug), known.lastLessonSlug]
    : await Promise.all([
        selectViewed(db(), personId, courseSlug, lessonSlug).then((rows) => rows.length > 0),
        selectCourseProgress(db(), personId, courseSlug).then(([row]) => row?.last_lesson_slug ?? null),
      ]);
  if (viewed && lastLesson === lessonSlug) return;
  const now = nowIso();
  await db()
    .transaction()
    .execute(async (trx) => {
      await touchCourse(trx, personId, courseSlug, lessonSlug, now);
      const inserted = await trx
        .insertInto("lesson_progress")
        .values({ person_id: personId, course_slug: courseSlug, lesson_slug: lessonSlug, first_viewed_at: now })
        .onConflict((oc) => oc.columns(["person_id", "course_slug", "lesson_slug"]).doNothing())
        .executeTakeFirst();
      await recordFirstView(trx, inserted, personId, courseSlug, lessonSlug, now);
    });
}

/** Marks a lesson completed (idempotent); may complete the course if the quiz was already passed. */
/**
 * Marks a lesson completed, and the course when that was the last step. The unlock rule is checked inside the
 * same transaction as the write, like the quiz's: "locked" means nothing was written.
 */
export async function completeLesson(personId: string, course: Course, lessonSlug: string): Promise<"completed" | "locked"> {
  const now = nowIso();
  return db()
    .transaction()
    .execute(async (trx) => {
      if (!(await lessonUnlockedIn(trx, personId, course, lessonSlug))) return "locked";
      await touchCourse(trx, personId, course.slug, lessonSlug, now);
      const inserted = await trx
        .insertInto("lesson_progress")
        .values({ person_id: personId, course_slug: course.slug, lesson_slug: lessonSlug, first_viewed_at: now, completed_at: now })
        .onConflict((oc) => oc.columns(["person_id", "course_slug", "lesson_slug"]).doNothing())
        .executeTakeFirst();
      // The view may have been skipped under load (recordViewIfPossible): then this is the first opening.
      await recordFirstView(trx, inserted, personId, course.slug, lessonSlug, now);
      await trx
        .updateTable("lesson_progress")
        .set((eb) => ({ completed_at: eb.fn.coalesce("completed_at", eb.val(now)) }))
        .where("person_id", "=", personId)
        .where("course_slug", "=", course.slug)
        .where("lesson_slug", "=", lessonSlug)
        .execute();
      await completeCourseIfDone(trx, personId, course, now);
      return "completed";
    });
}

/** lessonUnlocked in one query, for use inside a write transaction. */
async function lessonUnlockedIn(trx: Transaction<DB>, personId: string, course: Course, lessonSlug: string): Promise<boolean> {
  const lesson = course.lessons.find((l) => l.slug === lessonSlug);
  if (!course.sequential || !lesson || lesson.number === 1) return true;
  const done = new Set((await selectCompletedLessons(trx, personId, course.slug)).map((r) => r.lesson_slug));
  return course.lessons.slice(0, lesson.number - 1).every((l) => done.has(l.slug));
}

/** Refuses a quiz attempt stored while the quiz was still locked; thrown inside its transaction, it undoes it. */
export class QuizLockedError extends Error {
  constructor() {
    super("quiz locked");
  }
}

/**
 * What a stored quiz attempt means for the course, in the attempt's own transaction: the unlock rule first
 * (a locked quiz throws QuizLockedError, which rolls the attempt back), then the course's completion when
 * the attempt passed. Returns whether the course was completed now.
 */
export async function settleQuizAttempt(trx: Transaction<DB>, personId: string, course: Course, passed: boolean, now: string): Promise<boolean> {
  if (!(await quizUnlockedIn(trx, personId, course))) throw new QuizLockedError();
  return passed ? completeCourseIfDone(trx, personId, course, now) : false;
}

/** Completes the course and issues its certificate when all lessons are completed and the quiz passed. */
// The statements of a course's completion, compiled once: it happens inside the group commit of a quiz answer.
const selectPassedAttempt = preparedQuery((db, personId: string, courseSlug: string) =>
  db.selectFrom("quiz_attempt").select("id").where("person_id", "=", personId).where("course_slug", "=", courseSlug).where("passed", "=", 1).limit(1),
);
const selectPersonName = preparedQuery((db, personId: string) => db.selectFrom("person").select(["id", "full_name"]).where("id", "=", personId));
const markCourseCompleted = preparedQuery((db, personId: string, courseSlug: string, now: string) =>
  db
    .insertInto("course_progress")
    .values({ person_id: personId, course_slug: courseSlug, last_lesson_slug: null, started_at: now, updated_at: now, completed_at: now })
    .onConflict((oc) => oc.columns(["person_id", "course_slug"]).doUpdateSet({ completed_at: now, updated_at: now })),
);

export async function completeCourseIfDone(trx: Transaction<DB>, personId: string, course: Course, now: string): Promise<boolean> {
  const [progress] = await selectCourseProgress(trx, personId, course.slug);
  if (progress?.completed_at) return false;
  if (!(await allLessonsCompleted(trx, personId, course))) return false;
  const [passed] = await selectPassedAttempt(trx, personId, course.slug);
  if (!passed) return false;
  const [person] = await selectPersonName(trx, personId);
  if (!person) throw new Error(`completeCourseIfDone: no person ${personId}`);
  await markCourseCompleted(trx, personId, course.slug, now);
  await issueCertificate(trx, { id: person.id, fullName: person.full_name }, course, now);
  await recordLearningEvent(trx, { kind: "completed-course", personId, courseSlug: course.slug, at: now });
  // Indicator numerators move in the same transaction as the completion.
  await countCompletion(trx, personId, course.slug);
  return true;
}

export type CourseOverview = { course: Course; status: CourseStatus };

/** Every course the person has started, most recent first — for the dashboard and "continue" links. */
export async function startedCourses(personId: string): Promise<CourseOverview[]> {
  const rows = await db().selectFrom("course_progress").select("course_slug").where("person_id", "=", personId).orderBy("updated_at", "desc").execute();
  const out: CourseOverview[] = [];
  for (const row of rows) {
    const course = findCourse(row.course_slug);
    if (course) out.push({ course, status: await courseStatus(personId, course) });
  }
  return out;
}
