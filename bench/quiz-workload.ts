import { loadContent } from "../app/courses/load.server";

// The quiz benchmarks' workload (bench:quiz, bench:quiz-vs): one course and its two answer forms.
// Half right, half wrong answers, so both the passing path (completion, certificate, aggregates) and the
// failing path are exercised. Each learner alternates, so no one fails twice in a row and meets the cool-down
// (decision 009), which would answer 429 instead of writing.

const { catalog } = loadContent("content", "public");
export const course = catalog.courses.find((c) => c.slug === "dich-vu-cong-truc-tuyen")!;
export const lessons = course.lessons.map((l) => l.slug);

function answers(right: boolean): string {
  const form = new URLSearchParams();
  for (const q of course.quiz.questions)
    for (const o of right ? q.correct : [q.options.find((x) => !q.correct.includes(x.id))!.id]) form.append(`q-${q.id}`, o);
  return form.toString();
}

export const RIGHT = answers(true);
export const WRONG = answers(false);
