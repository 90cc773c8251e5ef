import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/courses/load.server";
import { enqueue, flush, queued } from "~/reach/browser/doc";
import { appFile, withoutComments } from "~/reach/files.server";
import { textSizeClass, textSizeOf } from "~/reach/text-size";
import { makePerson, useTempDatabase } from "./support/db";
import { tempDir } from "./support/helpers";

// Issue 21 (decision 025): the server side of offline marks, read-aloud marks in content, text size, the
// files under /app/, and the device queue's logic.

beforeAll(async () => {
  await useTempDatabase(); // the good content fixture: lam-quen (sequential, 2 lessons)
});

function memoryStore() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe("the queue of lessons marked done offline", () => {
  const a = { url: "/khoa-hoc/x/mot", key: "k-aaaaaaaa", title: "Một" };
  const b = { url: "/khoa-hoc/x/hai", key: "k-bbbbbbbb", title: "Hai" };

  it("keeps one mark per lesson, with its first key", () => {
    const store = memoryStore();
    enqueue(store, a);
    enqueue(store, { ...a, key: "k-later000" });
    enqueue(store, b);
    expect(queued(store)).toEqual([a, b]);
  });

  it("sends in order, stops at the first that must wait, and forgets what was sent or refused for good", async () => {
    const store = memoryStore();
    enqueue(store, a);
    enqueue(store, b);
    const tried: string[] = [];
    expect(await flush(store, async (m) => (tried.push(m.key), "keep"))).toEqual([]);
    expect(tried).toEqual([a.key]); // b waits behind a, so lessons arrive in their order
    expect(queued(store)).toEqual([a, b]);
    expect(await flush(store, async (m) => (m.key === a.key ? "drop" : "sent"))).toEqual([b]);
    expect(queued(store)).toEqual([]);
  });

  it("a network error keeps the mark", async () => {
    const store = memoryStore();
    enqueue(store, a);
    expect(await flush(store, () => Promise.reject(new TypeError("Failed to fetch")))).toEqual([]);
    expect(queued(store)).toEqual([a]);
  });

  it("survives a damaged stored value", () => {
    const store = memoryStore();
    store.setItem("hvs-hang-cho", "{not json");
    expect(queued(store)).toEqual([]);
  });
});

