import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Course } from "~/courses/types";

export function tempDir(prefix = "hvs-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function publicQuizOf(course: Course) {
  const { publicQuiz } = await import("~/courses/catalog.server");
  return publicQuiz(course.quiz);
}
