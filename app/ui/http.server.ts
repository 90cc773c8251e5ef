import { useVietnameseMessages } from "./validation-messages.server";

// Small helpers for routes: clear Vietnamese 4xx responses instead of stack traces.

// Also imported by modules that validate without reading a form (cohorts, enrollment).
useVietnameseMessages();

export const TOO_LARGE = "Dữ liệu gửi lên quá lớn.";

export function notFound(message = "Không tìm thấy trang."): never {
  throw new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function badRequest(message: string): never {
  throw new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The client address server.mjs puts in the load context (for rate limits); "unknown" in tests. */
export function clientIp(context: unknown): string {
  return (context as { clientIp?: string } | undefined)?.clientIp ?? "unknown";
}