describe("lesson marked done with an idempotency key (sent from the device queue)", () => {
  async function post(cookie: string, lesson: string, form: Record<string, string>) {
    const route = await import("~/routes/khoa-hoc.$course.$lesson");
    const request = new Request(`http://localhost/khoa-hoc/lam-quen/${lesson}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
    });
    try {
      return await route.action({ request, params: { course: "lam-quen", lesson }, context: { cspNonce: "", clientIp: "127.0.0.1" } });
    } catch (thrown) {
      return thrown as Response;
    }
  }

  async function signedIn() {
    const { startSession } = await import("~/accounts/lucia.server");
    const person = await makePerson();
    return { person, cookie: (await startSession(person)).split(";")[0] };
  }

  async function marks(person: string) {
    const { db } = await import("~/db.server");
    return db()
      .selectFrom("lesson_progress")
      .select(["lesson_slug", "completed_at"])
      .where("person_id", "=", person)
      .where("completed_at", "is not", null)
      .execute();
  }

  it("answers 204 and records the lesson once, however often the key is sent", async () => {
    const { person, cookie } = await signedIn();
    const form = { intent: "complete", idempotency_key: "0f5c2a9e-1111-4222-8333-944445555666" };
    expect(((await post(cookie, "buoc-mot", form)) as Response).status).toBe(204);
    const first = await marks(person);
    expect(first).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(((await post(cookie, "buoc-mot", form)) as Response).status).toBe(204);
    expect(((await post(cookie, "buoc-mot", { ...form, idempotency_key: "another-key-123" })) as Response).status).toBe(204);
    expect(await marks(person)).toEqual(first); // same row, same first time
  });

  it("without a key the form still redirects to the next lesson, as before", async () => {
    const { cookie } = await signedIn();
    const response = (await post(cookie, "buoc-mot", { intent: "complete" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/khoa-hoc/lam-quen/buoc-hai");
  });

  it("refuses a malformed key in Vietnamese, and a lesson still locked with 409 (the device drops it)", async () => {
    const { person, cookie } = await signedIn();
    const bad = (await post(cookie, "buoc-mot", { intent: "complete", idempotency_key: "<script>" })) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Mã gửi lại không hợp lệ");
    const locked = (await post(cookie, "buoc-hai", { intent: "complete", idempotency_key: "k-locked-0001" })) as Response;
    expect(locked.status).toBe(409);
    expect(await marks(person)).toEqual([]);
  });

  it("signed out: sent to the login page, nothing recorded (the device keeps the mark)", async () => {
    const response = (await post("hvs_session=nope", "buoc-mot", { intent: "complete", idempotency_key: "k-anon-00001" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/dang-nhap/);
  });
});

describe("read-aloud marks in lessons (content checker)", () => {
  function contentWith(edit: (dir: string) => void) {
    const dir = tempDir("hvs-doc-");
    cpSync(path.resolve("test/fixtures/good"), dir, { recursive: true });
    edit(dir);
    return loadContent(dir, path.resolve("test/fixtures/public"));
  }
  const lesson = (dir: string) => path.join(dir, "lam-quen/01-buoc-mot.md");
  const append = (file: string, text: string) => writeFileSync(file, readFileSync(file, "utf8") + text);
  const setFrontMatter = (file: string, line: string) => writeFileSync(file, readFileSync(file, "utf8").replace(/^---\n/, `---\n${line}\n`));

  it("renders a skipped passage marked for the reader, and gives each lesson the course's and its own pronunciations", () => {
    const { catalog, problems } = contentWith((dir) => {
      append(lesson(dir), "\n::: không đọc\nBảng mã: **A1**, B2.\n:::\n\nSau đoạn bỏ qua, OTP và VNeID.\n");
      setFrontMatter(lesson(dir), 'pronounce: { OTP: "ô tê pê" }');
      setFrontMatter(path.join(dir, "lam-quen/course.md"), 'pronounce: { "Hòa Thành": "hoà thành" }');
    });
    expect(problems).toEqual([]);
    const [first, second] = catalog.courses[0].lessons;
    expect(first.html).toContain('<div class="read-skip"><p>Bảng mã: <strong>A1</strong>, B2.</p>\n</div>');
    expect(first.html).toContain("<p>Sau đoạn bỏ qua, OTP và VNeID.</p>");
    expect(first.pronounce).toEqual({ "Hòa Thành": "hoà thành", OTP: "ô tê pê" });
    expect(second.pronounce).toEqual({ "Hòa Thành": "hoà thành" });
  });

  it.each([
    ["an unclosed skip block", "\n::: không đọc\nMột đoạn.\n", 'đoạn "không đọc" chưa đóng'],
    ["a closing line without an opening", "\nMột đoạn.\n:::\n", 'dòng ":::" đóng một đoạn chưa mở'],
    ["an unknown block", "\n::: ghi chú\nMột đoạn.\n:::\n", 'chỉ dùng "::: không đọc"'],
  ])("reports %s with its line", (_name, text, message) => {
    let line = 0;
    const { problems } = contentWith((dir) => {
      line = readFileSync(lesson(dir), "utf8").split("\n").length + 1;
      append(lesson(dir), text);
    });
    expect(problems.map((p) => [path.basename(p.file), p.line, p.message])).toEqual([["01-buoc-mot.md", expect.any(Number), expect.stringContaining(message)]]);
    expect(problems[0].line).toBeGreaterThanOrEqual(line - 1);
  });

  it("reports a pronunciation for a word the lesson (or course) does not contain, at its front-matter line", () => {
    const { problems } = contentWith((dir) => {
      setFrontMatter(lesson(dir), 'pronounce: { VNeID: "vê en e ai đi" }');
      setFrontMatter(path.join(dir, "lam-quen/course.md"), "pronounce:\n  Zalo: da lô");
    });
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.message}`).sort()).toEqual([
      '01-buoc-mot.md:2: pronounce: bài không có từ "VNeID"',
      'course.md:3: pronounce: không bài nào có từ "Zalo"',
    ]);
  });

  it("matches whole words only: a pronunciation for ID does not fit VNeID", () => {
    const { problems } = contentWith((dir) => {
      append(lesson(dir), "\nỨng dụng VNeID.\n");
      setFrontMatter(lesson(dir), 'pronounce: { ID: "ai đi" }');
    });
    expect(problems.map((p) => p.message)).toEqual(['pronounce: bài không có từ "ID"']);
  });

  it("refuses an empty pronunciation", () => {
    const { problems } = contentWith((dir) => setFrontMatter(lesson(dir), 'pronounce: { "Hòa Thành": "" }'));
    // (The lesson is then left out, so links to it are reported too.)
    expect(problems.map((p) => p.message)).toContainEqual('trường "pronounce.Hòa Thành": cách đọc không được để trống');
  });

  it("the real content passes", () => {
    expect(loadContent(path.resolve("content"), path.resolve("public")).problems).toEqual([]);
  });
});

