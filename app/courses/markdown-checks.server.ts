import { existsSync } from "node:fs";
import path from "node:path";
import type { Reporter, SourceFile } from "./front-matter.server";
import { CALLOUT_MARKER } from "./render.server";

// Checks of a Markdown body shared by course intros, lessons and quizzes: headings, HTML, callouts, images
// and links (links are checked once every course is known: see checkLinks in load.server.ts).

// ---------------------------------------------------------------------------------------------------------
// Markdown body checks shared by course intros, lessons and quizzes

export type PendingLink = { file: string; line: number; target: string };

export function checkMarkdownBody(
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

export function checkNfc(src: SourceFile, report: Reporter) {
  src.lines.forEach((line, i) => {
    if (line !== line.normalize("NFC")) {
      report(i + 1, "chữ tiếng Việt chưa ở dạng Unicode NFC (dấu gõ tách rời); hãy gõ lại hoặc lưu tệp ở dạng NFC");
    }
  });
}
