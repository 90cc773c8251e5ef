import { findCourse } from "~/courses/catalog.server";
import { db } from "~/db.server";
import type { Cohort } from "./cohorts.server";
import { mostMissed } from "./most-missed";
import { needsHelp, type HelpReason } from "./needs-help";
import { spreadsheetCsv } from "~/ui/csv.server";
import { vietnamSpreadsheetDateTime } from "~/ui/vietnam-time";

// What a trainer sees about a cohort: a progress matrix, who needs help, the questions most missed, sessions.

type CourseCell = {
  lessonsDone: number;
  lessonCount: number;
  lessons: Record<string, "done" | "viewed" | null>;
  quiz: "passed" | "failed" | null;
  completed: boolean;
};
export type MatrixRow = {
  personId: string;
  fullName: string;
  username: string;
  lastActivityAt: string | null;
  courses: Record<string, CourseCell>;
  help: HelpReason[];
  attended: number;
};

async function membersOf(cohortId: number) {
  return db()
    .selectFrom("cohort_member")
    .innerJoin("person", "person.id", "cohort_member.person_id")
    .select(["person.id", "person.full_name", "person.username", "cohort_member.joined_at"])
    .where("cohort_member.cohort_id", "=", cohortId)
    .orderBy("person.search_name")
    .execute();
}

export async function cohortMatrix(cohort: Cohort, now = new Date()): Promise<MatrixRow[]> {
  const members = await membersOf(cohort.id);
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  const courses = cohort.courses;
  const [lessons, attempts, progress, attendance] = await Promise.all([
    db()
      .selectFrom("lesson_progress")
      .select(["person_id", "course_slug", "lesson_slug", "first_viewed_at", "completed_at"])
      .where("person_id", "in", ids)
      .where("course_slug", "in", courses)
      .execute(),
    db()
      .selectFrom("quiz_attempt")
      .select(["person_id", "course_slug", "submitted_at", "passed"])
      .where("person_id", "in", ids)
      .where("course_slug", "in", courses)
      .execute(),
    db()
      .selectFrom("course_progress")
      .select(["person_id", "course_slug", "updated_at", "completed_at"])
      .where("person_id", "in", ids)
      .where("course_slug", "in", courses)
      .execute(),
    db()
      .selectFrom("session_attendance")
      .innerJoin("training_session", "training_session.id", "session_attendance.session_id")
      .select(["session_attendance.person_id"])
      .where("training_session.cohort_id", "=", cohort.id)
      .execute(),
  ]);
  return members.map((m) => {
    const mine = {
      lessons: lessons.filter((l) => l.person_id === m.id),
      attempts: attempts.filter((a) => a.person_id === m.id),
      progress: progress.filter((p) => p.person_id === m.id),
    };
    const cells: Record<string, CourseCell> = {};
    for (const slug of courses) {
      const course = findCourse(slug)!;
      const states: Record<string, "done" | "viewed" | null> = {};
      for (const lesson of course.lessons) {
        const row = mine.lessons.find((l) => l.course_slug === slug && l.lesson_slug === lesson.slug);
        states[lesson.slug] = row?.completed_at ? "done" : row ? "viewed" : null;
      }
      const tries = mine.attempts.filter((a) => a.course_slug === slug);
      cells[slug] = {
        lessonsDone: Object.values(states).filter((s) => s === "done").length,
        lessonCount: course.lessons.length,
        lessons: states,
        quiz: tries.some((a) => a.passed) ? "passed" : tries.length ? "failed" : null,
        completed: mine.progress.some((p) => p.course_slug === slug && p.completed_at),
      };
    }
    const times = [
      ...mine.lessons.flatMap((l) => [l.first_viewed_at, l.completed_at]),
      ...mine.attempts.map((a) => a.submitted_at),
      ...mine.progress.map((p) => p.updated_at),
    ].filter((t): t is string => Boolean(t));
    const lastActivityAt = times.sort().at(-1) ?? null;
    const help = needsHelp(
      {
        personId: m.id,
        joinedAt: m.joined_at,
        lastActivityAt,
        attempts: mine.attempts.map((a) => ({ courseSlug: a.course_slug, submittedAt: a.submitted_at, passed: a.passed === 1 })),
        finishedAllCourses: courses.every((slug) => cells[slug].completed),
      },
      now,
    );
    return {
      personId: m.id,
      fullName: m.full_name,
      username: m.username,
      lastActivityAt,
      courses: cells,
      help,
      attended: attendance.filter((a) => a.person_id === m.id).length,
    };
  });
}

