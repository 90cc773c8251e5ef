import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";
import type { Course } from "~/courses/types";

export function tempDir(prefix = "hvs-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function publicQuizOf(course: Course) {
  const { publicQuiz } = await import("~/courses/catalog.server");
  return publicQuiz(course.quiz);
}

/**
 * Runs `work` on a copy of the test content with some text replaced (e.g. a course put in a second set), then
 * goes back to the fixture content, even when `work` fails.
 */
export async function withEditedContent<T>(edits: Array<{ file: string; from: string; to: string }>, work: () => Promise<T>): Promise<T> {
  const catalog = await import("~/courses/catalog.server");
  const fixtures = path.resolve("test/fixtures/good");
  const dir = tempDir();
  cpSync(fixtures, dir, { recursive: true });
  for (const { file, from, to } of edits) {
    const target = path.join(dir, file);
    writeFileSync(target, readFileSync(target, "utf8").replace(from, to));
  }
  process.env.CONTENT_DIR = dir;
  catalog.reloadCatalog();
  try {
    return await work();
  } finally {
    process.env.CONTENT_DIR = fixtures;
    catalog.reloadCatalog();
  }
}

/** Runs the next writes as if at `iso` (only Date is faked; the file's afterEach puts real timers back). */
export function at(iso: string): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
}
