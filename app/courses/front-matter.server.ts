import { readFileSync } from "node:fs";
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";

// Reading a content file and its YAML front matter, with the line of every field, so that each problem is
// reported as file:line.

export type Reporter = (line: number, message: string) => void;

// ---------------------------------------------------------------------------------------------------------
// Files and front matter

export type SourceFile = { path: string; text: string; lines: string[] };

export function readSource(file: string): SourceFile {
  const text = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n");
  return { path: file, text, lines: text.split("\n") };
}

export type Split = { data: unknown; doc: Document; counter: LineCounter; fmStartLine: number; body: string; bodyLine: number };

export function splitFrontMatter(src: SourceFile, report: Reporter): Split | undefined {
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

export function lineOfPath(split: Split, keyPath: PropertyKey[]): number {
  for (let depth = keyPath.length; depth > 0; depth--) {
    const node = split.doc.getIn(keyPath.slice(0, depth) as (string | number)[], true) as { range?: [number] } | undefined;
    if (node && typeof node === "object" && node.range) {
      return split.fmStartLine - 1 + split.counter.linePos(node.range[0]).line;
    }
    // A missing key: point at its parent's key if there is one.
  }
  return 1;
}

export function validateFrontMatter<T>(schema: z.ZodType<T>, split: Split, report: Reporter): T | undefined {
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