export async function cohortMostMissed(cohort: Cohort) {
  const ids = (await membersOf(cohort.id)).map((m) => m.id);
  const out = [];
  for (const slug of cohort.courses) {
    const course = findCourse(slug)!;
    const answers = ids.length
      ? await db()
          .selectFrom("quiz_answer")
          .innerJoin("quiz_attempt", "quiz_attempt.id", "quiz_answer.attempt_id")
          .select(["quiz_answer.question_id", "quiz_answer.selected", "quiz_answer.is_correct"])
          .where("quiz_attempt.person_id", "in", ids)
          .where("quiz_attempt.course_slug", "=", slug)
          .execute()
      : [];
    const missed = mostMissed(
      course.quiz.questions.map((q) => ({ id: q.id, number: q.number, correct: q.correct })),
      answers.map((a) => ({ questionId: a.question_id, selected: a.selected, isCorrect: a.is_correct === 1 })),
    );
    out.push({
      courseSlug: slug,
      courseTitle: course.title,
      questions: missed.map((m) => {
        const q = course.quiz.questions.find((x) => x.id === m.questionId)!;
        return {
          ...m,
          stemHtml: q.stemHtml,
          topWrongOptionHtml: m.topWrongOption ? (q.options.find((o) => o.id === m.topWrongOption!.optionId)?.html ?? "") : null,
        };
      }),
    });
  }
  return out;
}

export async function cohortSessions(cohortId: number) {
  const sessions = await db()
    .selectFrom("training_session")
    .selectAll()
    .where("cohort_id", "=", cohortId)
    .orderBy("held_on", "desc")
    .orderBy("id", "desc")
    .execute();
  const counts = await db()
    .selectFrom("session_attendance")
    .innerJoin("training_session", "training_session.id", "session_attendance.session_id")
    .select(["session_attendance.session_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("training_session.cohort_id", "=", cohortId)
    .groupBy("session_attendance.session_id")
    .execute();
  return sessions.map((s) => ({ ...s, attendees: Number(counts.find((c) => c.session_id === s.id)?.n ?? 0) }));
}

/** What the page's matrix cell says, in words: "xong", or "3/5 bài". The CSV writes the same. */
export function courseResult(cell: CourseCell): string {
  return cell.completed ? "xong" : `${cell.lessonsDone}/${cell.lessonCount} bài`;
}

export const QUIZ_WORDS = { passed: "đạt", failed: "chưa đạt" } as const;

/**
 * CSV of the progress matrix for a spreadsheet: Vietnamese headers, times in Vietnam time as "yyyy-mm-dd hh:mm"
 * (which spreadsheets read as a date), and the same facts as the page: per course its result and its quiz, then
 * each lesson. A completed course counts all its lessons done, as the page does, even when a lesson has no row
 * of its own (courses completed before lesson tracking, or imported). UTF-8 with BOM, CRLF.
 */
export function matrixCsv(cohort: Cohort, rows: MatrixRow[]): string {
  const header = ["Họ và tên", "Tên đăng nhập", "Hoạt động gần nhất (giờ Việt Nam)", "Số buổi tham dự"];
  const columns: { title: string; course: string; value: (cell: CourseCell) => string }[] = [];
  const lessonWords = { done: "xong", viewed: "đã xem" } as const;
  for (const slug of cohort.courses) {
    const course = findCourse(slug)!;
    columns.push({ title: `${course.title}: kết quả`, course: slug, value: courseResult });
    columns.push({ title: `${course.title}: bài kiểm tra`, course: slug, value: (cell) => (cell.quiz ? QUIZ_WORDS[cell.quiz] : "chưa làm") });
    for (const lesson of course.lessons) {
      columns.push({
        title: `${course.title}: bài ${lesson.number}`,
        course: slug,
        value: (cell) => (cell.completed ? "xong" : cell.lessons[lesson.slug] ? lessonWords[cell.lessons[lesson.slug]!] : ""),
      });
    }
  }
  const records = rows.map((r) => [
    r.fullName,
    r.username,
    r.lastActivityAt ? vietnamSpreadsheetDateTime(r.lastActivityAt) : "",
    r.attended,
    ...columns.map((c) => c.value(r.courses[c.course])),
  ]);
  return spreadsheetCsv([[...header, ...columns.map((c) => c.title)], ...records]);
}

export async function learnerDetail(cohort: Cohort, personId: string) {
  const [attempts, lessons, attendance] = await Promise.all([
    db()
      .selectFrom("quiz_attempt")
      .select(["id", "course_slug", "submitted_at", "correct_count", "question_count", "percent", "passed", "supervised_by"])
      .where("person_id", "=", personId)
      .where("course_slug", "in", cohort.courses)
      .orderBy("id", "desc")
      .execute(),
    db()
      .selectFrom("lesson_progress")
      .select(["course_slug", "lesson_slug", "first_viewed_at", "completed_at"])
      .where("person_id", "=", personId)
      .where("course_slug", "in", cohort.courses)
      .execute(),
    db()
      .selectFrom("session_attendance")
      .innerJoin("training_session", "training_session.id", "session_attendance.session_id")
      .select(["training_session.held_on", "training_session.place", "training_session.topic", "training_session.recorded_at"])
      .where("session_attendance.person_id", "=", personId)
      .where("training_session.cohort_id", "=", cohort.id)
      .orderBy("training_session.held_on", "desc")
      .orderBy("training_session.id", "desc")
      .execute(),
  ]);
  return { attempts, lessons, attendance };
}
