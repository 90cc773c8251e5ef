import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { course } from "./support/content";
import { freshDatabase, learnersReadyForQuiz, quizForm, startServer, submit } from "./support/server";

// Fault tests: a real server process killed mid-write, retries, online backup and restore, bad input of every
// kind on every action, and security headers. No timing assertions: only what is stored and what is answered.

const COURSE = course("dich-vu-cong-truc-tuyen");
const RIGHT = Object.fromEntries(COURSE.quiz.questions.map((q) => [q.id, q.correct]));
const lessons = COURSE.lessons.map((l) => l.slug);

test.describe.configure({ mode: "serial" });
// These tests start their own servers on SQLite files (the file's lock, WAL, online backup): they run in the
// SQLite pass of scripts/test.sh. The PostgreSQL pass runs faults-postgres.spec.ts instead (decision 016).
test.skip(!!process.env.E2E_DATABASE_URL, "SQLite file faults: run in the SQLite pass");

type Ack = { key: string; attempt: string; at: number };

/**
 * Every learner submits the quiz again and again until stopped (or the server dies). An attempt counts as
 * acknowledged only when the server answered with the redirect to its result page.
 */
function keepSubmitting(url: string, cookies: string[]) {
  const acknowledged: Ack[] = [];
  let stopped = false;
  const workers = cookies.map(async (cookie) => {
    while (!stopped) {
      const form = quizForm(RIGHT);
      try {
        const response = await submit(url, COURSE.slug, cookie, form);
        const location = response.headers.get("location") ?? "";
        if (response.status === 302 && /\/kiem-tra\/\d+$/.test(location)) {
          acknowledged.push({ key: form.get("idempotency_key")!, attempt: location.split("/").at(-1)!, at: Date.now() });
        }
      } catch {
        return; // the server is gone
      }
    }
  });
  return {
    acknowledged,
    waitFor: async (n: number) => {
      while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 20));
    },
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

test("crash: SIGKILL under concurrent submissions loses no acknowledged attempt and records none twice", async () => {
  test.setTimeout(120_000);
  const file = freshDatabase();
  const cookies = learnersReadyForQuiz(file, COURSE.slug, lessons, 40);
  const server = await startServer(file);
  const load = keepSubmitting(server.url, cookies);
  await load.waitFor(150);
  await server.kill("SIGKILL");
  await load.stop();
  const { acknowledged } = load;

  const db = new Database(file);
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  const rows = db.prepare("select idempotency_key as key, count(*) as n from quiz_attempt group by idempotency_key").all() as { key: string; n: number }[];
  const stored = new Map(rows.map((r) => [r.key, r.n]));
  for (const ack of acknowledged) expect(stored.get(ack.key), `acknowledged attempt ${ack.attempt}`).toBe(1);
  expect(rows.every((r) => r.n === 1)).toBe(true);
  db.close();

  // And the server starts again on the same file and serves the results.
  const again = await startServer(file);
  const page = await fetch(`${again.url}/khoa-hoc/${COURSE.slug}/kiem-tra/${acknowledged[0].attempt}`, { headers: { Cookie: cookies[0] }, redirect: "manual" });
  expect([200, 404]).toContain(page.status); // 404 when attempt 0 belongs to another learner: never a 500
  await again.kill();
});

test("retries: the same submission sent 5 times at once records one attempt", async () => {
  const file = freshDatabase();
  const [cookie] = learnersReadyForQuiz(file, COURSE.slug, lessons, 1);
  const server = await startServer(file);
  const form = quizForm(RIGHT);
  const responses = await Promise.all(Array.from({ length: 5 }, () => submit(server.url, COURSE.slug, cookie, form)));
  expect(responses.map((r) => r.status)).toEqual([302, 302, 302, 302, 302]);
  expect(new Set(responses.map((r) => r.headers.get("location"))).size).toBe(1);
  await server.kill();
  const db = new Database(file, { readonly: true });
  expect(db.prepare("select count(*) from quiz_attempt where idempotency_key = ?").pluck().get(form.get("idempotency_key"))).toBe(1);
  expect(db.prepare("select count(*) from certificate").pluck().get()).toBe(1);
  db.close();
});

test("backup: an online copy while the server writes holds every write acknowledged before it began, and restores cleanly", async () => {
  test.setTimeout(120_000);
  const file = freshDatabase();
  const cookies = learnersReadyForQuiz(file, COURSE.slug, lessons, 10);
  const server = await startServer(file);
  const load = keepSubmitting(server.url, cookies);
  await load.waitFor(50);
  const dir = mkdtempSync(path.join(tmpdir(), "hvs-backup-"));
  const backup = path.join(dir, "backup.db");
  const began = Date.now();
  execFileSync("npx", ["tsx", "scripts/db-backup.ts", backup], { env: { ...process.env, DATABASE_PATH: file } });
  await load.stop();
  await server.kill();

  const restored = path.join(dir, "restored.db");
  const output = execFileSync("npx", ["tsx", "scripts/db-restore.ts", backup, restored]).toString();
  expect(output).toContain("integrity_check: ok");
  const db = new Database(restored, { readonly: true });
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  const keys = new Set(db.prepare("select idempotency_key from quiz_attempt").pluck().all() as string[]);
  const before = load.acknowledged.filter((a) => a.at < began);
  expect(before.length).toBeGreaterThanOrEqual(50);
  for (const ack of before) expect(keys.has(ack.key)).toBe(true);
  db.close();
});

