import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { foldAligned } from "~/text/folding";
import { courseSchema, lessonSchema, QUIZ_DEFAULTS, quizSchema, REQUIRED_BANK_RATIO, SLUG, type QuizSettings } from "./content-schemas";
import { domainOf } from "./framework";
import { lineOfPath, readSource, splitFrontMatter, validateFrontMatter, type Reporter, type Split } from "./front-matter.server";
import { checkMarkdownBody, checkNfc, type PendingLink } from "./markdown-checks.server";
import { buildQuestions, parseQuizBody } from "./quiz-parse.server";
import { checkSkipMarks, missingWords } from "./reading";
import { htmlToText, renderMarkdown } from "./render.server";
import type { Catalog, Course, Lesson, Problem, Quiz } from "./types";

// Reads every course folder, validates it (reporting file:line problems in Vietnamese) and renders it.
// The same function backs `npm run content:check` and the server's start-up, so the two never disagree.
// The pieces: content-schemas.ts (front matter fields), front-matter.server.ts (files and YAML),
// markdown-checks.server.ts (bodies, images, links), quiz-parse.server.ts (quiz.md).

export { QUIZ_DEFAULTS, REQUIRED_BANK_RATIO } from "./content-schemas";

const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
// Lesson slugs that would collide with routes under /khoa-hoc/<course>/.
const RESERVED_LESSON_SLUGS = new Set(["kiem-tra", "chung-chi", "tien-do"]);
// Site pages content may link to, besides courses and lessons.
const KNOWN_PAGES = new Set(["/", "/khoa-hoc", "/nang-luc-so", "/tim-kiem"]);

// ---------------------------------------------------------------------------------------------------------
// Courses

type Context = { problems: Problem[]; publicDir: string; pendingLinks: PendingLink[]; hash: ReturnType<typeof createHash> };

function reporterFor(ctx: Context, file: string): Reporter {
  return (line, message) => ctx.problems.push({ file, line, message });
}

/** A lesson or quiz file: read, hashed, its front matter validated and its Markdown body checked. */
function readChecked<T>(ctx: Context, file: string, schema: z.ZodType<T>) {
  const src = readSource(file);
  ctx.hash.update(file).update(src.text);
  const report = reporterFor(ctx, file);
  checkNfc(src, report);
  const split = splitFrontMatter(src, report);
  if (!split) return undefined;
  const meta = validateFrontMatter(schema, split, report);
  checkMarkdownBody(src, split.body, split.bodyLine, ctx.publicDir, ctx.pendingLinks, report);
  return { split, meta, report };
}

function loadLesson(ctx: Context, file: string, number: number, slug: string): Lesson | undefined {
  const read = readChecked(ctx, file, lessonSchema);
  if (!read) return undefined;
  const { split, meta, report } = read;
  checkSkipMarks(split.body, split.bodyLine, report);
  if (!split.body.trim()) report(split.bodyLine, "bài học chưa có nội dung");
  if (!meta) return undefined;
  const html = renderMarkdown(split.body);
  const plainText = `${meta.title}. ${htmlToText(html)}`;
  const pronounce = meta.pronounce ?? {};
  for (const word of missingWords(pronounce, plainText)) report(lineOfPath(split, ["pronounce", word]), `pronounce: bài không có từ "${word}"`);
  return { slug, number, title: meta.title, minutes: meta.minutes, html, plainText, searchText: foldAligned(plainText), pronounce };
}

function loadQuiz(ctx: Context, file: string, settings: QuizSettings, lessons: Lesson[]): Quiz | undefined {
  if (!existsSync(file)) {
    ctx.problems.push({ file, line: 1, message: "khóa học thiếu tệp bài kiểm tra quiz.md" });
    return undefined;
  }
  const read = readChecked(ctx, file, quizSchema);
  if (!read) return undefined;
  const { split, meta, report } = read;
  const parsed = parseQuizBody(split.body, split.bodyLine, report);
  if (parsed.questions.length === 0) report(split.bodyLine, 'bài kiểm tra chưa có câu hỏi nào (mỗi câu bắt đầu bằng "## ")');
  const questions = buildQuestions(parsed.questions, lessons, report);
  if (!meta) return undefined;
  return {
    title: meta.title,
    introHtml: renderMarkdown(parsed.intro),
    passPercent: settings.pass_percent,
    maxAttempts: settings.max_attempts,
    freeAttempts: settings.free_attempts,
    cooldownMinutes: settings.cooldown_minutes,
    questionsPerAttempt: Math.min(settings.questions_per_attempt || questions.length, questions.length),
    questions,
  };
}

