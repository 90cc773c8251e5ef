import { db } from "~/db.server";
import { coursesInSet } from "./indicators.server";

// The named list an agency's training officer uses to chase colleagues: every active official on the roster
// with where they stand on the required courses.

export type OfficialStatus = {
  personnelCode: string;
  fullName: string;
  status: "not-started" | "in-progress" | "completed";
  coursesCompleted: number;
  coursesRequired: number;
  hasAccount: boolean;
};

export const STATUS_LABELS = { "not-started": "Chưa bắt đầu", "in-progress": "Đang học", completed: "Đã hoàn thành" } as const;

export async function agencyRosterStatus(agencyCode: string): Promise<OfficialStatus[]> {
  const required = coursesInSet("official-required");
  const roster = await db()
    .selectFrom("roster_official")
    .select(["personnel_code", "full_name", "search_name", "birth_year"])
    .where("agency_code", "=", agencyCode)
    .where("status", "=", "active")
    .orderBy("search_name")
    .execute();
  if (roster.length === 0) return [];
  const people = await db()
    .selectFrom("person")
    .select(["id", "personnel_code", "search_name", "birth_year", "created_at"])
    .where("personnel_code", "in", roster.map((r) => r.personnel_code))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const personFor = new Map<string, string>();
  for (const r of roster) {
    const first = people.find((p) => p.personnel_code === r.personnel_code && p.search_name === r.search_name && p.birth_year === r.birth_year);
    if (first) personFor.set(r.personnel_code, first.id);
  }
  const ids = [...personFor.values()];
  const progress = ids.length && required.length
    ? await db()
        .selectFrom("course_progress")
        .select(["person_id", "course_slug", "completed_at"])
        .where("person_id", "in", ids)
        .where("course_slug", "in", required)
        .execute()
    : [];
  return roster.map((r) => {
    const id = personFor.get(r.personnel_code);
    const mine = progress.filter((p) => p.person_id === id);
    const completed = mine.filter((p) => p.completed_at).length;
    const status = required.length && completed === required.length ? "completed" : mine.length ? "in-progress" : "not-started";
    return { personnelCode: r.personnel_code, fullName: r.full_name, status, coursesCompleted: completed, coursesRequired: required.length, hasAccount: Boolean(id) };
  });
}
