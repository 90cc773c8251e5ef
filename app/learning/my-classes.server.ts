import { getCatalog } from "~/courses/catalog.server";
import { db } from "~/db.server";
import { startedCourses, type CourseOverview } from "./progress.server";

// What the learner's own page adds so nobody has to guess their next step (issue 18, items 5 and 7): the
// classes they belong to with each class course's state, and one course to take next.

export type ClassCourse = { slug: string; title: string; state: "done" | "started" | "new"; percent: number };
export type MyClass = { id: number; name: string; trainers: string[]; courses: ClassCourse[] };

function courseState(slug: string, started: CourseOverview[]): Pick<ClassCourse, "state" | "percent"> {
  const found = started.find((o) => o.course.slug === slug);
  if (!found) return { state: "new", percent: 0 };
  return { state: found.status.completedAt ? "done" : "started", percent: found.status.percent };
}

/** The cohorts the person is a member of (not archived), newest first, with their courses in catalogue order. */
export async function myClasses(personId: string, started: CourseOverview[]): Promise<MyClass[]> {
  const cohorts = await db()
    .selectFrom("cohort_member")
    .innerJoin("cohort", "cohort.id", "cohort_member.cohort_id")
    .select(["cohort.id", "cohort.name"])
    .where("cohort_member.person_id", "=", personId)
    .where("cohort.archived_at", "is", null)
    .orderBy("cohort_member.joined_at", "desc")
    .execute();
  if (!cohorts.length) return [];
  const ids = cohorts.map((c) => c.id);
  const [courseRows, trainerRows] = await Promise.all([
    db().selectFrom("cohort_course").select(["cohort_id", "course_slug"]).where("cohort_id", "in", ids).execute(),
    db()
      .selectFrom("cohort_trainer")
      .innerJoin("person", "person.id", "cohort_trainer.person_id")
      .select(["cohort_trainer.cohort_id", "person.full_name"])
      .where("cohort_trainer.cohort_id", "in", ids)
      .orderBy("cohort_trainer.is_owner", "desc")
      .execute(),
  ]);
  const catalogue = getCatalog().courses;
  return cohorts.map((c) => {
    const slugs = new Set(courseRows.filter((r) => r.cohort_id === c.id).map((r) => r.course_slug));
    return {
      id: c.id,
      name: c.name,
      trainers: trainerRows.filter((t) => t.cohort_id === c.id).map((t) => t.full_name),
      courses: catalogue
        .filter((course) => slugs.has(course.slug))
        .map((course) => ({ slug: course.slug, title: course.title, ...courseState(course.slug, started) })),
    };
  });
}

/**
 * One course to suggest next: a class course not yet started, else the first course not yet started in the
 * set meant for the person (officials: the required set; everyone: the adult basic set), else any course in
 * catalogue order. Null when every course has been started.
 */
export function suggestNextCourse(classes: MyClass[], started: CourseOverview[], isOfficial: boolean): { slug: string; title: string; summary: string } | null {
  const begun = new Set(started.map((o) => o.course.slug));
  const catalogue = getCatalog().courses;
  const classSlugs = new Set(classes.flatMap((c) => c.courses.map((course) => course.slug)));
  const preferredSet = isOfficial ? "official-required" : "adult-basic";
  const candidates = [
    ...catalogue.filter((c) => classSlugs.has(c.slug)),
    ...catalogue.filter((c) => (c.sets as string[]).includes(preferredSet)),
    ...catalogue.filter((c) => (c.sets as string[]).includes("adult-basic")),
    ...catalogue,
  ];
  const next = candidates.find((c) => !begun.has(c.slug));
  return next ? { slug: next.slug, title: next.title, summary: next.summary } : null;
}

/** The guidance the learner's page shows beside their courses: their classes and a next course. */
export async function dashboardGuidance(user: { id: string; kind: string }) {
  const started = await startedCourses(user.id);
  const classes = await myClasses(user.id, started);
  return { classes, suggestion: suggestNextCourse(classes, started, user.kind === "official") };
}
