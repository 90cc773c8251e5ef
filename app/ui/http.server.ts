import { useVietnameseMessages } from "./validation-messages.server";

// Small helpers for routes: clear Vietnamese 4xx responses instead of stack traces.

// Also imported by modules that validate without reading a form (cohorts, enrollment).
useVietnameseMessages();

export const TOO_LARGE = "Dữ liệu gửi lên quá lớn.";

const TEXT = "text/plain; charset=utf-8";

/**
 * Every 4xx answer from a loader or action is built here: the status and one plain Vietnamese sentence, which
 * the error page shows as is (app/root.tsx). Thrown, it stops the loader or action.
 */
export function httpError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { "Content-Type": TEXT, ...headers } });
}

export function notFound(message = "Không tìm thấy trang."): never {
  throw httpError(404, message);
}

export function badRequest(message: string): never {
  throw httpError(400, message);
}

export function forbidden(message = "Bạn không có quyền xem trang này."): never {
  throw httpError(403, message);
}
