import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { AUDIENCES, COURSE_SETS, domainOf, findCompetence } from "./framework";
import { CALLOUT_MARKER, htmlToText, renderInline, renderMarkdown } from "./render.server";
import { checkSkipMarks, missingWords, pronounceSchema } from "./reading";
import { foldAligned, foldForSearch } from "./text";
import type { Catalog, Course, Lesson, Problem, Question, Quiz } from "./types";

// Reads every course folder, validates it (reporting file:line problems in Vietnamese) and renders it.
// The same function backs `npm run content:check` and the server's start-up, so the two never disagree.

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
// Lesson slugs that would collide with routes under /khoa-hoc/<course>/.
const RESERVED_LESSON_SLUGS = new Set(["kiem-tra", "chung-chi", "tien-do"]);
// Site pages content may link to, besides courses and lessons.
const KNOWN_PAGES = new Set(["/", "/khoa-hoc", "/nang-luc-so", "/tim-kiem"]);
const OPTION_IDS = "abcdef";

type Reporter = (line: number, message: string) => void;

// Quiz defaults (decision 009): two failed attempts in a row, then a cool-down that starts at an hour and
// doubles after each further failure (at most a day); every question of the bank unless the course says
// otherwise. Courses in the official-required set must draw from a bank at least 1.5 times the draw.
export const QUIZ_DEFAULTS = { pass_percent: 70, max_attempts: 0, free_attempts: 2, cooldown_minutes: 60, questions_per_attempt: 0 };
type QuizSettings = typeof QUIZ_DEFAULTS;
export const REQUIRED_BANK_RATIO = 1.5;

// ---------------------------------------------------------------------------------------------------------
// Front matter schemas (Vietnamese messages: the checker's readers are trainers, not programmers)

const must = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? "bắt buộc nhưng đang thiếu" : `phải là ${what}`),
});
const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number(must(`một số (${what})`))
    .int("phải là số nguyên")
    .min(min, `phải từ ${min} trở lên`)
    .max(max, `không được lớn hơn ${max}`);

const courseSchema = z.strictObject(
  {
    title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự"),
    summary: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(300, "dài quá 300 ký tự"),
    audience: z
      .array(
        z.enum(Object.keys(AUDIENCES) as [keyof typeof AUDIENCES], {
          error: "chỉ nhận citizen (người dân) hoặc official (cán bộ, công chức, viên chức)",
        }),
        must("danh sách, ví dụ [citizen, official]"),
      )
      .min(1, "cần ít nhất một đối tượng"),
    competences: z
      .array(
        z
          .string('mã năng lực phải đặt trong ngoặc kép, ví dụ "1.1"')
          .refine((code) => findCompetence(code) !== undefined, {
            error: (issue) => `mã năng lực "${String(issue.input)}" không có trong khung năng lực số (xem /nang-luc-so)`,
          }),
        must('danh sách mã năng lực, ví dụ ["1.1", "4.2"]'),
      )
      .min(1, "cần ít nhất một mã năng lực"),
    minutes: wholeNumber("số phút", 5, 600),
    order: wholeNumber("thứ tự", 1, 9999),
    sets: z
      .array(
        z.enum(Object.keys(COURSE_SETS) as [keyof typeof COURSE_SETS], {
          error: "chỉ nhận adult-basic hoặc official-required",
        }),
        must("danh sách, ví dụ [adult-basic]"),
      )
      .default([]),
    sequential: z.boolean(must("true hoặc false")).default(true),
    pronounce: pronounceSchema, // read aloud, for every lesson (decision 025)
    quiz: z
      .strictObject(
        {
          pass_percent: wholeNumber("phần trăm", 1, 100).default(QUIZ_DEFAULTS.pass_percent),
          max_attempts: wholeNumber("số lần", 0, 100).default(QUIZ_DEFAULTS.max_attempts),
          free_attempts: wholeNumber("số lần", 1, 20).default(QUIZ_DEFAULTS.free_attempts),
          cooldown_minutes: wholeNumber("số phút", 0, 1440).default(QUIZ_DEFAULTS.cooldown_minutes),
          questions_per_attempt: wholeNumber("số câu", 0, 100).default(QUIZ_DEFAULTS.questions_per_attempt),
        },
        must("một nhóm cài đặt"),
      )
      .default(QUIZ_DEFAULTS),
  },
  must("một nhóm trường"),
);

