import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { secureCookies } from "~/accounts/lucia.server";
import { findCourse } from "~/courses/catalog.server";
import type { Course } from "~/courses/types";
import type { Answers } from "./grading";
import { completeLesson, courseStatus, lessonUnlocked } from "./progress.server";

// Work a visitor does before signing up (issue 18 item 2, decision 020): the lessons they marked as read and
// their quiz answers, for one course at a time, kept in a signed, size-bounded cookie on their own phone. Nothing
// is stored on the server until they sign up or log in; then the lessons are recorded for the new account and
// the answers are filled in on the quiz page, where the learner submits them.

export const VISITOR_COOKIE = "hvs_khach";
const MAX_COOKIE_CHARS = 1800; // well under the 4 KB browsers allow per cookie
const MAX_AGE_SECONDS = 7 * 24 * 3600;

// A per-process key unless the operator sets one: a restart only forgets unsaved visitor work.
const SECRET = process.env.VISITOR_COOKIE_SECRET || randomBytes(32).toString("hex");

export type VisitorWork = { course: string; lessons: string[]; answers: Answers };

function sign(payload: string): string {
  return createHmac("sha256", SECRET).update(payload).digest("base64url");
}

function encode(work: VisitorWork): string {
  return Buffer.from(JSON.stringify({ c: work.course, l: work.lessons, a: work.answers })).toString("base64url");
}

function serialize(work: VisitorWork | null): string {
  const secure = secureCookies() ? "; Secure" : "";
  if (!work) return `${VISITOR_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
  const payload = encode(work);
  return `${VISITOR_COOKIE}=${payload}.${sign(payload)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SECONDS}${secure}`;
}

/** The visitor's work from the Cookie header, or null when absent, tampered with or about a course that is gone. */
export function readVisitorWork(cookieHeader: string | null): VisitorWork | null {
  const match = new RegExp(`(?:^|;\\s*)${VISITOR_COOKIE}=([A-Za-z0-9_-]{1,${MAX_COOKIE_CHARS}})\\.([A-Za-z0-9_-]{43})`).exec(cookieHeader ?? "");
  if (!match) return null;
  const [, payload, signature] = match;
  const expected = Buffer.from(sign(payload));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return null;
  try {
    const raw = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { c?: unknown; l?: unknown; a?: unknown };
    const course = typeof raw.c === "string" ? findCourse(raw.c) : undefined;
    if (!course) return null;
    const lessons = Array.isArray(raw.l) ? raw.l.filter((s): s is string => typeof s === "string" && course.lessons.some((l) => l.slug === s)) : [];
    return { course: course.slug, lessons, answers: cleanAnswers(course, raw.a) };
  } catch {
    return null;
  }
}

/** Only questions and options that exist in the course, so a cookie can never carry anything else. */
function cleanAnswers(course: Course, raw: unknown): Answers {
  const answers: Answers = {};
  if (!raw || typeof raw !== "object") return answers;
  for (const q of course.quiz.questions) {
    const chosen = (raw as Record<string, unknown>)[q.id];
    if (!Array.isArray(chosen)) continue;
    const valid = chosen.filter((o): o is string => typeof o === "string" && q.options.some((opt) => opt.id === o));
    if (valid.length) answers[q.id] = [...new Set(valid)].slice(0, q.options.length);
  }
  return answers;
}

/** Work on another course replaces the earlier one: one course at a time keeps the cookie small. */
function forCourse(work: VisitorWork | null, course: Course): VisitorWork {
  return work?.course === course.slug ? work : { course: course.slug, lessons: [], answers: {} };
}

/** Set-Cookie for a visitor marking a lesson read (in order, as for learners); null when it is out of order. */
export function visitorReadLesson(cookieHeader: string | null, course: Course, lessonSlug: string): string | null {
  const work = forCourse(readVisitorWork(cookieHeader), course);
  const index = course.lessons.findIndex((l) => l.slug === lessonSlug);
  const before = course.lessons.slice(0, index).map((l) => l.slug);
  if (index < 0 || !before.every((s) => work.lessons.includes(s))) return null;
  if (!work.lessons.includes(lessonSlug)) work.lessons.push(lessonSlug);
  return serialize(work);
}

/** Set-Cookie keeping a visitor's quiz answers until they sign up; null if they would not fit. */
export function visitorQuizAnswers(cookieHeader: string | null, course: Course, answers: Answers): string | null {
  const work = forCourse(readVisitorWork(cookieHeader), course);
  work.answers = cleanAnswers(course, answers);
  // The bound readVisitorWork accepts: a longer value would be written, then dropped unread on the next visit.
  return encode(work).length > MAX_COOKIE_CHARS ? null : serialize(work);
}

/**
 * After sign-up or login: records the visitor's lessons for the person, in order (a lesson already locked for
 * them is skipped, as the lesson page would refuse it). Returns Set-Cookie keeping only the answers, which the
 * quiz page fills in; null when there was nothing to carry.
 */
export async function claimVisitorWork(personId: string, cookieHeader: string | null): Promise<string | null> {
  const work = readVisitorWork(cookieHeader);
  if (!work) return null;
  const course = findCourse(work.course)!;
  for (const lesson of course.lessons.filter((l) => work.lessons.includes(l.slug))) {
    const status = await courseStatus(personId, course);
    if (status.completedLessons.has(lesson.slug)) continue;
    if (!lessonUnlocked(course, status, lesson)) break;
    await completeLesson(personId, course, lesson.slug);
  }
  return Object.keys(work.answers).length ? serialize({ ...work, lessons: [] }) : serialize(null);
}

/** The answers to fill in on the quiz page for a learner's first attempt, limited to the questions drawn. */
export function carriedAnswers(cookieHeader: string | null, courseSlug: string, drawnQuestionIds: string[]): Answers {
  const work = readVisitorWork(cookieHeader);
  if (!work || work.course !== courseSlug) return {};
  return Object.fromEntries(Object.entries(work.answers).filter(([id]) => drawnQuestionIds.includes(id)));
}
