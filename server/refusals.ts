import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_DRAIN_BYTES } from "~/ui/forms.server";
import { TOO_LARGE } from "~/ui/http.server";

// Malformed requests that never reach Remix: answered in Vietnamese, never with Express's English pages or a
// dropped connection (decision 012). The security headers are already on the response (server/security.ts).

/** A page in Vietnamese with a way back. */
export function messagePage(title: string, message: string): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Học vụ số Tây Ninh</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Về trang chủ</a></p></body></html>`;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text);
  res.writeHead(status, { ...headers, "Content-Type": type, "Content-Length": body.length });
  res.end(req.method === "HEAD" ? undefined : body);
}

const TEXT = "text/plain; charset=utf-8";
const HTML = "text/html; charset=utf-8";

const BAD_ADDRESS = messagePage(
  "Địa chỉ trang không đúng",
  "Địa chỉ có ký tự không đọc được, có thể do bị cắt hoặc chép thiếu. Bạn hãy kiểm tra lại địa chỉ, hoặc về trang chủ.",
);

/** "%ff", "%c3%28" or a lone "%" in the path: Express and Remix cannot decode it (Express answers in English). */
export function undecodablePath(url: string): boolean {
  const query = url.indexOf("?");
  try {
    decodeURIComponent(query === -1 ? url : url.slice(0, query));
    return false;
  } catch {
    return true;
  }
}

export function refuseBadAddress(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 400, HTML, BAD_ADDRESS);
}

export function refuseMethod(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 405, TEXT, "Phương thức yêu cầu không được hỗ trợ.", { Allow: "GET, HEAD, POST" });
}

export function refuseForeignOrigin(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 403, TEXT, "Yêu cầu bị từ chối vì không được gửi từ trang Học vụ số Tây Ninh. Hãy mở lại trang rồi thử lại.");
}

/**
 * 413 for a declared body over the limit. The body is read and thrown away first (up to MAX_DRAIN_BYTES):
 * answering while the client is still sending, then closing, makes the kernel reset the connection and the
 * client sees the reset instead of the answer. Connection: close, so nothing after the body is taken for a
 * request.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  let drained = 0;
  const answer = () => {
    if (!res.headersSent) send(req, res, 413, TEXT, TOO_LARGE, { Connection: "close" });
  };
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) answer();
  });
  req.on("end", answer);
  req.on("error", () => res.destroy());
}

/**
 * A body without a declared length (chunked) is counted as it is read, in readForm (app/ui/forms.server.ts),
 * which reads it to the end before refusing it. Remix keeps only the status of that thrown 413, so the
 * Connection: close is added here, as the headers go out.
 */
export function closeAfterTooLarge(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 413) this.setHeader("Connection", "close");
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/** Errors Express itself raises (a static file it cannot decode or read): its default page is English. */
export function expressErrorPage(error: unknown): { status: number; page: string } {
  const status = Number((error as { status?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode);
  const clientError = status >= 400 && status < 500;
  if (!clientError) console.error(error);
  return clientError
    ? { status, page: messagePage("Không thực hiện được yêu cầu", "Yêu cầu không hợp lệ. Vui lòng quay lại và thử lại.") }
    : {
        status: 500,
        page: messagePage("Xin lỗi, hệ thống đang gặp sự cố", "Bạn vui lòng thử lại sau ít phút. Những gì bạn đã lưu trước đó vẫn được giữ nguyên."),
      };
}
