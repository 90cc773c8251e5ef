import { data } from "@remix-run/node";
import type { z } from "zod";
import { httpError, TOO_LARGE } from "./http.server";
import { useVietnameseMessages } from "./validation-messages.server";

// Form reading for actions: malformed bodies become a clear 400, never a 500.

// Every action reads its form here, so this is where schemas get their Vietnamese default messages.
useVietnameseMessages();

export const MAX_FORM_BYTES = 64 * 1024;

// Bodies the server read before calling an action directly (app/serving/direct-action.server.ts): the Request
// it builds carries none, so neither a stream nor a copy is made for the busiest form of all, a quiz answer.
const bodiesReadAlready = new WeakMap<Request, Uint8Array>();

/** Marks `body` as the body of `request` (built without one), for readForm. */
export function withBodyReadAlready(request: Request, body: Uint8Array): Request {
  bodiesReadAlready.set(request, body);
  return request;
}

export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  const known = bodiesReadAlready.get(request);
  if (known) {
    if (known.byteLength > maxBytes) throw tooLarge();
    return formOf(request, [known]);
  }
  const length = Number(request.headers.get("Content-Length") ?? 0);
  const reader = request.body?.getReader();
  if (length > maxBytes) throw reader ? await refuseRest(reader, 0) : tooLarge();
  // Read the body ourselves so a body without Content-Length (chunked) is refused at the limit too.
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) throw await refuseRest(reader, total);
    chunks.push(value);
  }
  return formOf(request, chunks);
}

async function formOf(request: Request, chunks: Uint8Array[]): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form = new FormData();
    for (const [name, value] of readUrlEncoded(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))) form.append(name, value);
    return form;
  }
  let form: FormData;
  try {
    form = await new Response(new Blob(chunks as BlobPart[]), { headers: { "Content-Type": type } }).formData();
  } catch {
    throw unreadable();
  }
  for (const value of form.values()) if (typeof value === "string" && value.includes("\uFFFD")) throw unreadable();
  return form;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A url-encoded form body; raw bytes that are not UTF-8, or "�" anywhere, are refused (400), never stored. */
export function readUrlEncoded(body: Uint8Array): URLSearchParams {
  let fields: URLSearchParams;
  try {
    fields = new URLSearchParams(utf8.decode(body));
  } catch {
    throw unreadable();
  }
  // Percent-escapes of invalid UTF-8 decode to U+FFFD.
  for (const [name, value] of fields) if (name.includes("\uFFFD") || value.includes("\uFFFD")) throw unreadable();
  return fields;
}

function unreadable() {
  return httpError(400, "Dữ liệu gửi lên không đọc được (có ký tự không hợp lệ). Vui lòng tải lại trang và thử lại.");
}

/** Past this much, a body is not worth reading to the end just to be refused: the connection is cut instead. */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The 413 for a body that turned out too large while being read (chunked, no declared length). The rest is
 * read and thrown away first: a connection abandoned mid-body is reset, and the sender never sees the answer.
 * Connection: close, because a client that sends too much is not one to keep talking to.
 */
async function refuseRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<Response> {
  let total = alreadyRead;
  while (total <= MAX_DRAIN_BYTES) {
    const { done, value } = await reader.read();
    if (done) return tooLarge();
    total += value.byteLength;
  }
  await reader.cancel();
  return tooLarge();
}

function tooLarge() {
  return httpError(413, TOO_LARGE, { Connection: "close" });
}

/** Plain object of the form's text fields (files and repeated keys dropped; use getAll for those). */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !(key in out)) out[key] = value;
  return out;
}

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** A 400 response carrying field errors and the values to refill the form with (never passwords). */
export function invalid<T extends Record<string, unknown>>(payload: T, status = 400) {
  return data({ ok: false as const, ...payload }, { status });
}
