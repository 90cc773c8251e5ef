import path from "node:path";
import { loadContent } from "../../../app/courses/load.server";

// The tests read the same Markdown as the server, to know the right answers without hard-coding them.
const { catalog } = loadContent(path.resolve("content"), path.resolve("public"));

export function course(slug: string) {
  const found = catalog.courses.find((c) => c.slug === slug);
  if (!found) throw new Error(`no course ${slug}`);
  return found;
}

/** Slugs of the courses in a course set, as the indicators see them. */
export function coursesInSetOf(set: string): string[] {
  return catalog.courses
    .filter((c) => (c.sets as string[]).includes(set))
    .map((c) => c.slug)
    .sort();
}
