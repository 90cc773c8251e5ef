import path from "node:path";
import { formatProblem, loadContent } from "./load.server";
import type { Catalog, Course, Lesson, PublicQuiz, Quiz } from "./types";

// The catalogue is loaded, validated and rendered once per process and then served from memory.

let cached: Catalog | undefined;

export function contentDir(): string {
  return path.resolve(process.env.CONTENT_DIR ?? "content");
}

export function publicDir(): string {
  return path.resolve(process.env.PUBLIC_DIR ?? "public");
}

export function getCatalog(): Catalog {
  if (!cached) {
    const { catalog, problems } = loadContent(contentDir(), publicDir());
    if (problems.length) {
      throw new Error(`Nội dung khóa học có lỗi (chạy npm run content:check):\n${problems.map((p) => formatProblem(p)).join("\n")}`);
    }
    cached = catalog;
  }
  return cached;
}

/** Drops the cached catalogue so the next call reads content/ again (tests; a future "reload content" action). */
export function reloadCatalog(): void {
  cached = undefined;
}

/** A hash of every content file: it changes whenever any course, lesson or quiz does (ETags). */
export function contentVersion(): string {
  return getCatalog().version;
}

export function findCourse(slug: string): Course | undefined {
  return getCatalog().courses.find((c) => c.slug === slug);
}

export function findLesson(course: Course, slug: string): Lesson | undefined {
  return course.lessons.find((l) => l.slug === slug);
}

/** The quiz as the browser may see it: no correct options, no explanations, no lesson hints. */
export function publicQuiz(quiz: Quiz): PublicQuiz {
  return {
    ...quiz,
    questions: quiz.questions.map(({ correct: _correct, explanationHtml: _explanation, lessonSlug: _lesson, ...rest }) => rest),
  };
}

/** Course metadata for lists: no lesson bodies, no quiz. */
export type CourseSummary = Omit<Course, "lessons" | "quiz" | "introHtml" | "searchText" | "plainText" | "tasks" | "sources"> & {
  lessonCount: number;
  questionCount: number;
  taskCount: number;
};

export function summarize(course: Course): CourseSummary {
  // Tasks carry their self-check answers and stay on the server; lists need only how many there are.
  const { lessons, quiz, introHtml: _i, searchText: _s, plainText: _p, tasks, sources: _sources, ...rest } = course;
  return { ...rest, lessonCount: lessons.length, questionCount: quiz.questionsPerAttempt, taskCount: tasks.length };
}
