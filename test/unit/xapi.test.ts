import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import { makePerson, useTempDatabase } from "./support/db";

// Part 2 of issue 20: every learning event leaves an xAPI 1.0.3 statement, written by the learning code itself;
// each statement kind validates against the xAPI statement schema kept in docs/schemas (Rustici's TinCanSchema);
// a real HTTP "LRS" started here checks the headers xAPI requires and receives each statement exactly once, also
// after it answered 503; the export for the period holds the same statements.

const SCHEMA_DIR = "docs/schemas/xapi-1.0.1";
const BASE = "https://xapi-schema.test/";

/**
 * The schema's draft-04 parts name themselves with `id: "#name"` and refer to each other by "#name"; Ajv 8
 * reads those names as `$id`s under one base address. Nothing else in the published schema is changed.
 */
function xapiValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  const formats = JSON.parse(readFileSync(path.join(SCHEMA_DIR, "formats.json"), "utf8")) as Record<string, string>;
  for (const [name, pattern] of Object.entries(formats)) ajv.addFormat(name, new RegExp(pattern)); // written for JavaScript without the u flag, as the Tin Can Validator uses them
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$schema") continue;
      if (key === "id" && typeof value === "string" && value.startsWith("#")) out.$id = BASE + encodeURIComponent(value.slice(1));
      else if (key === "$ref" && typeof value === "string" && value.startsWith("#")) out.$ref = BASE + encodeURIComponent(value.slice(1));
      else out[key] = rename(value);
    }
    return out;
  };
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".json") && f !== "formats.json")) {
    ajv.addSchema(rename(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), "utf8"))) as object);
  }
  return ajv.getSchema(`${BASE}statement`)!;
}

type Received = { headers: IncomingMessage["headers"]; statements: any[] };