test.describe("bad input", () => {
  let file: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let admin: string;
  let trainer: string;

  test.beforeAll(async () => {
    file = freshDatabase();
    server = await startServer(file);
    const login = async (username: string) => {
      const response = await fetch(`${server.url}/dang-nhap`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username, password: "hocvuso-demo" }),
      });
      return response.headers.get("set-cookie")!.split(";")[0];
    };
    admin = await login("demo-quantri");
    trainer = await login("demo-taphuan");
  });
  test.afterAll(async () => server.kill());

  const counts = () => {
    const db = new Database(file, { readonly: true });
    const out = Object.fromEntries(
      ["person", "cohort", "quiz_attempt", "roster_official", "training_session", "agency", "api_token", "person_role"].map((t) => [
        t,
        db.prepare(`select count(*) from ${t}`).pluck().get(),
      ]),
    );
    db.close();
    return out;
  };

  // Every route with an action, with the session it needs.
  const ACTIONS: { path: string; as: "anonymous" | "admin" | "trainer" }[] = [
    { path: "/dang-ky", as: "anonymous" },
    { path: "/dang-ky?loai=can-bo", as: "anonymous" },
    { path: "/dang-nhap", as: "anonymous" },
    { path: "/co-chu", as: "anonymous" },
    { path: "/dang-xuat", as: "trainer" },
    { path: "/tham-gia", as: "trainer" },
    { path: "/ca-nhan/doi-mat-khau", as: "trainer" },
    { path: "/ca-nhan/du-lieu", as: "trainer" },
    { path: `/khoa-hoc/${COURSE.slug}/${COURSE.lessons[0].slug}`, as: "trainer" },
    { path: `/khoa-hoc/${COURSE.slug}/kiem-tra`, as: "trainer" },
    { path: "/quan-tri/nguoi-dung", as: "admin" },
    { path: "/quan-tri/nhap-du-lieu", as: "admin" },
    { path: "/quan-tri/api", as: "admin" },
    { path: "/quan-tri/to-chuc", as: "admin" },
    { path: "/lop-hoc", as: "trainer" },
    { path: "/lop-hoc/1", as: "trainer" },
    { path: "/lop-hoc/1/dang-ky-ho", as: "trainer" },
    { path: "/lop-hoc/1/buoi-hoc", as: "trainer" },
  ];

  const INJECTION = ["' OR 1=1; DROP TABLE person; --", '"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "\u0000\uFFFF", "𝕏".repeat(50)];

  function cookieFor(who: "anonymous" | "admin" | "trainer") {
    return who === "admin" ? admin : who === "trainer" ? trainer : "";
  }

  async function send(pathname: string, init: RequestInit & { who: "anonymous" | "admin" | "trainer" }) {
    const headers = new Headers(init.headers);
    if (cookieFor(init.who)) headers.set("Cookie", cookieFor(init.who));
    const response = await fetch(`${server.url}${pathname}`, { ...init, headers, redirect: "manual" });
    const text = await response.text();
    return { status: response.status, text };
  }

  function expectClear4xx(result: { status: number; text: string }, label: string) {
    expect(result.status, label).toBeGreaterThanOrEqual(400);
    expect(result.status, label).toBeLessThan(500);
    expect(result.text, label).not.toMatch(/\n\s+at |TypeError|SqliteError|node_modules/);
    expect(result.text.length, label).toBeGreaterThan(0);
  }

  test("every action refuses a missing or foreign Origin, a wrong method, an oversize body and unreadable input with a clear 4xx; nothing is stored", async () => {
    const before = counts();
    for (const { path: p, as } of ACTIONS) {
      const form = { "Content-Type": "application/x-www-form-urlencoded" };
      expectClear4xx(await send(p, { method: "POST", who: as, headers: form, body: "x=1" }), `${p} no Origin`);
      expectClear4xx(await send(p, { method: "POST", who: as, headers: { ...form, Origin: "https://evil.example" }, body: "x=1" }), `${p} foreign Origin`);
      for (const method of ["PUT", "DELETE", "PATCH"]) {
        expectClear4xx(await send(p, { method, who: as, headers: { ...form, Origin: server.url }, body: "x=1" }), `${p} ${method}`);
      }
      const ok = { ...form, Origin: server.url };
      expectClear4xx(await send(p, { method: "POST", who: as, headers: ok, body: `x=${"a".repeat(1024 * 1024)}` }), `${p} 1 MB string`);
      const huge = `--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${"x".repeat(26 * 1024 * 1024)}\r\n--b--\r\n`;
      expectClear4xx(
        await send(p, { method: "POST", who: as, headers: { Origin: server.url, "Content-Type": "multipart/form-data; boundary=b" }, body: huge }),
        `${p} huge multipart`,
      );
      if (p === "/dang-xuat") continue; // logging out needs no input: any well-formed POST succeeds
      expectClear4xx(await send(p, { method: "POST", who: as, headers: ok, body: "" }), `${p} empty body`);
      expectClear4xx(
        await send(p, { method: "POST", who: as, headers: ok, body: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe, 0xc3, 0x28]) }),
        `${p} invalid UTF-8`,
      );
      expectClear4xx(
        await send(p, { method: "POST", who: as, headers: { ...ok, "Content-Type": "multipart/form-data; boundary=zz" }, body: "garbage" }),
        `${p} broken multipart`,
      );
      const wrongTypes = new URLSearchParams([
        ["intent", "grant"],
        ["intent", "revoke"],
        ["username", ""],
        ["birth_year", "[1,2]"],
        ["courses", "{}"],
        ["extra", "field"],
        ["is_admin", "1"],
      ]);
      expectClear4xx(await send(p, { method: "POST", who: as, headers: ok, body: wrongTypes }), `${p} wrong types and extra fields`);
      for (const evil of INJECTION) {
        const body = new URLSearchParams({
          full_name: evil,
          username: evil,
          password: evil,
          birth_year: evil,
          commune: evil,
          name: evil,
          code: evil,
          place: evil,
          topic: evil,
          intent: evil,
          q: evil,
        });
        expectClear4xx(await send(p, { method: "POST", who: as, headers: ok, body }), `${p} injection ${evil.slice(0, 12)}`);
      }
    }
    expect(counts()).toEqual(before);
  });

  test("the JSON API refuses a missing or bad token, bad parameters and other methods with clear 4xx JSON", async () => {
    const api = "/api/v1/indicators";
    for (const [label, init] of [
      ["no token", {}],
      ["bad token", { headers: { Authorization: "Bearer hvs_not-a-real-token-at-all-1234" } }],
      ["basic auth", { headers: { Authorization: "Basic YWRtaW46YWRtaW4=" } }],
      ["injection", { headers: { Authorization: "Bearer ' OR 1=1 --" } }],
    ] as const) {
      const r = await send(`${api}?period=2026`, { method: "GET", who: "anonymous", ...init });
      expectClear4xx(r, label);
      expect(JSON.parse(r.text).error).toMatch(/mã truy cập/);
    }
    const create = await send("/quan-tri/api", {
      method: "POST",
      who: "admin",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: "intent=create&name=Fault",
    });
    const token = /hvs_[A-Za-z0-9_-]+/.exec(create.text)![0];
    const auth = { Authorization: `Bearer ${token}` };
    for (const query of ["period=abc", "period=2026&commune=<script>", "period=2026&agency=' OR 1=1", "period=2026&extra=1", `period=${"9".repeat(5000)}`]) {
      const r = await send(`${api}?${query}`, { method: "GET", who: "anonymous", headers: auth });
      expectClear4xx(r, query);
      expect(JSON.parse(r.text).error).toBeTruthy();
    }
    expectClear4xx(await send(`${api}?period=2026`, { method: "POST", who: "anonymous", headers: { ...auth, Origin: server.url } }), "POST");
    expectClear4xx(await send(`${api}?period=2026`, { method: "DELETE", who: "anonymous", headers: auth }), "DELETE");
    const ok = await send(`${api}?period=2026`, { method: "GET", who: "anonymous", headers: auth });
    expect(ok.status).toBe(200);
  });

  test("stored text is rendered escaped", async () => {
    const evil = `<script>alert("x")</script><b onclick="x()">đậm</b>`;
    const created = await send("/lop-hoc", {
      method: "POST",
      who: "trainer",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: evil, commune_code: "25459", courses: COURSE.slug, start_date: "2026-11-01" }),
    });
    expect(created.status).toBe(302);
    const page = await send("/lop-hoc", { method: "GET", who: "trainer" });
    expect(page.text).not.toContain("<script>alert");
    expect(page.text).not.toContain('<b onclick="x()">');
    expect(page.text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });
  // Findings 10 (English on crafted input) and 6/11: every action posted with missing fields, wrong types and
  // overlong values, and pages whose address cannot be decoded. What a person can see must be Vietnamese.
  const FIELDS = [
    "agency_code",
    "attendees",
    "birth_year",
    "code",
    "commune",
    "commune_code",
    "confirm",
    "consent",
    "consent_confirmed",
    "consent_method",
    "course",
    "course_slug",
    "courses",
    "create_anyway",
    "current",
    "end_date",
    "full_name",
    "held_on",
    "id",
    "idempotency_key",
    "indicator_id",
    "kind",
    "level",
    "ma",
    "mien",
    "name",
    "password",
    "password_confirm",
    "person_id",
    "personnel_code",
    "phone",
    "place",
    "q",
    "quick_add",
    "role",
    "scope",
    "secret",
    "start_date",
    "target_percent",
    "topic",
    "username",
    "xac_nhan",
    "year",
  ];
  const INTENTS = [
    "",
    "add-existing",
    "agency",
    "archive",
    "co-trainer",
    "commune",
    "complete",
    "create",
    "everywhere",
    "grant",
    "reset",
    "reset-pin",
    "revoke",
    "supervise",
    "target",
    "unarchive",
  ];

  test("crafted input never shows English or a 5xx: missing fields, wrong types, overlong values, undecodable addresses", async () => {
    test.setTimeout(180_000);
    const ok = { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url };
    const bodies = (intent: string) => {
      const only = (value: (name: string) => string) => new URLSearchParams([...(intent ? [["intent", intent]] : []), ...FIELDS.map((f) => [f, value(f)])]);
      return [
        ["missing fields", new URLSearchParams(intent ? { intent } : {})],
        ["empty fields", only(() => "")],
        ["wrong types", only((f) => (f.endsWith("_id") || f === "id" || f.includes("year") ? "abc" : "[1,2]"))],
        ["overlong", only(() => "9".repeat(1000))],
        ["just over", only(() => "1".repeat(11))],
        ["numbers for text", only(() => "-1.5e309")],
      ] as const;
    };
    const problems: string[] = [];
    const check = async (label: string, sent: Promise<{ status: number; text: string }>) => {
      const r = await sent.catch((error: Error) => ({ status: 599, text: `no answer: ${String(error.cause ?? error)}` }));
      const seen = visibleText(r.text).match(ENGLISH);
      if (r.status >= 500 || seen) problems.push(`${label}: ${r.status} ${seen ? `"${seen[0]}" in “${visibleText(r.text).slice(0, 160)}”` : ""}`);
    };
    for (const { path: p, as } of ACTIONS) {
      if (p === "/dang-xuat") continue; // would end the session the other actions need
      for (const intent of INTENTS) {
        for (const [kind, body] of bodies(intent)) await check(`${p} ${intent} ${kind}`, send(p, { method: "POST", who: as, headers: ok, body }));
      }
    }
    const paths = [
      "/chung-chi/%ff",
      "/khoa-hoc/%c3%28",
      `/khoa-hoc/${COURSE.slug}/%ff`,
      "/%ff",
      "/%",
      "/build/%ff.js",
      "/images/%c3%28.png",
      "/lop-hoc/%ff",
      "/ca-nhan/%c3%28",
      "/tim-kiem?q=%ff%fe",
      "/dang-nhap?tiep=%ff",
    ];
    for (const p of paths) {
      for (const who of ["anonymous", "trainer"] as const) {
        await check(`GET ${p} as ${who}`, send(p, { method: "GET", who }));
        await check(`POST ${p} as ${who}`, send(p, { method: "POST", who, headers: ok, body: "x=1" }));
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Words of English error text that must never reach a person. */
const ENGLISH = /Invalid input|expected|received|Too big|Too small|Bad Request|Internal Server Error|Error:|Unexpected|undefined|NaN|Not Found/;

/** The text a person sees: markup, scripts and styles removed. */
function visibleText(html: string) {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, " ")
    .replace(/<style\b[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

test.describe("malformed requests", () => {
  let file: string;
  let server: Awaited<ReturnType<typeof startServer>>;

  test.beforeAll(async () => {
    file = freshDatabase();
    server = await startServer(file);
  });
  test.afterAll(async () => server.kill());

  const form = (url: string) => ({ Origin: url, "Content-Type": "application/x-www-form-urlencoded" });

  async function logIn(tiep = "") {
    return fetch(`${server.url}/dang-nhap${tiep ? `?tiep=${tiep}` : ""}`, {
      method: "POST",
      redirect: "manual",
      headers: form(server.url),
      body: new URLSearchParams({ username: "demo-hocvien", password: "hocvuso-demo" }),
    });
  }

  /** Where a redirect leads, as a browser would read it (browsers drop tabs and newlines, "\" is "/"). */
  function destination(location: string | null) {
    expect(location).toBeTruthy();
    return new URL(location!.replace(/[\t\n\r]/g, "").replace(/\\/g, "/"), server.url);
  }

  const OFF_SITE = [
    "%2F%09%2Fevil.example",
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "%2F.%2F%2Fevil.example",
    "%2F%0A%2Fevil.example",
    "javascript%3Aalert(1)",
  ];
  const CRLF = "%2F%0D%0ASet-Cookie%3A%20injected%3D1";

  test("a signed-in visit to /dang-nhap with a crafted ?tiep= stays on the site", async () => {
    const cookie = (await logIn()).headers.get("set-cookie")!.split(";")[0];
    for (const tiep of [...OFF_SITE, CRLF]) {
      const response = await fetch(`${server.url}/dang-nhap?tiep=${tiep}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(response.status, tiep).toBeGreaterThanOrEqual(300);
      expect(response.status, tiep).toBeLessThan(400);
      expect(destination(response.headers.get("location")).origin, tiep).toBe(server.url);
      expect(response.headers.get("set-cookie") ?? "", tiep).not.toContain("injected");
    }
    const ordinary = await fetch(`${server.url}/dang-nhap?tiep=%2Fkhoa-hoc%3Fx%3D1`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(ordinary.headers.get("location")).toBe("/khoa-hoc?x=1");
  });

  test("logging in with a crafted ?tiep= signs in and stays on the site", async () => {
    for (const tiep of [CRLF, "%2F%09%2Fevil.example"]) {
      const response = await logIn(tiep);
      expect(response.status, tiep).toBe(302);
      expect(destination(response.headers.get("location")).origin, tiep).toBe(server.url);
      expect(response.headers.get("set-cookie"), tiep).toMatch(/^hvs_session=/);
    }
  });

  test("signing up with a CR/LF ?tiep= creates the account and lands on a normal page the first time", async () => {
    const username = `tiep${Date.now().toString(36)}`;
    const response = await fetch(`${server.url}/dang-ky?tiep=${CRLF}`, {
      method: "POST",
      redirect: "manual",
      headers: form(server.url),
      body: new URLSearchParams({
        full_name: "Nguyễn Văn Tiếp",
        username,
        password: "matkhau-123",
        password_confirm: "matkhau-123",
        birth_year: "1962",
        commune: "tan ninh",
        consent: "yes",
      }),
    });
    expect(response.status).toBe(302);
    const target = destination(response.headers.get("location"));
    expect(target.origin).toBe(server.url);
    const cookie = response.headers.get("set-cookie")!.split(";")[0];
    const page = await fetch(target, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Nguyễn Văn Tiếp");
    const db = new Database(file, { readonly: true });
    expect(db.prepare("select count(*) from person where username = ?").pluck().get(username)).toBe(1);
    db.close();
  });

  /** One raw HTTP/1.1 exchange: the head, then the body in pieces; everything the server sends back, and how the connection ended. */
  function rawExchange(head: string, body: Buffer[]) {
    const { hostname, port } = new URL(server.url);
    return new Promise<{ text: string; error?: string }>((resolve) => {
      const socket = connect(Number(port), hostname);
      const received: Buffer[] = [];
      let error: string | undefined;
      socket.on("data", (chunk) => received.push(Buffer.from(chunk)));
      socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
      socket.on("close", () => resolve({ text: Buffer.concat(received).toString("utf8"), error }));
      socket.write(head);
      (async () => {
        for (const piece of body) {
          if (socket.destroyed) return;
          if (!socket.write(piece)) await new Promise((r) => socket.once("drain", r));
        }
        // A well-behaved keep-alive client sends its next request on the same connection.
        if (!socket.destroyed) socket.write(`GET /khoa-hoc HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
      })();
      setTimeout(() => socket.destroy(), 20_000);
    });
  }

  function expect413(result: { text: string; error?: string }, label: string) {
    expect(result.error, label).toBeUndefined(); // no reset: the answer arrived whole
    const [head, ...rest] = result.text.split("\r\n\r\n");
    expect(head, label).toMatch(/^HTTP\/1\.1 413 /);
    expect(head, label).toMatch(/\r\nconnection: close\r\n/i);
    expect(rest.join("\r\n\r\n"), label).toContain("Dữ liệu gửi lên quá lớn.");
    expect(result.text.match(/^HTTP\/1\.1 /gm), label).toHaveLength(1); // nothing after it on the same connection
  }

  test("an oversized body, declared or chunked, gets the Vietnamese 413 with Connection: close, not a reset", async () => {
    const { host } = new URL(server.url);
    const piece = Buffer.alloc(64 * 1024, "a");
    const pieces = (bytes: number) => Array.from({ length: Math.ceil(bytes / piece.length) }, () => piece);
    const headers = `Host: ${host}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: keep-alive\r\n`;
    for (const [label, path, bytes] of [
      ["declared 2 MB", "/dang-ky", 2 * 1024 * 1024],
      ["declared 26 MB upload", "/quan-tri/nhap-du-lieu", 26 * 1024 * 1024],
    ] as const) {
      const body = pieces(bytes);
      const length = body.length * piece.length;
      expect413(await rawExchange(`POST ${path} HTTP/1.1\r\n${headers}Content-Length: ${length}\r\n\r\n`, body), label);
    }
    for (const [label, path, bytes] of [
      ["chunked 200 KB", "/dang-ky", 200 * 1024],
      ["chunked 2 MB", "/dang-nhap", 2 * 1024 * 1024],
    ] as const) {
      const body = [
        ...pieces(bytes).map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from("\r\n")])),
        Buffer.from("0\r\n\r\n"),
      ];
      expect413(await rawExchange(`POST ${path} HTTP/1.1\r\n${headers}Transfer-Encoding: chunked\r\n\r\n`, body), label);
    }
  });
});

test("security headers on every page type, cached or not", async () => {
  const file = freshDatabase();
  const server = await startServer(file);
  const login = await fetch(`${server.url}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "demo-quantri", password: "hocvuso-demo" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const pages = [
    "/",
    "/khoa-hoc",
    `/khoa-hoc/${COURSE.slug}`,
    `/khoa-hoc/${COURSE.slug}/${COURSE.lessons[0].slug}`,
    `/khoa-hoc/${COURSE.slug}/kiem-tra`,
    "/nang-luc-so",
    "/tim-kiem?q=vneid",
    "/thong-ke",
    "/dang-nhap",
    "/chung-chi/ABCDE23456",
    "/khong-co",
  ];
  const signedIn = ["/ca-nhan", "/bao-cao", "/quan-tri", "/lop-hoc", "/bao-cao/tai-ve.csv?ky=2026"];
  for (const [url, headers] of [
    ...pages.flatMap(
      (p) =>
        [
          [p, {}],
          [p, {}],
        ] as const,
    ),
    ...signedIn.map((p) => [p, { Cookie: cookie }] as const),
  ]) {
    const response = await fetch(`${server.url}${url}`, { headers, redirect: "manual" });
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp, url).toContain("frame-ancestors 'none'");
    expect(csp, url).toContain("default-src 'self'");
    expect(csp, url).toMatch(/script-src 'self'( 'nonce-[A-Za-z0-9+/=]+')?(;|$)/);
    expect(csp, url).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options"), url).toBe("nosniff");
    expect(response.headers.get("referrer-policy"), url).toBe("same-origin");
    const body = await response.text();
    // No inline script at all: reading pages ship no JavaScript, and any page that hydrates carries the nonce.
    for (const tag of body.match(/<script\b[^>]*>/g) ?? []) expect(tag, url).toMatch(/nonce=|src=/);
  }
  // Files a page loads keep the headers a browser applies to them; the service worker's script keeps its CSP.
  for (const url of ["/app/doc.js", "/app/manifest.webmanifest"]) {
    const asset = await fetch(`${server.url}${url}`);
    expect(asset.status, url).toBe(200);
    expect(asset.headers.get("x-content-type-options"), url).toBe("nosniff");
    expect(asset.headers.get("cross-origin-resource-policy"), url).toBe("same-origin");
  }
  expect((await fetch(`${server.url}/app/sw.js`)).headers.get("content-security-policy")).toContain("default-src 'self'");
  expect((await fetch(`${server.url}/favicon.svg`)).headers.get("content-security-policy")).toContain("default-src 'self'");
  const session = await fetch(`${server.url}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "demo-hocvien", password: "hocvuso-demo" }),
  });
  expect(session.headers.get("set-cookie")).toMatch(/HttpOnly/);
  expect(session.headers.get("set-cookie")).toMatch(/SameSite=Lax/);
  await server.kill();
});