/** A bank the draw can come from; for required courses, large enough that one attempt does not show it all. */
function checkBank(bank: number, draw: number, requiredSet: boolean, line: number, report: Reporter) {
  if (bank === 0) return;
  if (draw > bank) report(line, `quiz.questions_per_attempt là ${draw} nhưng quiz.md chỉ có ${bank} câu hỏi`);
  if (!requiredSet) return;
  const needed = Math.ceil((draw || bank) * REQUIRED_BANK_RATIO);
  if (!draw || bank < needed) {
    report(
      line,
      `khóa học thuộc bộ official-required cần ngân hàng câu hỏi lớn gấp ${REQUIRED_BANK_RATIO} lần số câu mỗi lần làm: ` +
        `hãy đặt quiz.questions_per_attempt (tối đa ${Math.floor(bank / REQUIRED_BANK_RATIO)} với ${bank} câu hiện có) hoặc viết thêm câu hỏi vào quiz.md (cần ${needed} câu)`,
    );
  }
}

function loadCourse(ctx: Context, dir: string): Course | undefined {
  const slug = path.basename(dir);
  const courseFile = path.join(dir, "course.md");
  if (!SLUG.test(slug)) {
    ctx.problems.push({ file: dir, line: 1, message: `tên thư mục "${slug}" chỉ được dùng chữ thường không dấu, số và dấu gạch ngang` });
  }
  if (!existsSync(courseFile)) {
    ctx.problems.push({ file: courseFile, line: 1, message: "thư mục khóa học thiếu tệp course.md" });
    return undefined;
  }
  const src = readSource(courseFile);
  ctx.hash.update(courseFile).update(src.text);
  const report = reporterFor(ctx, courseFile);
  checkNfc(src, report);
  const split = splitFrontMatter(src, report);
  const meta = split && validateFrontMatter(courseSchema, split, report);
  if (split) checkMarkdownBody(src, split.body, split.bodyLine, ctx.publicDir, ctx.pendingLinks, report);

  const lessons: Lesson[] = [];
  const numbers = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || name === "course.md" || name === "quiz.md") continue;
    const file = path.join(dir, name);
    const match = LESSON_FILE.exec(name);
    if (!match) {
      ctx.problems.push({ file, line: 1, message: 'tên tệp bài học phải có dạng "01-ten-bai-khong-dau.md"' });
      continue;
    }
    const [, number, lessonSlug] = match;
    if (numbers.has(number)) ctx.problems.push({ file, line: 1, message: `số thứ tự ${number} trùng với tệp ${numbers.get(number)}` });
    numbers.set(number, name);
    if (RESERVED_LESSON_SLUGS.has(lessonSlug)) {
      ctx.problems.push({ file, line: 1, message: `địa chỉ bài "${lessonSlug}" đã dành cho trang khác; hãy đổi tên` });
    }
    if (lessons.some((l) => l.slug === lessonSlug)) {
      ctx.problems.push({ file, line: 1, message: `địa chỉ bài "${lessonSlug}" bị trùng trong khóa học` });
    }
    const lesson = loadLesson(ctx, file, lessons.length + 1, lessonSlug);
    if (lesson) lessons.push(lesson);
  }
  if (numbers.size === 0) ctx.problems.push({ file: courseFile, line: 1, message: "khóa học chưa có bài học nào (tệp 01-....md)" });

  const quiz = loadQuiz(ctx, path.join(dir, "quiz.md"), meta?.quiz ?? QUIZ_DEFAULTS, lessons);
  if (!meta || !split || !quiz) return undefined;
  const settingLine = lineOfPath(split, split.doc.hasIn(["quiz", "questions_per_attempt"]) ? ["quiz", "questions_per_attempt"] : ["sets"]);
  checkBank(quiz.questions.length, meta.quiz.questions_per_attempt, meta.sets.includes("official-required"), settingLine, report);
  addCoursePronunciations(meta.pronounce ?? {}, lessons, split, report);
  const introHtml = renderMarkdown(split.body);
  const plainText = `${meta.title}. ${meta.summary} ${htmlToText(introHtml)}`;
  return {
    slug,
    title: meta.title,
    summary: meta.summary,
    audience: meta.audience,
    competences: meta.competences,
    domains: [...new Set(meta.competences.map(domainOf))].sort(),
    minutes: meta.minutes,
    order: meta.order,
    sets: meta.sets,
    sequential: meta.sequential,
    sector: meta.sector,
    sources: meta.sources,
    tasks: meta.tasks,
    introHtml,
    lessons,
    quiz,
    plainText,
    searchText: foldAligned(plainText),
  };
}

