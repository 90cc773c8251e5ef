import { getCatalog, summarize, type CourseSummary } from "./catalog.server";
import { foldForSearch } from "~/text/folding";

// Diacritic-insensitive search over the in-memory catalogue ("dich vu cong" finds "dịch vụ công").
// Each query word must start a word in the text; the whole phrase ranks higher, titles rank highest.

export type LessonHit = { courseSlug: string; courseTitle: string; slug: string; title: string; snippet: string };
export type SearchResult = { query: string; courses: CourseSummary[]; lessons: LessonHit[] };

const MAX_LESSON_HITS = 30;

function score(searchText: string, titleLength: number, words: string[], phrase: string): number {
  const padded = ` ${searchText}`;
  if (!words.every((w) => padded.includes(` ${w}`))) return 0;
  const at = padded.indexOf(` ${phrase}`);
  let s = 1;
  if (at >= 0) s += 2;
  if (at >= 0 && at <= titleLength) s += 4; // phrase in the title
  return s;
}

function snippet(plainText: string, searchText: string, words: string[], phrase: string): string {
  const padded = ` ${searchText}`;
  let at = padded.indexOf(` ${phrase}`);
  if (at < 0) at = padded.indexOf(` ${words[0]}`);
  const start = Math.max(0, at - 60);
  const end = Math.min(plainText.length, at + 140);
  return `${start > 0 ? "…" : ""}${plainText.slice(start, end).trim()}${end < plainText.length ? "…" : ""}`;
}

export function search(rawQuery: string): SearchResult {
  const query = rawQuery.normalize("NFC").trim().slice(0, 200);
  const phrase = foldForSearch(query);
  const words = phrase.split(" ").filter(Boolean);
  if (words.length === 0) return { query, courses: [], lessons: [] };
  const catalog = getCatalog();
  const courses = catalog.courses
    .map((course) => ({ course, s: score(course.searchText, course.title.length, words, phrase) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.course.order - b.course.order)
    .map((x) => summarize(x.course));
  const lessons = catalog.courses
    .flatMap((course) => course.lessons.map((lesson) => ({ course, lesson, s: score(lesson.searchText, lesson.title.length, words, phrase) })))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.course.order - b.course.order || a.lesson.number - b.lesson.number)
    .slice(0, MAX_LESSON_HITS)
    .map(({ course, lesson }) => ({
      courseSlug: course.slug,
      courseTitle: course.title,
      slug: lesson.slug,
      title: lesson.title,
      snippet: snippet(lesson.plainText, lesson.searchText, words, phrase),
    }));
  return { query, courses, lessons };
}
