import { DatabaseBusyError, DiskFullError, isBusy } from "../../db/resilient-driver";

// What the server answers, and logs, when the database cannot take a write right now (decision 013): another
// process holds the lock past the deadline, or the disk is (nearly) full. Both are passing states, not bugs:
// the answer is a 503 with a plain Vietnamese "try again in a few minutes", and the log names the real cause
// once per burst instead of once per request.

export type Unavailable = "busy" | "disk-full";

export function unavailableKind(error: unknown): Unavailable | null {
  if (error instanceof DatabaseBusyError || isBusy(error)) return "busy";
  if (error instanceof DiskFullError) return "disk-full";
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === "SQLITE_FULL" || (typeof message === "string" && message.includes("database or disk is full"))) return "disk-full";
  return null;
}

export const UNAVAILABLE_MESSAGE: Record<Unavailable, { title: string; text: string; retryAfterSeconds: number }> = {
  busy: {
    title: "Hệ thống đang bận",
    text: "Hệ thống đang bận, vui lòng thử lại sau ít phút. Những gì bạn đã lưu trước đó vẫn được giữ nguyên.",
    retryAfterSeconds: 30,
  },
  "disk-full": {
    title: "Tạm thời chưa lưu được",
    text: "Máy chủ tạm thời không lưu được dữ liệu mới vì bộ nhớ sắp đầy. Bạn vẫn đọc bài được; vui lòng thử lại sau ít phút. Những gì bạn đã lưu trước đó vẫn được giữ nguyên.",
    retryAfterSeconds: 120,
  },
};

/** A complete, self-contained 503 page (no database needed to render it). */
export function unavailableResponse(kind: Unavailable): Response {
  const { title, text, retryAfterSeconds } = UNAVAILABLE_MESSAGE[kind];
  const html =
    `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title} — Học vụ số Tây Ninh</title></head><body><main class="error-page"><h1>${title}</h1><p>${text}</p>` +
    `<p><a href="/">Về trang chủ</a></p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" },
  });
}

// ---------------------------------------------------------------------------------------------------------
// One log line per cause per burst. A full disk used to produce thousands of lines a minute, most of them a
// secondary error ("cannot rollback - no transaction is active") that hid the real one.

const BURST_MS = 60_000;
const bursts = new Map<string, { since: number; suppressed: number }>();

/** Logs `error` unless the same cause was logged in the last minute; then counts it and says so next time. */
export function logOncePerBurst(error: unknown, where = "db", now = Date.now()): void {
  const kind = unavailableKind(error);
  const cause = kind ?? String((error as { code?: unknown })?.code ?? (error as Error)?.message ?? error);
  const burst = bursts.get(cause);
  if (burst && now - burst.since < BURST_MS) {
    burst.suppressed += 1;
    return;
  }
  const repeated = burst?.suppressed ? ` (${burst.suppressed} lần nữa trong đợt trước)` : "";
  bursts.set(cause, { since: now, suppressed: 0 });
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  console.error(`[${where}] ${kind ?? "error"}: ${code ? `${String(code)} ` : ""}${String(message ?? error)}${repeated}`);
}