describe("text size", () => {
  it("reads the cookie, normal when missing or unknown", () => {
    expect(textSizeOf("a=1; hvs_chu=rat-lon")).toBe("rat-lon");
    expect(textSizeOf("hvs_chu=khong-lo")).toBe("binh-thuong");
    expect(textSizeOf(null)).toBe("binh-thuong");
    expect(textSizeClass("lon")).toBe("chu-lon");
    expect(textSizeClass("binh-thuong")).toBeUndefined();
  });

  async function choose(form: Record<string, string>) {
    const route = await import("~/routes/co-chu");
    const request = new Request("http://localhost/co-chu", {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
    });
    try {
      await route.action({ request, params: {}, context: { cspNonce: "", clientIp: "127.0.0.1" } });
      throw new Error("expected a response");
    } catch (thrown) {
      return thrown as Response;
    }
  }

  it("sets a year-long cookie for the device and goes back to the page", async () => {
    const response = await choose({ co: "lon", tiep: "/khoa-hoc/lam-quen?x=1" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/khoa-hoc/lam-quen?x=1");
    expect(response.headers.get("Set-Cookie")).toMatch(/^hvs_chu=lon; Path=\/; Max-Age=31536000; SameSite=Lax/);
  });

  it("never sends the visitor to another site", async () => {
    for (const tiep of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      expect((await choose({ co: "lon", tiep })).headers.get("Location")).toBe("/co-chu");
    }
  });

  it("refuses an unknown size with a Vietnamese 400", async () => {
    const response = await choose({ co: "200" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Cỡ chữ không hợp lệ");
  });
});

describe("files under /app/", () => {
  it("serves the service worker for the whole site, with an ETag for repeat visits", async () => {
    const response = appFile("sw.js", null)!;
    expect(response.status).toBe(200);
    expect(response.headers.get("Service-Worker-Allowed")).toBe("/");
    expect(response.headers.get("Content-Type")).toContain("javascript");
    expect(await response.text()).toContain('addEventListener("fetch"');
    expect(appFile("sw.js", response.headers.get("ETag"))!.status).toBe(304);
  });

  it("serves the page script without its comments, and it still runs", async () => {
    const served = await appFile("doc.js", null)!.text();
    expect(served.length).toBeLessThan(readFileSync("app/reach/browser/doc.js", "utf8").length * 0.8);
    expect(served).not.toMatch(/^\s*\/\//m);
    const file = path.join(tempDir("hvs-js-"), "doc.mjs");
    writeFileSync(file, served);
    const module = await import(file);
    const store = memoryStore();
    module.enqueue(store, { url: "/a", key: "k-12345678", title: "A" });
    expect(module.queued(store)).toEqual([{ url: "/a", key: "k-12345678", title: "A" }]);
  });

  it("keeps code that follows a comment on the same line", () => {
    expect(withoutComments("  /** @type {X} */ (a).b();\n  // gone\n  /*\n   * gone\n   */\nc();")).toBe("/** @type {X} */ (a).b();\nc();\n");
  });

  it("knows only its own files", () => {
    expect(appFile("../../package.json", null)).toBeNull();
    expect(appFile("toString", null)).toBeNull();
  });

  it("the manifest is valid JSON naming the site in Vietnamese", async () => {
    const manifest = await appFile("manifest.webmanifest", null)!.json();
    expect(manifest).toMatchObject({ name: "Học vụ số Tây Ninh", lang: "vi", display: "standalone" });
  });
});
