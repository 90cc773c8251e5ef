import { findCourse } from "~/courses/catalog.server";
import { db } from "~/db.server";
import { courseStatus, nextStep } from "~/learning/progress.server";
import { claimedRosterEntry } from "./indicators.server";
import { deadlineFor, officialsIndicator, type Deadline } from "./deadlines.server";

// The official's own page (issue 17, item 1): the required courses with where they stand, the deadline, and
// whether they are counted for their agency — with the reason in plain words and what to do when they are not.

export type CourseState = "done" | "in-progress" | "not-started";
export type RequiredCourse = { slug: string; title: string; state: CourseState };
export type RosterMatch = { counted: boolean; reason: string; action: string | null };

export type OfficialOverview = {
  agencyName: string | null;
  personnelCode: string | null;
  courses: RequiredCourse[];
  doneCount: number;
  deadline: Deadline | null;
  match: RosterMatch;
  continueLink: { href: string; label: string } | null;
};

const ASK_OFFICER = "Hãy liên hệ cán bộ phụ trách đào tạo của cơ quan để được kiểm tra và bổ sung vào danh sách.";

/** Why this person does or does not count for their agency, in words an older first-time user understands. */
export async function rosterMatch(personId: string): Promise<RosterMatch> {
  const person = await db()
    .selectFrom("person")
    .leftJoin("agency", "agency.code", "person.agency_code")
    .select(["person.personnel_code", "person.search_name", "person.birth_year", "agency.name as agency_name"])
    .where("person.id", "=", personId)
    .executeTakeFirst();
  if (!person?.personnel_code) return { counted: false, reason: "Bạn chưa khai báo mã cán bộ.", action: ASK_OFFICER };
  const agency = person.agency_name ?? "cơ quan của bạn";
  const entry = await db()
    .selectFrom("roster_official")
    .innerJoin("agency", "agency.code", "roster_official.agency_code")
    .select(["roster_official.full_name", "roster_official.search_name", "roster_official.birth_year", "roster_official.status", "agency.name as agency_name"])
    .where("personnel_code", "=", person.personnel_code)
    .executeTakeFirst();
  const code = person.personnel_code;
  if (!entry) {
    return { counted: false, reason: `Mã cán bộ ${code} không có trong danh sách cán bộ của ${agency} mà tỉnh đang dùng để tính chỉ tiêu.`, action: "Hãy kiểm tra lại mã cán bộ. Nếu mã đúng, hãy liên hệ cán bộ phụ trách đào tạo của cơ quan để được bổ sung vào danh sách." };
  }
  if (entry.search_name !== person.search_name) {
    return { counted: false, reason: `Họ tên trong danh sách cán bộ với mã ${code} là “${entry.full_name}”, khác với họ tên bạn đã khai báo.`, action: ASK_OFFICER };
  }
  if (entry.birth_year !== person.birth_year) {
    return { counted: false, reason: `Năm sinh trong danh sách cán bộ với mã ${code} là ${entry.birth_year}, khác với năm sinh bạn đã khai báo.`, action: ASK_OFFICER };
  }
  if (entry.status !== "active") {
    return { counted: false, reason: `Theo danh sách của tỉnh, mã cán bộ ${code} đã nghỉ công tác tại ${entry.agency_name}.`, action: ASK_OFFICER };
  }
  if (!(await claimedRosterEntry(db(), personId))) {
    return { counted: false, reason: `Mã cán bộ ${code} đã được một tài khoản khác đăng ký trước bạn; mỗi cán bộ chỉ được tính một lần.`, action: ASK_OFFICER };
  }
  return { counted: true, reason: `Bạn có trong danh sách cán bộ của ${entry.agency_name} và được tính vào chỉ tiêu của cơ quan.`, action: null };
}

async function continueLinkFor(personId: string, courses: RequiredCourse[]): Promise<OfficialOverview["continueLink"]> {
  const next = courses.find((c) => c.state === "in-progress") ?? courses.find((c) => c.state === "not-started");
  const course = next && findCourse(next.slug);
  if (!next || !course) return null;
  if (next.state === "not-started") return { href: `/khoa-hoc/${course.slug}`, label: course.title };
  const step = nextStep(course, await courseStatus(personId, course));
  if (step.kind === "quiz") return { href: `/khoa-hoc/${course.slug}/kiem-tra`, label: `${course.title}: bài kiểm tra` };
  if (step.kind === "lesson") return { href: `/khoa-hoc/${course.slug}/${step.lesson.slug}`, label: `${course.title}: Bài ${step.lesson.number}. ${step.lesson.title}` };
  return { href: `/khoa-hoc/${course.slug}`, label: course.title };
}

/** Everything the official's section of their own page shows; null for a person who is not an official. */
export async function officialOverview(personId: string): Promise<OfficialOverview | null> {
  const person = await db()
    .selectFrom("person")
    .leftJoin("agency", "agency.code", "person.agency_code")
    .select(["person.kind", "person.agency_code", "person.personnel_code", "agency.name as agency_name"])
    .where("person.id", "=", personId)
    .executeTakeFirst();
  if (person?.kind !== "official") return null;
  const indicator = await officialsIndicator();
  const slugs = indicator?.courses ?? [];
  const progress = slugs.length
    ? await db().selectFrom("course_progress").select(["course_slug", "completed_at"]).where("person_id", "=", personId).where("course_slug", "in", slugs).execute()
    : [];
  const courses = slugs.map((slug): RequiredCourse => {
    const row = progress.find((p) => p.course_slug === slug);
    return { slug, title: findCourse(slug)?.title ?? slug, state: row?.completed_at ? "done" : row ? "in-progress" : "not-started" };
  });
  return {
    agencyName: person.agency_name ?? null,
    personnelCode: person.personnel_code,
    courses,
    doneCount: courses.filter((c) => c.state === "done").length,
    deadline: indicator ? await deadlineFor(indicator, person.agency_code) : null,
    match: await rosterMatch(personId),
    continueLink: await continueLinkFor(personId, courses),
  };
}