const lessonSchema = z.strictObject(
  {
    title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự"),
    minutes: wholeNumber("số phút", 1, 120),
    pronounce: pronounceSchema, // read aloud (decision 025)
  },
  must("một nhóm trường"),
);

const quizSchema = z.strictObject(
  { title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự") },
  must("một nhóm trường"),
);

// ---------------------------------------------------------------------------------------------------------
// Files and front matter

type SourceFile = { path: string; text: string; lines: string[] };

function readSource(file: string): SourceFile {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  return { path: file, text, lines: text.split("\n") };
}

type Split = { data: unknown; doc: Document; counter: LineCounter; fmStartLine: number; body: string; bodyLine: number };

function splitFrontMatter(src: SourceFile, report: Reporter): Split | undefined {
  if (src.lines[0]?.trim() !== "---") {
    report(1, 'tệp phải bắt đầu bằng dòng "---" rồi đến phần thông tin (front matter)');
    return undefined;
  }
  const end = src.lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (end < 0) {
    report(1, 'phần thông tin (front matter) không có dòng "---" để đóng lại');
    return undefined;
  }
  const counter = new LineCounter();
  const doc = parseDocument(src.lines.slice(1, end).join("\n"), { lineCounter: counter, prettyErrors: true });
  for (const error of doc.errors) {
    report(1 + (error.linePos?.[0]?.line ?? 1), `phần thông tin không đúng cú pháp YAML: ${error.message.split("\n")[0]}`);
  }
  if (doc.errors.length) return undefined;
  return {
    data: doc.toJS() ?? {},
    doc,
    counter,
    fmStartLine: 2,
    body: src.lines.slice(end + 1).join("\n"),
    bodyLine: end + 2,
  };
}

function lineOfPath(split: Split, keyPath: PropertyKey[]): number {
  for (let depth = keyPath.length; depth > 0; depth--) {
    const node = split.doc.getIn(keyPath.slice(0, depth) as (string | number)[], true) as { range?: [number] } | undefined;
    if (node && typeof node === "object" && node.range) {
      return split.fmStartLine - 1 + split.counter.linePos(node.range[0]).line;
    }
    // A missing key: point at its parent's key if there is one.
  }
  return 1;
}

function validateFrontMatter<T>(schema: z.ZodType<T>, split: Split, report: Reporter): T | undefined {
  if (!isMap(split.doc.contents) && split.doc.contents !== null) {
    report(split.fmStartLine, "phần thông tin phải là các dòng dạng `tên: giá trị`");
    return undefined;
  }
  const result = schema.safeParse(split.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        report(lineOfPath(split, [...issue.path, key]), `trường "${[...issue.path, key].join(".")}" không được hỗ trợ (xem docs/content-format.md)`);
      }
      continue;
    }
    const field = issue.path.filter((p) => typeof p === "string").join(".");
    report(lineOfPath(split, issue.path), `trường "${field}": ${issue.message}`);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown body checks shared by course intros, lessons and quizzes

type PendingLink = { file: string; line: number; target: string };

function checkMarkdownBody(
  src: SourceFile,
  body: string,
  bodyLine: number,
  publicDir: string,
  pendingLinks: PendingLink[],
  report: Reporter,
  allowH2 = true,
) {
  let inFence = false;
  body.split("\n").forEach((line, i) => {
    const lineNo = bodyLine + i;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    if (/^#\s/.test(line)) report(lineNo, 'không dùng tiêu đề cấp 1 "# ..." (trang đã có tên bài); hãy dùng "## ..."');
    if (!allowH2 && /^##\s/.test(line)) report(lineNo, 'lời giới thiệu không dùng "## ..."');
    if (/^\s*<[a-zA-Z!/]/.test(line)) report(lineNo, "không viết HTML trong bài; hãy dùng Markdown (HTML sẽ bị loại bỏ)");
    if (/^\s*>\s*\[!/.test(line) && !CALLOUT_MARKER.test(line.replace(/^\s*>\s*/, ""))) {
      report(lineNo, "hộp ghi chú không hợp lệ: chỉ dùng [!TIP], [!NOTE] hoặc [!WARNING]");
    }
    for (const match of line.matchAll(/(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const [, bang, label, target] = match;
      if (bang) checkImage(label, target, lineNo, publicDir, report);
      else checkLink(target, lineNo, src.path, pendingLinks, report);
    }
  });
}

function checkImage(alt: string, target: string, line: number, publicDir: string, report: Reporter) {
  if (!alt.trim()) report(line, `ảnh "${target}" thiếu mô tả (chữ trong ngoặc vuông), cần cho người khiếm thị và mạng chậm`);
  if (!target.startsWith("/")) {
    report(line, `ảnh "${target}" phải nằm trong thư mục public/ và viết dạng /images/ten-anh.svg (không dùng ảnh từ trang khác)`);
    return;
  }
  const file = path.join(publicDir, decodeURIComponent(target.split(/[?#]/)[0]));
  if (!file.startsWith(publicDir) || !existsSync(file)) report(line, `không tìm thấy ảnh "${target}" trong thư mục public/`);
}

function checkLink(target: string, line: number, file: string, pending: PendingLink[], report: Reporter) {
  if (!target) return report(line, "liên kết trống");
  if (target.startsWith("#") || /^(https|mailto|tel):/.test(target)) return;
  if (target.startsWith("http:")) return report(line, `liên kết "${target}" phải dùng https://`);
  if (!target.startsWith("/")) return report(line, `liên kết "${target}" phải là địa chỉ trên trang (bắt đầu bằng /) hoặc https://`);
  pending.push({ file, line, target });
}

function checkNfc(src: SourceFile, report: Reporter) {
  src.lines.forEach((line, i) => {
    if (line !== line.normalize("NFC")) {
      report(i + 1, "chữ tiếng Việt chưa ở dạng Unicode NFC (dấu gõ tách rời); hãy gõ lại hoặc lưu tệp ở dạng NFC");
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Quiz

type RawQuestion = {
  line: number;
  heading: string;
  id?: string;
  lesson?: string; // {#id bai=N}: the lesson to review when the question is missed
  stem: string[];
  options: { line: number; correct: boolean; text: string }[];
  explanation: string[];
};

function parseQuizBody(body: string, bodyLine: number, report: Reporter): { intro: string; questions: RawQuestion[] } {
  const intro: string[] = [];
  const questions: RawQuestion[] = [];
  let current: RawQuestion | undefined;
  body.split("\n").forEach((line, i) => {
    const lineNo = bodyLine + i;
    const heading = /^##\s+(.*?)\s*(?:\{#([^}\s]*)(?:\s+bai=([^}\s]*))?\})?\s*$/.exec(line);
    if (heading) {
      current = { line: lineNo, heading: heading[1], id: heading[2], lesson: heading[3], stem: [], options: [], explanation: [] };
      questions.push(current);
      return;
    }
    const option = /^\s*[-*]\s+\[([ xX])\]\s*(.*)$/.exec(line);
    if (!current) {
      if (option) report(lineNo, 'lựa chọn phải nằm dưới một câu hỏi "## ..."');
      intro.push(line);
    } else if (option) {
      if (current.explanation.some((l) => l.trim())) {
        report(lineNo, "lựa chọn nằm sau phần giải thích; hãy để mọi lựa chọn liền nhau rồi mới viết giải thích");
      }
      current.options.push({ line: lineNo, correct: option[1] !== " ", text: option[2].trim() });
    } else if (current.options.length === 0) {
      current.stem.push(line);
    } else {
      current.explanation.push(line);
    }
  });
  return { intro: intro.join("\n"), questions };
}

function buildQuestions(raw: RawQuestion[], lessons: Lesson[], report: Reporter): Question[] {
  const seen = new Map<string, number>();
  return raw.map((q, index) => {
    const id = q.id ?? foldForSearch(q.heading).replace(/ /g, "-").slice(0, 60).replace(/-+$/, "");
    if (!SLUG.test(id)) report(q.line, `mã câu hỏi "{#${id}}" chỉ được dùng chữ thường không dấu, số và dấu gạch ngang`);
    if (seen.has(id)) report(q.line, `mã câu hỏi "${id}" trùng với câu hỏi ở dòng ${seen.get(id)}`);
    seen.set(id, q.line);
    if (!q.heading.trim()) report(q.line, "câu hỏi chưa có nội dung");
    if (q.options.length < 2) report(q.line, "câu hỏi cần ít nhất 2 lựa chọn dạng - [ ] hoặc - [x]");
    if (q.options.length > OPTION_IDS.length) report(q.line, `câu hỏi có quá ${OPTION_IDS.length} lựa chọn`);
    if (q.options.length >= 2 && !q.options.some((o) => o.correct)) {
      report(q.line, "câu hỏi chưa có đáp án đúng: đánh dấu ít nhất một lựa chọn bằng - [x]");
    }
    if (q.options.length >= 2 && q.options.every((o) => o.correct)) {
      report(q.line, "mọi lựa chọn đều đúng: cần ít nhất một lựa chọn sai");
    }
    const texts = new Set<string>();
    for (const option of q.options) {
      if (!option.text) report(option.line, "lựa chọn trống");
      if (texts.has(option.text)) report(option.line, `lựa chọn "${option.text}" bị lặp`);
      texts.add(option.text);
    }
    const explanation = q.explanation.join("\n").trim();
    if (!explanation) report(q.line, "câu hỏi thiếu phần giải thích (viết sau các lựa chọn)");
    const named = q.lesson?.replace(/^0+/, "");
    if (named !== undefined && !lessons.some((l) => String(l.number) === named)) {
      report(q.line, `"bai=${q.lesson}" không khớp với bài học nào của khóa (ghi số thứ tự bài, ví dụ bai=2)`);
    }
    const options = q.options.slice(0, OPTION_IDS.length).map((o, i) => ({ id: OPTION_IDS[i], html: renderInline(o.text) }));
    const correct = q.options.slice(0, OPTION_IDS.length).flatMap((o, i) => (o.correct ? [OPTION_IDS[i]] : []));
    return {
      id,
      number: index + 1,
      kind: correct.length > 1 ? "multiple" : "single",
      stemHtml: renderInline(q.heading),
      bodyHtml: renderMarkdown(q.stem.join("\n")),
      options,
      correct,
      explanationHtml: renderMarkdown(explanation),
      lessonSlug: lessonToReview(q, lessons),
    };
  });
}

/**
 * The lesson a learner who missed this question should read again: the one named by `bai=N`, else the lesson
 * sharing the most two-word phrases with the question and its explanation (good enough to point at a topic).
 */
function lessonToReview(q: RawQuestion, lessons: Lesson[]): string {
  const number = q.lesson?.replace(/^0+/, "");
  const named = lessons.find((l) => String(l.number) === number);
  if (named || lessons.length === 0) return named?.slug ?? "";
  const phrases = (text: string) => {
    const words = foldForSearch(text).split(" ").filter(Boolean);
    return new Set(words.slice(1).map((w, i) => `${words[i]} ${w}`));
  };
  const asked = phrases([q.heading, ...q.stem, ...q.explanation, ...q.options.map((o) => o.text)].join(" "));
  let best = lessons[0];
  let bestScore = -1;
  for (const lesson of lessons) {
    const known = phrases(lesson.plainText);
    const score = [...asked].filter((p) => known.has(p)).length;
    if (score > bestScore) [best, bestScore] = [lesson, score];
  }
  return best.slug;
}

// ---------------------------------------------------------------------------------------------------------
// Courses

type Context = { problems: Problem[]; publicDir: string; pendingLinks: PendingLink[]; hash: ReturnType<typeof createHash> };

function reporterFor(ctx: Context, file: string): Reporter {
  return (line, message) => ctx.problems.push({ file, line, message });
}

function loadLesson(ctx: Context, file: string, number: number, slug: string): Lesson | undefined {
  const src = readSource(file);
  ctx.hash.update(file).update(src.text);
  const report = reporterFor(ctx, file);
  checkNfc(src, report);
  const split = splitFrontMatter(src, report);
  if (!split) return undefined;
  const meta = validateFrontMatter(lessonSchema, split, report);
  checkMarkdownBody(src, split.body, split.bodyLine, ctx.publicDir, ctx.pendingLinks, report);
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
  const src = readSource(file);
  ctx.hash.update(file).update(src.text);
  const report = reporterFor(ctx, file);
  checkNfc(src, report);
  const split = splitFrontMatter(src, report);
  if (!split) return undefined;
  const meta = validateFrontMatter(quizSchema, split, report);
  checkMarkdownBody(src, split.body, split.bodyLine, ctx.publicDir, ctx.pendingLinks, report);
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
