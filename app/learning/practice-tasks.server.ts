import { sql } from "kysely";
import { taskConfirmationRefusal } from "~/accounts/permissions.server";
import type { SessionUser } from "~/accounts/session.server";
import { findCourse, getCatalog } from "~/courses/catalog.server";
import { SECTORS, type PracticeTask, type Sector } from "~/courses/services";
import type { Course } from "~/courses/types";
import { db, nowIso } from "~/db.server";
import { withServiceUseCounts } from "~/reports/indicators.server";

// Practice tasks (nhiệm vụ thực hành, decision 021). A learner reports a task done by answering its short
// self-check question; a trainer confirms it for a member of their cohort after seeing it done. The two are
// stored apart on one row, and each write moves the service-use indicators in the same transaction.

export type TaskState = {
  selfReportedAt: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null; // the trainer's name
};

export type TaskResult = { ok: true; already: boolean } | { ok: false; error: string; status: 400 | 403 | 404 };

function findTask(courseSlug: string, taskId: string): { course: Course; task: PracticeTask } | undefined {
  const course = findCourse(courseSlug);
  const task = course?.tasks.find((t) => t.id === taskId);
  return course && task ? { course, task } : undefined;
}

/** The person's records for one course's tasks (or every course), keyed "course/task". */
export async function taskStates(personId: string, courseSlug?: string): Promise<Map<string, TaskState>> {
  let query = db()
    .selectFrom("task_record")
    .leftJoin("person as trainer", "trainer.id", "task_record.confirmed_by")
    .select(["task_record.course_slug", "task_record.task_id", "task_record.self_reported_at", "task_record.confirmed_at", "trainer.full_name"])
    .where("task_record.person_id", "=", personId);
  if (courseSlug) query = query.where("task_record.course_slug", "=", courseSlug);
  const rows = await query.execute();
  return new Map(
    rows.map((r) => [`${r.course_slug}/${r.task_id}`, { selfReportedAt: r.self_reported_at, confirmedAt: r.confirmed_at, confirmedBy: r.full_name ?? null }]),
  );
}

/** The learner's own report: recorded only when the self-check answer is right. Repeating it changes nothing. */
export async function reportTaskDone(personId: string, courseSlug: string, taskId: string, answer: string): Promise<TaskResult> {
  const found = findTask(courseSlug, taskId);
  if (!found) return { ok: false, error: "Không tìm thấy nhiệm vụ thực hành này.", status: 404 };
  if (!found.task.options.some((o) => o.id === answer)) return { ok: false, error: "Hãy chọn một câu trả lời cho câu tự kiểm tra.", status: 400 };
  if (answer !== found.task.answer) {
    return { ok: false, error: "Câu trả lời chưa đúng. Bác xem lại bài học, làm lại nhiệm vụ rồi trả lời lần nữa.", status: 400 };
  }
  const already = await markTaskOnce({ personId, courseSlug, taskId }, { self_reported_at: nowIso() });
  return { ok: true, already };
}

/** A trainer's in-person confirmation for a member of their cohort; the first confirmation is kept. */
export async function confirmTask(actor: SessionUser, cohortId: number, personId: string, courseSlug: string, taskId: string): Promise<TaskResult> {
  const refusal = await taskConfirmationRefusal(actor, cohortId, personId);
  if (refusal) return { ok: false, error: refusal, status: 403 };
  if (!findTask(courseSlug, taskId)) return { ok: false, error: "Không tìm thấy nhiệm vụ thực hành này.", status: 404 };
  const already = await markTaskOnce({ personId, courseSlug, taskId }, { confirmed_at: nowIso(), confirmed_by: actor.id, confirmed_cohort_id: cohortId });
  return { ok: true, already };
}

type TaskKey = { personId: string; courseSlug: string; taskId: string };
type TaskMark = { self_reported_at: string } | { confirmed_at: string; confirmed_by: string; confirmed_cohort_id: number };

/**
 * Stores one kind of mark (the learner's report or a trainer's confirmation) unless that kind is already there:
 * the first one is kept, so a repeated form changes nothing. Returns whether it was already there. The
 * service-use counts move in the same transaction.
 */
async function markTaskOnce({ personId, courseSlug, taskId }: TaskKey, mark: TaskMark): Promise<boolean> {
  const kind = "self_reported_at" in mark ? "self_reported_at" : "confirmed_at";
  return db()
    .transaction()
    .execute((trx) =>
      withServiceUseCounts(trx, personId, async () => {
        const before = await trx
          .selectFrom("task_record")
          .select(["self_reported_at", "confirmed_at"])
          .where("person_id", "=", personId)
          .where("course_slug", "=", courseSlug)
          .where("task_id", "=", taskId)
          .executeTakeFirst();
        if (before?.[kind]) return true;
        await trx
          .insertInto("task_record")
          .values({ person_id: personId, course_slug: courseSlug, task_id: taskId, ...mark })
          .onConflict((oc) => oc.columns(["person_id", "course_slug", "task_id"]).doUpdateSet(mark))
          .execute();
        return false;
      }),
    );
}

export type SectorTaskCounts = { sector: string; label: string; selfReported: number; confirmed: number };

/**
 * People with at least one task per sector, self-reported and trainer-confirmed counted apart (a person may be
 * in both columns). For the province report, next to the indicators.
 */
export async function taskCountsBySector(): Promise<SectorTaskCounts[]> {
  const courses = getCatalog().courses.filter((c) => c.tasks.length > 0);
  if (courses.length === 0) return [];
  const sectorOf = sql.join(
    courses.map((c) => sql`when ${sql.lit(c.slug)} then ${sql.lit(c.sector)}`),
    sql` `,
  );
  const { rows } = await sql<{ sector: string; self_reported: number; confirmed: number }>`
    select sector,
           count(distinct case when self_reported_at is not null then person_id end) as self_reported,
           count(distinct case when confirmed_at is not null then person_id end) as confirmed
    from (select person_id, self_reported_at, confirmed_at, case course_slug ${sectorOf} end as sector from task_record) as t
    where sector is not null
    group by sector`.execute(db());
  return rows
    .map((r) => ({ sector: r.sector, label: SECTORS[r.sector as Sector] ?? r.sector, selfReported: Number(r.self_reported), confirmed: Number(r.confirmed) }))
    .sort((a, b) => a.label.localeCompare(b.label, "vi"));
}
