import type { MarkedExtension, Tokens } from "marked";
import { z } from "zod";

// Marks for "Nghe bài học" (read aloud, decision 025), written by content authors:
//   - a passage not to be read:   a line "::: không đọc", the passage, then a line ":::"
//   - how to say a word:           front matter `pronounce:` in course.md (every lesson) or in a lesson,
//                                  e.g.  pronounce: { VNeID: "vê en ê ai đi" }
// The passage stays on the page; it is only left out when the page is read aloud.

export const SKIP_OPEN = /^:::[ \t]*không đọc[ \t]*$/;
const FENCE_LINE = /^:::/;

/** Marked extension: the skip block becomes <div class="read-skip">, its content rendered as usual. */
export const readSkipExtension: MarkedExtension = {
  extensions: [
    {
      name: "readSkip",
      level: "block",
      start: (src: string) => src.match(/^:::[ \t]*không đọc/m)?.index,
      tokenizer(src: string) {
        const match = /^:::[ \t]*không đọc[ \t]*\n([\s\S]*?)\n:::[ \t]*(?:\n|$)/.exec(src);
        if (!match) return undefined;
        const token = { type: "readSkip", raw: match[0], tokens: [] as Tokens.Generic[] };
        this.lexer.blockTokens(match[1], token.tokens);
        return token;
      },
      renderer(token: Tokens.Generic) {
        return `<div class="read-skip">${this.parser.parse(token.tokens ?? [])}</div>\n`;
      },
    },
  ],
};

export const pronounceSchema = z
  .record(
    z.string().trim().min(1, "từ cần đọc không được để trống").max(40, "từ cần đọc dài quá 40 ký tự"),
    z.string("phải là một dòng chữ: cách đọc từ đó").trim().min(1, "cách đọc không được để trống").max(120, "cách đọc dài quá 120 ký tự"),
    "phải là các dòng dạng `Từ: cách đọc`",
  )
  .optional();

export type Pronunciations = Record<string, string>;

/** Where a word stands alone in a text (not inside a longer word), Vietnamese letters included. */
export function wordPattern(word: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "gu");
}

/** Skip blocks must open with "::: không đọc" and close with ":::", one at a time. */
export function checkSkipMarks(body: string, bodyLine: number, report: (line: number, message: string) => void): void {
  let openedAt = 0;
  let inFence = false;
  body.split("\n").forEach((line, i) => {
    const lineNo = bodyLine + i;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence || !FENCE_LINE.test(line)) return;
    if (SKIP_OPEN.test(line)) {
      if (openedAt) report(lineNo, `đoạn "không đọc" mở ở dòng ${openedAt} chưa đóng bằng dòng ":::"`);
      openedAt = lineNo;
    } else if (/^:::[ \t]*$/.test(line)) {
      if (!openedAt) report(lineNo, 'dòng ":::" đóng một đoạn chưa mở; đoạn bỏ qua khi đọc phải bắt đầu bằng "::: không đọc"');
      openedAt = 0;
    } else {
      report(lineNo, 'chỉ dùng "::: không đọc" để đánh dấu đoạn bỏ qua khi đọc to');
      openedAt = lineNo; // its closing ":::" belongs to it: one problem, not two
    }
  });
  if (openedAt) report(openedAt, 'đoạn "không đọc" chưa đóng: thêm một dòng ":::" ở cuối đoạn');
}

/** Each word given a pronunciation must occur in the text it is for, or the entry is a typo or left over. */
export function missingWords(pronounce: Pronunciations, plainText: string): string[] {
  return Object.keys(pronounce).filter((word) => !wordPattern(word).test(plainText));
}