test("anonymous reading pages carry an ETag and a Cache-Control a proxy may honour, and answer 304 when unchanged", async () => {
  const server = await startServer(freshDatabase());
  const lesson = `/khoa-hoc/${COURSE.slug}/${lessons[0]}`;
  for (const url of ["/", "/khoa-hoc", `/khoa-hoc/${COURSE.slug}`, lesson, "/nang-luc-so"]) {
    const first = await fetch(`${server.url}${url}`);
    const again = await fetch(`${server.url}${url}`);
    const etag = again.headers.get("etag") ?? "";
    expect(etag, url).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("etag"), url).toBe(etag); // the first, rendered answer carries the same
    expect(again.headers.get("cache-control"), url).toMatch(/^public\b.*s-maxage=\d+/);
    expect(again.headers.get("vary"), url).toMatch(/Cookie/);
    expect(await again.text(), url).toBe(await first.text());
    const unchanged = await fetch(`${server.url}${url}`, { headers: { "If-None-Match": etag } });
    expect(unchanged.status, url).toBe(304);
    expect(unchanged.headers.get("content-security-policy"), url).toContain("frame-ancestors 'none'");
    expect(await unchanged.text(), url).toBe("");
    expect((await fetch(`${server.url}${url}`, { headers: { "If-None-Match": 'W/"old"' } })).status, url).toBe(200);
  }
  // Signed in, the same address is private: no ETag a proxy could share, and the learner's own page.
  const login = await fetch(`${server.url}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "demo-hocvien", password: "hocvuso-demo" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const signedIn = await fetch(`${server.url}${lesson}`, { headers: { Cookie: cookie } });
  expect(signedIn.headers.get("etag")).toBeNull();
  expect(signedIn.headers.get("cache-control") ?? "").not.toMatch(/public/);
  expect(await signedIn.text()).toContain("Đăng xuất");
  await server.kill();
});

// ---------------------------------------------------------------------------------------------------------
// Operations (decision 013): backups of a large database under load, another process holding the write lock,
// a full disk, a clean stop, and the operator endpoints.

const OPERATOR_TOKEN = "jeton-operateur-test-0123456789";

/** Grows a fresh demo database to tens of MB with synthetic lesson progress, so a backup needs many steps. */
function growDatabase(file: string, rows = 250_000) {
  const db = new Database(file);
  const people = db.prepare("select id from person limit 50").pluck().all() as string[];
  const insert = db.prepare(
    "insert into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at) values (?, 'luu-tru', ?, '2025-01-01T00:00:00.000Z')",
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(people[i % people.length], `bai-${i}-${"x".repeat(120)}`);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Another process writing steadily (a row every 5 ms), as an import or the server's busier hours would. */
function steadyWriter(file: string) {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare(
    "insert into lesson_progress (person_id, course_slug, lesson_slug, first_viewed_at) select id, 'ghi-deu', ?, ? from person limit 1",
  );
  const written: { slug: string; at: number }[] = [];
  const timer = setInterval(() => {
    const slug = `dong-${written.length}`;
    insert.run(slug, new Date().toISOString());
    written.push({ slug, at: Date.now() });
  }, 5);
  return {
    written,
    stop: () => {
      clearInterval(timer);
      db.close();
    },
  };
}

test("restore drill: a backup of a database of tens of MB finishes while writes continue, holds every write acknowledged before it, and restores", async () => {
  test.setTimeout(240_000);
  const file = freshDatabase();
  growDatabase(file);
  const cookies = learnersReadyForQuiz(file, COURSE.slug, lessons, 40);
  const server = await startServer(file);
  const load = keepSubmitting(server.url, cookies);
  await load.waitFor(50);
  const writer = steadyWriter(file);
  await new Promise((r) => setTimeout(r, 200));
  const dir = mkdtempSync(path.join(tmpdir(), "hvs-drill-"));
  const backup = path.join(dir, "backup.db");
  const began = Date.now();
  const writtenBefore = writer.written.length;
  let output = "";
  try {
    // The previous backup restarted whenever another connection wrote and never finished: 90 s is plenty here.
    output = await new Promise<string>((resolve, reject) =>
      execFile(
        "npx",
        ["tsx", "scripts/db-backup.ts", backup, "--timeout", "80"],
        { env: { ...process.env, DATABASE_PATH: file }, timeout: 90_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
  } finally {
    writer.stop();
    await load.stop();
    await server.kill();
  }
  expect(writer.written.length).toBeGreaterThan(writtenBefore + 10); // writes continued during the backup
  expect(output).toContain("integrity_check: ok");
  expect(output).toContain("số dòng khớp");
  expect(statSync(backup).size).toBeGreaterThan(30 * 1024 * 1024);

  const restored = path.join(dir, "restored.db");
  expect(execFileSync("npx", ["tsx", "scripts/db-restore.ts", backup, restored]).toString()).toContain("integrity_check: ok");
  const db = new Database(restored, { readonly: true });
  const keys = new Set(db.prepare("select idempotency_key from quiz_attempt").pluck().all() as string[]);
  for (const ack of load.acknowledged.filter((a) => a.at < began)) expect(keys.has(ack.key)).toBe(true);
  const rows = new Set(db.prepare("select lesson_slug from lesson_progress where course_slug = 'ghi-deu'").pluck().all() as string[]);
  for (const row of writer.written.filter((w) => w.at < began)) expect(rows.has(row.slug)).toBe(true);
  expect(db.prepare("select count(*) from lesson_progress where course_slug = 'luu-tru'").pluck().get()).toBe(250_000);
  db.close();
});

test("clean stop: after SIGTERM the .db file alone holds every acknowledged attempt", async () => {
  test.setTimeout(120_000);
  const file = freshDatabase();
  const cookies = learnersReadyForQuiz(file, COURSE.slug, lessons, 10);
  const server = await startServer(file);
  const load = keepSubmitting(server.url, cookies);
  await load.waitFor(100);
  await load.stop();
  await server.kill("SIGTERM");
  // An operator copies only the .db file, as with any ordinary file.
  const copy = path.join(mkdtempSync(path.join(tmpdir(), "hvs-copy-")), "copy.db");
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  const keys = new Set(db.prepare("select idempotency_key from quiz_attempt").pluck().all() as string[]);
  db.close();
  const missing = load.acknowledged.filter((a) => !keys.has(a.key));
  expect(missing, "acknowledged attempts missing from the copied .db").toEqual([]);
});

test("another process holds the write lock: pages keep answering, a submission gets a 503 'thử lại sau ít phút', /readyz says why; all recover on release", async () => {
  test.setTimeout(120_000);
  const file = freshDatabase();
  const [cookie] = learnersReadyForQuiz(file, COURSE.slug, lessons, 1);
  const server = await startServer(file, { DB_WRITE_DEADLINE_MS: "1500", METRICS_TOKEN: OPERATOR_TOKEN });
  await fetch(`${server.url}/khoa-hoc/${COURSE.slug}`); // fill the page cache
  const other = new Database(file);
  other.exec("begin immediate"); // like a CLI import or the sqlite3 shell
  try {
    const order: string[] = [];
    const submission = submit(server.url, COURSE.slug, cookie, quizForm(RIGHT)).then((r) => (order.push("submission"), r));
    await new Promise((r) => setTimeout(r, 100));
    const page = fetch(`${server.url}/khoa-hoc/${COURSE.slug}`).then((r) => (order.push("anonymous page"), r));
    // A signed-in lesson view writes "last read": that write fails, the lesson is still shown.
    const lesson = fetch(`${server.url}/khoa-hoc/${COURSE.slug}/${lessons[0]}`, { headers: { Cookie: cookie }, redirect: "manual" }).then(
      (r) => (order.push("lesson"), r),
    );
    const [answered, anonymous, lessonPage] = await Promise.all([submission, page, lesson]);
    expect(anonymous.status).toBe(200);
    expect(lessonPage.status).toBe(200);
    expect(await lessonPage.text()).toContain(COURSE.lessons[0].title);
    expect(order.indexOf("anonymous page")).toBeLessThan(order.indexOf("submission")); // not stuck behind it
    expect(answered.status).toBe(503);
    expect(answered.headers.get("retry-after")).toBeTruthy();
    expect(await answered.text()).toContain("Hệ thống đang bận, vui lòng thử lại sau ít phút");

    const unready = await fetch(`${server.url}/readyz`);
    expect(unready.status).toBe(503);
    const body = await unready.json();
    expect(body.checks.database).toMatchObject({ ok: false, detail: "đang bị tiến trình khác khóa ghi" });
  } finally {
    other.exec("rollback");
    other.close();
  }
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect((await ready.json()).status).toBe("ready");
  const again = await submit(server.url, COURSE.slug, cookie, quizForm(RIGHT));
  expect(again.status).toBe(302);
  await server.kill();
  expect(server.logs.filter((l) => l.includes("cannot rollback"))).toEqual([]);
});

test("operator endpoints: /healthz is public; /readyz and /metrics only from this machine or with the token", async () => {
  const file = freshDatabase();
  const [cookie] = learnersReadyForQuiz(file, COURSE.slug, lessons, 1);
  const server = await startServer(file, { METRICS_TOKEN: OPERATOR_TOKEN });
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
  expect((await submit(server.url, COURSE.slug, cookie, quizForm(RIGHT))).status).toBe(302);
  await fetch(`${server.url}/khoa-hoc/${COURSE.slug}/${lessons[1]}`, { headers: { Cookie: cookie } });
  // Through a proxy (X-Forwarded-For) a request is not the operator's unless it carries the token.
  const proxied = { "X-Forwarded-For": "203.0.113.9" };
  for (const endpoint of ["/readyz", "/metrics"]) {
    const refused = await fetch(`${server.url}${endpoint}`, { headers: proxied });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("chỉ dành cho người vận hành");
    expect((await fetch(`${server.url}${endpoint}`, { headers: { ...proxied, Authorization: "Bearer wrong-token-0123456789abcd" } })).status).toBe(401);
    expect((await fetch(`${server.url}${endpoint}`, { headers: { ...proxied, Authorization: `Bearer ${OPERATOR_TOKEN}` } })).status).toBe(200);
  }
  const readyz = await (await fetch(`${server.url}/readyz`)).json();
  expect(readyz.status).toBe("ready");
  expect(Object.keys(readyz.checks)).toEqual(["database", "disk", "migrations", "backup"]);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/hvs_http_requests_total\{route="\/khoa-hoc\/:course\/:lesson",method="GET",status="200"\} 1/);
  expect(metrics).toMatch(/hvs_http_request_duration_seconds_count\{route="\/khoa-hoc\/:course\/kiem-tra",method="POST"\} 1/);
  expect(metrics).toContain("hvs_quiz_submissions_acknowledged_total 1");
  expect(metrics).toMatch(/hvs_group_commit_jobs_count \d+/);
  expect(metrics).toMatch(/hvs_sqlite_wal_bytes \d+/);
  expect(metrics).toMatch(/hvs_disk_free_bytes \d+/);
  await server.kill();
});

/** A small real file system (tmpfs) for the database, or null where mounting is not allowed. */
function smallDisk(megabytes: number): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), "hvs-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return null;
  }
}

test("full disk (a real 40 MB tmpfs): writes refused early with a clear 503, lessons readable, /readyz unready; space freed → WAL checkpointed, ready and writing again without a restart", async () => {
  test.setTimeout(120_000);
  const disk = smallDisk(40);
  test.skip(disk === null, "mount -t tmpfs is not allowed here (needs root): the threshold logic is covered by test/unit/operations.test.ts");
  const file = path.join(disk!, "app.db");
  copyFileSync(freshDatabase(), file);
  const cookies = learnersReadyForQuiz(file, COURSE.slug, lessons, 2);
  const server = await startServer(file, { MIN_FREE_DISK_MB: "8", DISK_WATCH_MS: "200", METRICS_TOKEN: OPERATOR_TOKEN });
  try {
    expect((await submit(server.url, COURSE.slug, cookies[0], quizForm(RIGHT))).status).toBe(302);
    // Fill the disk until less than the threshold is left.
    const ballast = path.join(disk!, "ballast");
    const free = () => {
      const s = statfsSync(disk!);
      return s.bavail * s.bsize;
    };
    writeFileSync(ballast, Buffer.alloc(Math.max(0, free() - 4 * 1024 * 1024)));
    expect(free()).toBeLessThan(8 * 1024 * 1024);
    // The guard reads free space at most every 200 ms; /readyz reads it now.
    const unready = await fetch(`${server.url}/readyz`);
    expect(unready.status).toBe(503);
    expect((await unready.json()).checks.disk.ok).toBe(false);

    const refused = await submit(server.url, COURSE.slug, cookies[1], quizForm(RIGHT));
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain("bộ nhớ sắp đầy");
    const lesson = await fetch(`${server.url}/khoa-hoc/${COURSE.slug}/${lessons[0]}`, { headers: { Cookie: cookies[1] }, redirect: "manual" });
    expect(lesson.status).toBe(200);

    rmSync(ballast);
    let wal = -1;
    for (let i = 0; i < 50 && wal !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    }
    expect(wal, "the WAL is folded in and truncated once space returns").toBe(0);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await submit(server.url, COURSE.slug, cookies[1], quizForm(RIGHT))).status).toBe(302);
  } finally {
    await server.kill();
    execFileSync("umount", [disk!]);
  }
  const logs = server.logs.join("\n");
  expect(logs).not.toContain("cannot rollback");
  expect(server.logs.filter((l) => l.includes("disk-full")).length).toBeLessThanOrEqual(3); // once per burst and source
});

test("an empty or un-migrated database: the server refuses to start and names the command, instead of answering 500s", async () => {
  const folder = mkdtempSync(path.join(tmpdir(), "hvs-empty-"));
  for (const [name, prepare] of [
    ["empty.db", () => undefined],
    [
      "migrated-only.db",
      (file: string) =>
        execFileSync(
          "npx",
          [
            "tsx",
            "-e",
            `import("./db/database").then(async (m) => { const { db } = m.openDatabase(${JSON.stringify(file)}); await m.migrateToLatest(db); await db.destroy(); })`,
          ],
          { stdio: "ignore" },
        ),
    ],
  ] as const) {
    const file = path.join(folder, name);
    prepare(file);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        "node",
        ["build/index.js"],
        { env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: file, PORT: "0", HOST: "127.0.0.1" }, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: child.exitCode ?? (error as { code?: number } | null)?.code ?? null, stderr }),
      );
    });
    expect(run.code, name).toBe(1);
    expect(run.stderr).toContain("Không khởi động");
    expect(run.stderr).toContain("Not starting");
    expect(run.stderr).toContain("npm run setup");
  }
});