/** A small LRS: checks version header, basic auth and ids; answers 503 to the first `failFirst` requests. */
function startLrs(failFirst: number): Promise<{ server: Server; url: string; received: Received[]; stored: Map<string, any>; problems: string[] }> {
  const received: Received[] = [];
  const stored = new Map<string, any>();
  const problems: string[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      requests += 1;
      if (req.headers["x-experience-api-version"] !== "1.0.3") problems.push(`version header: ${req.headers["x-experience-api-version"]}`);
      if (req.headers.authorization !== `Basic ${Buffer.from("tinh-tay-ninh:mat-khau-lrs").toString("base64")}`) {
        res.writeHead(401).end();
        return;
      }
      if (requests <= failFirst) {
        res.writeHead(503).end("busy");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const statements = Array.isArray(body) ? body : [body];
      received.push({ headers: req.headers, statements });
      for (const s of statements) {
        if (typeof s.id !== "string") problems.push("statement without id");
        if (stored.has(s.id)) problems.push(`duplicate ${s.id}`);
        stored.set(s.id, s);
      }
      res.writeHead(200, { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" }).end(JSON.stringify(statements.map((s) => s.id)));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`, received, stored, problems }),
    ),
  );
}

let lrs: Awaited<ReturnType<typeof startLrs>>;

beforeAll(async () => {
  process.env.PUBLIC_URL = "https://hocvuso.tayninh.gov.vn";
  await useTempDatabase();
  lrs = await startLrs(1);
});

afterAll(() => new Promise<void>((resolve) => lrs.server.close(() => resolve())));

async function outbox() {
  const { db } = await import("~/db.server");
  return db().selectFrom("xapi_outbox").selectAll().orderBy("timestamp").orderBy("id").execute();
}

/** Drives one learner through every kind of event with the app's own modules. */
async function learnEverything() {
  const { findCourse } = await import("~/courses/catalog.server");
  const progress = await import("~/learning/progress.server");
  const attempts = await import("~/learning/attempts.server");
  const cohorts = await import("~/cohorts/cohorts.server");
  const enrollment = await import("~/cohorts/enrollment.server");
  const { db, nowIso } = await import("~/db.server");
  const course = findCourse("lam-quen")!;
  const learner = await makePerson({ username: "0912345678", fullName: "Trần Văn Học" });
  const trainerId = await makePerson();
  await db().insertInto("person_role").values({ person_id: trainerId, role: "trainer", scope: "", granted_by: null, granted_at: nowIso() }).execute();
  const trainer: SessionUser = {
    id: trainerId,
    sessionId: "s",
    username: "t",
    fullName: "Người hướng dẫn",
    kind: "citizen",
    communeCode: "25459",
    agencyCode: null,
    mustChangePassword: false,
    roles: [{ role: "trainer", scope: "" }],
    supervisedBy: null,
  };
  const created = await cohorts.createCohort(trainerId, { name: "Lớp ấp Một", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
  if (!created.ok) throw new Error("cohort");
  const cohort = await cohorts.requireCohort(trainer, String(created.id));
  const joinCode = (await db().selectFrom("cohort").select("join_code").where("id", "=", cohort.id).executeTakeFirstOrThrow()).join_code;

  expect((await cohorts.joinByCode(learner, joinCode)).ok).toBe(true); // registered (cohort)
  await progress.recordLessonView(learner, course.slug, course.lessons[0].slug); // registered (course) + experienced
  await progress.recordLessonView(learner, course.slug, course.lessons[0].slug); // nothing new
  for (const lesson of course.lessons) await progress.completeLesson(learner, course, lesson.slug); // experienced lesson 2
  const opened = new Date(Date.now() - 95_000).toISOString();
  const wrong = { otp: ["a"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a"] };
  const right = { otp: ["b"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] };
  expect(await attempts.submitAttempt(learner, course, attempts.newIdempotencyKey(), wrong, null, undefined, opened)).toMatchObject({ passed: false });
  const passKey = attempts.newIdempotencyKey();
  expect(await attempts.submitAttempt(learner, course, passKey, right)).toMatchObject({ passed: true, completedCourse: true });
  await attempts.submitAttempt(learner, course, passKey, right); // a retry: no new statements
  const session = await enrollment.recordSession(trainerId, cohort, { held_on: "2026-11-20", place: "Nhà văn hóa ấp 3", topic: "Cài VNeID" }, [learner]);
  expect(session.ok).toBe(true);
  return { learner };
}

describe("xAPI statements", () => {
  it("records one statement per learning event, in the event's transaction, and each kind validates against the xAPI schema", async () => {
    const { learner } = await learnEverything();
    const rows = await outbox();
    expect(rows.map((r) => r.verb).sort()).toEqual(
      ["registered", "registered", "experienced", "experienced", "attempted", "failed", "attempted", "passed", "completed", "attended"].sort(),
    );
    const validate = xapiValidator();
    const kinds = new Set<string>();
    for (const row of rows) {
      const statement = JSON.parse(row.statement);
      const ok = validate(statement);
      expect(validate.errors ?? [], `${row.verb}: ${JSON.stringify(validate.errors)}`).toEqual([]);
      expect(ok).toBe(true);
      kinds.add(row.verb);
      expect(statement.verb.id).toBe(`http://adlnet.gov/expapi/verbs/${row.verb}`);
      // The learner is an opaque account on the site: no phone, no name, no internal id.
      expect(statement.actor).toEqual({
        objectType: "Agent",
        account: { homePage: "https://hocvuso.tayninh.gov.vn/", name: expect.stringMatching(/^[0-9a-f]{32}$/) },
      });
      expect(row.statement).not.toContain("0912345678");
      expect(row.statement).not.toContain("Trần Văn Học");
      expect(row.statement).not.toContain(learner);
    }
    expect(kinds.size).toBe(7);
    const failed = JSON.parse(rows.find((r) => r.verb === "failed")!.statement);
    expect(failed.result).toEqual({
      score: { raw: 0, min: 0, max: 2, scaled: 0 },
      success: false,
      completion: true,
      duration: expect.stringMatching(/^PT1M3[45](\.\d+)?S$/),
    });
    const passed = JSON.parse(rows.find((r) => r.verb === "passed")!.statement);
    expect(passed.result).toMatchObject({ score: { raw: 2, max: 2, scaled: 1 }, success: true });
    expect(passed.object.id).toBe("https://hocvuso.tayninh.gov.vn/khoa-hoc/lam-quen/kiem-tra");
    const attended = JSON.parse(rows.find((r) => r.verb === "attended")!.statement);
    expect(attended.timestamp).toBe("2026-11-19T17:00:00.000Z"); // 20/11/2026, Vietnam time
    // The schema really checks: a statement without an actor does not pass.
    expect(validate({ ...failed, actor: undefined })).toBe(false);
  });

  it("nothing is recorded for an event that did not commit", async () => {
    const { findCourse } = await import("~/courses/catalog.server");
    const attempts = await import("~/learning/attempts.server");
    const before = (await outbox()).length;
    const person = await makePerson();
    // Sequential course, no lesson done: the attempt is refused, so no statement either.
    expect((await attempts.submitAttempt(person, findCourse("lam-quen")!, attempts.newIdempotencyKey(), {})).kind).toBe("locked");
    expect((await outbox()).length).toBe(before);
  });

  it("reaches the LRS exactly once, with the required headers, also after a 503; the export holds the same statements", async () => {
    const { sendDueStatements, retryDelayMs, statementsInPeriod } = await import("~/records/xapi-outbox.server");
    const config = { endpoint: lrs.url, username: "tinh-tay-ninh", password: "mat-khau-lrs" };
    const all = await outbox();
    const now = Date.now();

    const first = await sendDueStatements(config, now); // the LRS answers 503
    expect(first).toMatchObject({ sent: 0, error: "HTTP 503" });
    expect((await outbox()).every((r) => r.sent_at === null && r.attempts === 1 && r.next_attempt_at === now + retryDelayMs(1))).toBe(true);
    expect(await sendDueStatements(config, now + 1000)).toMatchObject({ sent: 0, failed: 0 }); // backing off: nothing due yet

    let sent = 0;
    for (let round = 0; round < 5; round++) sent += (await sendDueStatements(config, now + retryDelayMs(1))).sent;
    expect(sent).toBe(all.length);
    expect(lrs.problems).toEqual([]);
    expect(lrs.stored.size).toBe(all.length);
    expect([...lrs.stored.keys()].sort()).toEqual(all.map((r) => r.id).sort());
    for (const request of lrs.received) {
      expect(request.headers["x-experience-api-version"]).toBe("1.0.3");
      expect(request.headers["content-type"]).toBe("application/json");
    }
    expect((await outbox()).every((r) => r.sent_at !== null)).toBe(true);
    expect(await sendDueStatements(config, now + 10 * retryDelayMs(1))).toMatchObject({ sent: 0 }); // nothing twice

    const period = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7); // this month, Vietnam time
    const exported = [...((await statementsInPeriod(period)) ?? []), ...((await statementsInPeriod("2026-11")) ?? [])];
    const unique = new Map(exported.map((s) => [s.id, s]));
    expect(unique.size).toBe(lrs.stored.size);
    for (const [id, statement] of unique) expect(statement).toEqual(lrs.stored.get(id));
    expect(await statementsInPeriod("2026-13")).toBeNull();
  });

  it("writes durations and Vietnam-time periods as xAPI and people expect", async () => {
    const { isoDuration } = await import("~/records/xapi.server");
    const { periodBounds } = await import("~/records/xapi-outbox.server");
    expect(isoDuration(95_000)).toBe("PT1M35S");
    expect(isoDuration(3_723_450)).toBe("PT1H2M3.45S");
    expect(isoDuration(0)).toBe("PT0S");
    expect(periodBounds("2026-03")).toEqual({ from: "2026-02-28T17:00:00.000Z", to: "2026-03-31T17:00:00.000Z" });
    expect(periodBounds("2026")).toEqual({ from: "2025-12-31T17:00:00.000Z", to: "2026-12-31T17:00:00.000Z" });
  });
});
