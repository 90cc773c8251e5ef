// Reading an uploaded CSV as Excel on a Vietnamese Windows PC writes it: the encoding from its bytes, the
// separator from its header, records with their line numbers. Kept apart from the importers so each rule has
// one small place and its own tests (test/unit/imports.test.ts).

export const SAVE_AS_UTF8_HELP =
  "Tệp không phải CSV UTF-8 nên chữ có dấu sẽ bị sai (ví dụ “Nguyễn” thành “Nguyá»…n”). Chưa nhập dòng nào. " +
  "Cách sửa: mở tệp bằng Excel rồi Lưu thành CSV UTF-8 (phân cách bằng dấu phẩy): chọn Tệp → Lưu thành " +
  "(File → Save As), ở ô “Loại tệp” (Save as type) chọn “CSV UTF-8 (phân cách bằng dấu phẩy)”, bấm Lưu, rồi nhập lại tệp mới này.";

export type Decoded = { ok: true; text: string } | { ok: false; message: string };

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * UTF-8 (with or without BOM) and UTF-16 with a BOM are the encodings Excel writes that keep Vietnamese
 * letters. Anything else (Windows-1258, CP1252, …) would be stored as mojibake, so it is refused; valid UTF-8
 * is never a coincidence for such files, since their accented letters are lone bytes ≥ 0x80.
 */
export function decodeCsvBytes(bytes: Uint8Array): Decoded {
  let encoding = "utf-8";
  if (startsWith(bytes, [0xff, 0xfe])) encoding = "utf-16le";
  else if (startsWith(bytes, [0xfe, 0xff])) encoding = "utf-16be";
  let text: string;
  try {
    // fatal: an invalid sequence throws instead of becoming U+FFFD; the BOM is removed.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: SAVE_AS_UTF8_HELP };
  }
  // UTF-16 without a BOM decodes as "valid" UTF-8 full of NULs: its header line gives it away.
  if (firstLine(text).includes("\u0000")) return { ok: false, message: SAVE_AS_UTF8_HELP };
  return { ok: true, text };
}

function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

/** Excel writes `;` instead of `,` when Windows uses a comma for decimals (Vietnamese regional settings). */
export function detectSeparator(text: string): "," | ";" {
  const header = firstLine(text);
  const count = (ch: string) => header.split(ch).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

export type CsvRecord = { line: number; cells: string[] };

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`CSV syntax error on line ${line}`);
  }
}

const lineBreaks = (value: string) => value.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * RFC 4180 records, one at a time, each with the line it starts on. Cells are returned raw (not trimmed) so
 * that a caller can refuse control characters hidden at a cell's edge. Throws CsvSyntaxError.
 */
export function* csvRecords(text: string, separator: string): Generator<CsvRecord> {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (at < text.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      const cell = readCell(text, at, separator, start);
      cells.push(cell.value);
      line += cell.lineBreaks;
      at = cell.end;
      if (text[at] === separator) {
        at += 1;
        continue;
      }
      if (text[at] === "\r") at += text[at + 1] === "\n" ? 2 : 1;
      else if (text[at] === "\n") at += 1;
      line += 1;
      break;
    }
    yield { line: start, cells };
  }
}

type Cell = { value: string; end: number; lineBreaks: number };

function readCell(text: string, from: number, separator: string, line: number): Cell {
  let at = from;
  while (text[at] === " ") at += 1;
  if (text[at] !== '"') {
    let end = from;
    while (end < text.length && text[end] !== separator && text[end] !== "\n" && text[end] !== "\r") end += 1;
    return { value: text.slice(from, end), end, lineBreaks: 0 };
  }
  let value = "";
  at += 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) throw new CsvSyntaxError(line);
    value += text.slice(at, quote);
    at = quote + 1;
    if (text[at] !== '"') break;
    value += '"';
    at += 1;
  }
  while (text[at] === " ") at += 1;
  if (at < text.length && text[at] !== separator && text[at] !== "\n" && text[at] !== "\r") throw new CsvSyntaxError(line);
  return { value, end: at, lineBreaks: lineBreaks(value) };
}

// C0 controls (NUL, tab, CR, LF, ESC, …), DEL and C1 controls: never part of a name, and C1 is what CP1252
// text misread as Latin-1 turns into.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const hasControlCharacter = (value: string) => CONTROL.test(value);

/** Resolves after pending I/O has run when the current slice of work has used its budget. */
export function eventLoopSlicer(budgetMs = 8): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve();
      }),
    );
  };
}
