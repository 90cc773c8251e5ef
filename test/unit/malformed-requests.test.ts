import { beforeAll, describe, expect, it } from "vitest";
import { useTempDatabase } from "./support/db";

// Findings 5, 6, 10 and 11 of the security review: crafted redirect targets, English messages from the
// validation library, and oversized chunked bodies.

beforeAll(async () => {
  await useTempDatabase();
});

/** Words of English error text that must never reach a person. */
const ENGLISH = /Invalid input|expected|received|Too big|Too small|Bad Request|Internal Server Error|Error:|Unexpected|undefined|NaN|Not Found/;

describe("safeRedirectPath", () => {
  // What arrives after the query string is decoded (searchParams.get), and where it must lead.
  const ATTACKS: [string, string][] = [
    ["/\t/evil.example", "%09 between two slashes (browsers drop the tab: //evil.example)"],
    ["/\r\n/evil.example", "%0d%0a: a header break"],
    ["/khoa-hoc\r\nSet-Cookie: x=1", "header injection"],
    ["/\u0000/evil.example", "NUL"],
    ["/\u007f/evil.example", "DEL"],
    ["/\\evil.example", "backslash"],
    ["\\\\evil.example", "two backslashes"],
    ["//evil.example", "protocol-relative"],
    ["///evil.example", "three slashes"],
    ["/./\u002f/evil.example", "dot segment before //"],
    ["/.//evil.example", "dot segment that normalises to //"],
    ["/..//evil.example", "parent segment that normalises to //"],
    ["https://evil.example", "absolute URL"],
    ["javascript:alert(1)", "javascript: URL"],
    ["JavaScript:alert(1)", "javascript: URL, mixed case"],
    ["evil.example", "relative path"],
    ["", "empty"],
  ];

  it.each(ATTACKS)("keeps %j on the site (%s)", async (target) => {
    const { safeRedirectPath } = await import("~/accounts/session.server");
    expect(safeRedirectPath(target)).toBe("/ca-nhan");
    expect(safeRedirectPath(target, "")).toBe("");
  });

  it("keeps ordinary same-site paths with their query and fragment, in a form any header accepts", async () => {
    const { safeRedirectPath } = await import("~/accounts/session.server");
    expect(safeRedirectPath("/khoa-hoc")).toBe("/khoa-hoc");
    expect(safeRedirectPath("/khoa-hoc/dich-vu-cong?x=1#cau-2")).toBe("/khoa-hoc/dich-vu-cong?x=1#cau-2");
    expect(safeRedirectPath("/%2F/evil.example")).toBe("/%2F/evil.example"); // an encoded slash is a path segment here
    const vietnamese = safeRedirectPath("/tim-kiem?q=dịch vụ công");
    expect(vietnamese).toMatch(/^\/tim-kiem\?q=/);
    expect(() => new Headers({ Location: vietnamese })).not.toThrow();
    expect(safeRedirectPath(null)).toBe("/ca-nhan");
  });
});

describe("validation messages", () => {
  it("are Vietnamese for a sign-up with every field missing, and for overlong hidden fields", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    const cases: Record<string, string>[] = [{}, { commune_code: "1".repeat(11), agency_code: "A".repeat(41) }, { password_confirm: "x".repeat(300) }];
    for (const fields of cases) {
      for (const kind of ["citizen", "official"] as const) {
        const result = await signUp(kind, fields, "127.0.0.1");
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        const messages = Object.values(result.errors);
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(message, JSON.stringify(fields)).not.toMatch(ENGLISH);
      }
    }
  });

  it("default to plain Vietnamese wherever a schema gives no message of its own", async () => {
    await import("~/ui/forms.server");
    const { z } = await import("zod");
    const schema = z.object({
      name: z.string(),
      code: z.string().max(10),
      count: z.coerce.number().int().min(1).max(5),
      kind: z.enum(["a", "b"]),
      list: z.array(z.string()).min(1),
    });
    for (const input of [{}, { name: 1, code: "x".repeat(11), count: "abc", kind: "c", list: [] }, { name: "", code: "", count: "9", kind: "a", list: "x" }]) {
      const parsed = schema.safeParse(input);
      expect(parsed.success).toBe(false);
      for (const issue of parsed.error!.issues) {
        expect(issue.message, JSON.stringify(issue)).not.toMatch(ENGLISH);
        expect(issue.message).toMatch(/[à-ỹ]/); // Vietnamese words, with diacritics
      }
    }
  });
});

describe("readForm with a body over the limit", () => {
  function chunkedRequest(bytes: number, chunk = 16 * 1024) {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes) return controller.close();
        const size = Math.min(chunk, bytes - sent);
        sent += size;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
    });
    const request = new Request("http://localhost/dang-ky", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    return { request, sent: () => sent };
  }

  it("reads the rest of a chunked body before answering 413 in Vietnamese with Connection: close", async () => {
    const { readForm } = await import("~/ui/forms.server");
    const { request, sent } = chunkedRequest(512 * 1024);
    const refusal = await readForm(request).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(refusal).toBeInstanceOf(Response);
    const response = refusal as Response;
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("quá lớn");
    expect(response.headers.get("Connection")).toBe("close");
    // The whole body was taken off the connection, so the client is not cut off mid-send.
    expect(sent()).toBe(512 * 1024);
  });
});