/** A course's pronunciations apply to each of its lessons (a lesson's own win); each must be of use somewhere. */
function addCoursePronunciations(pronounce: Record<string, string>, lessons: Lesson[], split: Split, report: Reporter) {
  const allText = lessons.map((l) => l.plainText).join("\n");
  for (const word of missingWords(pronounce, allText)) report(lineOfPath(split, ["pronounce", word]), `pronounce: không bài nào có từ "${word}"`);
  for (const lesson of lessons) lesson.pronounce = { ...pronounce, ...lesson.pronounce };
}

function checkLinks(ctx: Context, courses: Course[]) {
  const targets = new Set(KNOWN_PAGES);
  for (const course of courses) {
    targets.add(`/khoa-hoc/${course.slug}`);
    targets.add(`/khoa-hoc/${course.slug}/kiem-tra`);
    for (const lesson of course.lessons) targets.add(`/khoa-hoc/${course.slug}/${lesson.slug}`);
  }
  for (const link of ctx.pendingLinks) {
    const target = link.target.split(/[?#]/)[0].replace(/\/$/, "") || "/";
    if (!targets.has(target)) {
      ctx.problems.push({ file: link.file, line: link.line, message: `liên kết "${link.target}" không dẫn tới trang nào có trên trang web` });
    }
  }
}

function checkOrders(ctx: Context, courses: Course[], contentDir: string) {
  const seen = new Map<number, string>();
  for (const course of courses) {
    const other = seen.get(course.order);
    if (other) {
      ctx.problems.push({
        file: path.join(contentDir, course.slug, "course.md"),
        line: 1,
        message: `thứ tự (order: ${course.order}) trùng với khóa học "${other}"`,
      });
    }
    seen.set(course.order, course.slug);
  }
}

export type LoadResult = { catalog: Catalog; problems: Problem[] };

export function loadContent(contentDir: string, publicDir: string): LoadResult {
  const ctx: Context = { problems: [], publicDir: path.resolve(publicDir), pendingLinks: [], hash: createHash("sha256") };
  const courses: Course[] = [];
  if (!existsSync(contentDir)) {
    ctx.problems.push({ file: contentDir, line: 1, message: "không tìm thấy thư mục nội dung" });
  } else {
    for (const name of readdirSync(contentDir).sort()) {
      const dir = path.join(contentDir, name);
      if (name.startsWith(".") || !statSync(dir).isDirectory()) continue;
      const course = loadCourse(ctx, dir);
      if (course) courses.push(course);
    }
    if (courses.length === 0 && ctx.problems.length === 0) {
      ctx.problems.push({ file: contentDir, line: 1, message: "chưa có khóa học nào" });
    }
  }
  checkLinks(ctx, courses);
  checkOrders(ctx, courses, contentDir);
  courses.sort((a, b) => a.order - b.order);
  ctx.problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { catalog: { version: ctx.hash.digest("hex").slice(0, 12), courses }, problems: ctx.problems };
}

export function formatProblem(problem: Problem, cwd = process.cwd()): string {
  return `${path.relative(cwd, problem.file) || problem.file}:${problem.line}: ${problem.message}`;
}
