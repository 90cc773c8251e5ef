import { foldForSearch } from "~/text/folding";
import { SLUG } from "./content-schemas";
import type { Reporter } from "./front-matter.server";
import { renderInline, renderMarkdown } from "./render.server";
import type { Lesson, Question } from "./types";

// quiz.md: questions written as Markdown task lists, parsed into the question bank.

const OPTION_IDS = "abcdef";

// ---------------------------------------------------------------------------------------------------------
// Quiz

export type RawQuestion = {
  line: number;
  heading: string;
  id?: string;
  lesson?: string; // {#id bai=N}: the lesson to review when the question is missed
  stem: string[];
  options: { line: number; correct: boolean; text: string }[];
  explanation: string[];
};

export function parseQuizBody(body: string, bodyLine: number, report: Reporter): { intro: string; questions: RawQuestion[] } {
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

export function buildQuestions(raw: RawQuestion[], lessons: Lesson[], report: Reporter): Question[] {
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
