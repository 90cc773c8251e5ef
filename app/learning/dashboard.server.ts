import { getCatalog } from "~/courses/catalog.server";
import { DOMAINS } from "~/courses/framework";
import { attemptsOf } from "./attempts.server";
import { certificatesOf } from "./certificates.server";
import { nextStep, startedCourses, type CourseOverview } from "./progress.server";

// Everything the learner's own page shows, in one call.

function continueLink(o: CourseOverview): { href: string; label: string } | null {
  const step = nextStep(o.course, o.status);
  if (step.kind === "done") return null;
  if (step.kind === "quiz") return { href: `/khoa-hoc/${o.course.slug}/kiem-tra`, label: o.course.quiz.title };
  return { href: `/khoa-hoc/${o.course.slug}/${step.lesson.slug}`, label: `Bài ${step.lesson.number}. ${step.lesson.title}` };
}

export async function learnerDashboard(personId: string) {
  const [started, attempts, certificates] = await Promise.all([startedCourses(personId), attemptsOf(personId), certificatesOf(personId)]);
  const titles = new Map(getCatalog().courses.map((c) => [c.slug, c.title]));
  const courses = started.map((o) => ({
    slug: o.course.slug,
    title: o.course.title,
    percent: o.status.percent,
    completedAt: o.status.completedAt,
    next: continueLink(o),
  }));
  const covered = new Set(started.filter((o) => o.status.completedAt).flatMap((o) => o.course.competences));
  const profile = DOMAINS.map((d) => ({
    number: d.number,
    name: d.name,
    summary: d.summary,
    competences: d.competences.map((c) => ({ ...c, achieved: covered.has(c.code) })),
  }));
  return {
    resume: courses.find((c) => c.next) ?? null,
    courses,
    attempts: attempts.slice(0, 20).map((a) => ({ ...a, courseTitle: titles.get(a.course_slug) ?? a.course_slug })),
    certificates,
    profile,
    achievedCount: covered.size,
  };
}

/** The "continue where you left off" link for the home page: the most recent course not yet finished. */
export async function resumeLink(personId: string) {
  const started = await startedCourses(personId);
  for (const o of started) {
    const next = continueLink(o);
    if (next) return { courseTitle: o.course.title, percent: o.status.percent, doneCount: started.filter((s) => s.status.completedAt).length, ...next };
  }
  return null;
}
