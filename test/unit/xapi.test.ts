import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import { databaseBefore, makePerson, useTempDatabase } from "./support/db";

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
    const { db } = await import("~/db.server");
    const { recordQuizStatements } = await import("~/records/xapi.server");
    const { statementsInPeriod } = await import("~/records/xapi-outbox.server");
    // A quiz answer writes no statement on its way (decision 034): the sender builds them from the attempts.
    expect((await outbox()).map((r) => r.verb).sort()).toEqual(["registered", "registered", "experienced", "experienced", "completed", "attended"].sort());
    const thisMonth = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7); // Vietnam time
    const exportedBefore = (await statementsInPeriod(thisMonth))!.filter((s) => s.object.id.endsWith("/kiem-tra"));
    expect(exportedBefore.map((s) => s.verb.display["en-US"]).sort()).toEqual(["attempted", "attempted", "failed", "passed"]);
    expect(await recordQuizStatements(db())).toBe(2); // two attempts; the retry stored none
    expect(await recordQuizStatements(db())).toBe(0); // built once
    const rows = await outbox();
    // The export gave, before they were built, exactly the statements the sender then built and will send.
    expect(rows.filter((r) => r.attempt_id !== null).map((r) => JSON.parse(r.statement))).toEqual(expect.arrayContaining(exportedBefore));
    expect(rows.filter((r) => r.attempt_id !== null)).toHaveLength(4);
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
    const { db } = await import("~/db.server");
    const { recordQuizStatements } = await import("~/records/xapi.server");
    const before = (await outbox()).length;
    const person = await makePerson();
    // Sequential course, no lesson done: the attempt is refused, so no statement either, then or when sending.
    expect((await attempts.submitAttempt(person, findCourse("lam-quen")!, attempts.newIdempotencyKey(), {})).kind).toBe("locked");
    expect(await recordQuizStatements(db())).toBe(0);
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

// Decision 034: a quiz answer's statements are built from the committed attempt when they are sent.
describe("quiz statements built at send time", () => {
  async function storedAttempt(personId: string, id: number, submittedAt: string, openedAt: string | null = null) {
    const { db } = await import("~/db.server");
    await db()
      .insertInto("quiz_attempt")
      .values({
        id,
        person_id: personId,
        course_slug: "lam-quen",
        idempotency_key: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
        submitted_at: submittedAt,
        opened_at: openedAt,
        correct_count: 1,
        question_count: 2,
        percent: 50,
        passed: 0,
        content_version: "v",
        supervised_by: null,
      })
      .execute();
  }
  async function builtFor(id: number) {
    const { db } = await import("~/db.server");
    return db().selectFrom("xapi_outbox").select(["id", "verb", "statement"]).where("attempt_id", "=", id).orderBy("verb").execute();
  }
  async function cursor() {
    const { db } = await import("~/db.server");
    return Number((await db().selectFrom("xapi_source_cursor").select("last_id").where("source", "=", "quiz_attempt").executeTakeFirstOrThrow()).last_id);
  }

  it("names each statement with a version-5 UUID, the same every time it is built", async () => {
    const { nameBasedUuid, attemptStatements } = await import("~/records/xapi.server");
    // RFC 4122 name-based ids, as Python's uuid.uuid5(uuid.NAMESPACE_URL, name) gives them.
    expect(nameBasedUuid("http://www.example.com/")).toBe("fcde3c85-2270-590f-9e7c-ee003d65e0e2");
    expect(nameBasedUuid("https://hocvuso.tayninh.gov.vn/xapi/quiz-attempt/ngườihọc/k/attempted")).toBe("c4ad0ee4-ce39-5fb3-8298-1845e777faca");
    const attempt = {
      id: 7,
      person_id: "ngườihọc",
      course_slug: "lam-quen",
      idempotency_key: "k",
      submitted_at: "2026-11-30T02:00:00.000Z",
      opened_at: "2026-11-30T01:58:30.000Z",
      correct_count: 1,
      question_count: 2,
      passed: 1,
    };
    const first = await attemptStatements(attempt);
    expect(first.map((w) => w.statement.id)).toEqual([
      "c4ad0ee4-ce39-5fb3-8298-1845e777faca",
      nameBasedUuid("https://hocvuso.tayninh.gov.vn/xapi/quiz-attempt/ngườihọc/k/passed"),
    ]);
    expect(first.map((w) => [w.verb, w.statement.timestamp])).toEqual([
      ["attempted", "2026-11-30T01:58:30.000Z"],
      ["passed", "2026-11-30T02:00:00.000Z"],
    ]);
    expect(first[1].statement.result).toEqual({ score: { raw: 1, min: 0, max: 2, scaled: 0.5 }, success: true, completion: true, duration: "PT1M30S" });
    expect(await attemptStatements(attempt)).toEqual(first);
    // Another attempt (another form) of the same person: other ids.
    const other = await attemptStatements({ ...attempt, idempotency_key: "k2", opened_at: null, passed: 0 });
    expect(other.map((w) => w.verb)).toEqual(["attempted", "failed"]);
    expect(other[0].statement.timestamp).toBe("2026-11-30T02:00:00.000Z"); // no opening time: the answer's
    expect(other[1].statement.result).not.toHaveProperty("duration");
    expect(new Set([...first, ...other].map((w) => w.statement.id)).size).toBe(4);
  });

  it("moves its cursor only past attempts an hour old, so one that commits late with a lower id is still sent", async () => {
    const { db } = await import("~/db.server");
    const { recordQuizStatements } = await import("~/records/xapi.server");
    await recordQuizStatements(db());
    const person = await makePerson();
    const now = Date.parse("2026-12-02T05:00:00.000Z");
    const start = await cursor();
    // Ids far above the sequence, chosen by hand: 1,000,001 is two hours old, 1,000,003 a minute old.
    await storedAttempt(person, 1_000_001, "2026-12-02T03:00:00.000Z");
    await storedAttempt(person, 1_000_003, "2026-12-02T04:59:00.000Z");
    expect(await recordQuizStatements(db(), now)).toBe(2);
    expect(await cursor()).toBe(1_000_001);
    // 1,000,002 took its id before 1,000,003 but committed after the sender ran (PostgreSQL can do this).
    await storedAttempt(person, 1_000_002, "2026-12-02T04:58:00.000Z");
    expect(await recordQuizStatements(db(), now + 60_000)).toBe(1);
    expect((await builtFor(1_000_002)).map((r) => r.verb)).toEqual(["attempted", "failed"]);
    expect(await cursor()).toBe(1_000_001);
    // An hour later all three are old enough: the cursor passes them and nothing is built twice.
    expect(await recordQuizStatements(db(), now + 3_600_000)).toBe(0);
    expect(await cursor()).toBe(1_000_003);
    for (const id of [1_000_001, 1_000_002, 1_000_003]) expect(await builtFor(id)).toHaveLength(2);
    expect(start).toBeLessThan(1_000_001);
    // Ids chosen by hand are above what PostgreSQL's sequence gives next: put the cursor back for the next tests.
    await db().updateTable("xapi_source_cursor").set({ last_id: start }).where("source", "=", "quiz_attempt").execute();
  });

  it("xapi:send builds a new answer's statements and delivers them, once", async () => {
    const { findCourse } = await import("~/courses/catalog.server");
    const attempts = await import("~/learning/attempts.server");
    const progress = await import("~/learning/progress.server");
    const { sendPending } = await import("~/records/xapi-outbox.server");
    const config = { endpoint: lrs.url, username: "tinh-tay-ninh", password: "mat-khau-lrs" };
    const course = findCourse("lam-quen")!;
    const person = await makePerson();
    for (const lesson of course.lessons) await progress.completeLesson(person, course, lesson.slug);
    const key = attempts.newIdempotencyKey();
    const opened = new Date(Date.now() - 42_000).toISOString();
    await attempts.submitAttempt(person, course, key, { otp: ["b"], "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh": ["a", "b"] }, null, undefined, opened);
    const storedBefore = lrs.stored.size;
    const report = await sendPending(config);
    expect(report).toMatchObject({ failed: 0, error: null });
    const quizIds = [...lrs.stored.values()].filter((s) => s.object.id.endsWith("/kiem-tra") && /^PT4[23](\.\d+)?S$/.test(s.result?.duration ?? ""));
    expect(quizIds.map((s) => s.verb.display["en-US"])).toEqual(["passed"]);
    expect(lrs.stored.size).toBe(storedBefore + report.sent);
    expect(report.sent).toBeGreaterThanOrEqual(2); // the answer's two, with the lesson views and completion
    expect((await sendPending(config)).sent).toBe(0);
    expect(lrs.problems).toEqual([]);
  });

  it("builds nothing for the attempts of an account deleted before sending, and the export leaves them out", async () => {
    const { db } = await import("~/db.server");
    const { recordQuizStatements } = await import("~/records/xapi.server");
    const { statementsInPeriod } = await import("~/records/xapi-outbox.server");
    const { deletePerson } = await import("~/accounts/people.server");
    await recordQuizStatements(db());
    const person = await makePerson();
    await storedAttempt(person, 2_000_001, "2025-06-10T03:00:00.000Z", "2025-06-10T02:59:00.000Z");
    expect((await statementsInPeriod("2025-06"))!.map((s) => s.verb.display["en-US"])).toEqual(["attempted", "failed"]);
    await deletePerson(person);
    expect(await statementsInPeriod("2025-06")).toEqual([]);
    expect(await recordQuizStatements(db())).toBe(0);
  });

  it("an attempt's statements fall in the Vietnam-time period of their own times", async () => {
    const { statementsInPeriod } = await import("~/records/xapi-outbox.server");
    const person = await makePerson();
    // Opened at 23:59 on 31/03 and answered at 00:01 on 01/04, Vietnam time: one statement in each month.
    await storedAttempt(person, 3_000_001, "2025-03-31T17:01:00.000Z", "2025-03-31T16:59:00.000Z");
    expect((await statementsInPeriod("2025-03"))!.map((s) => [s.verb.display["en-US"], s.timestamp])).toEqual([["attempted", "2025-03-31T16:59:00.000Z"]]);
    expect((await statementsInPeriod("2025-04"))!.map((s) => [s.verb.display["en-US"], s.timestamp])).toEqual([["failed", "2025-03-31T17:01:00.000Z"]]);
  });
});

describe("migration 0020 on a database with answers", () => {
  it("does not build again the statements that answers stored before it had already written", async () => {
    const { recordQuizStatements } = await import("~/records/xapi.server");
    const { db, sqlite, migrator } = await databaseBefore("0019-session-expiry-index", "before-0020.db");
    for (const id of [1, 2]) {
      sqlite
        .prepare(
          `insert into quiz_attempt (id, person_id, course_slug, idempotency_key, submitted_at, correct_count, question_count, percent, passed, content_version)
           values (?, 'p1', 'lam-quen', ?, '2026-11-01T00:00:00.000Z', 1, 2, 50, 0, 'v')`,
        )
        .run(id, `key-${id}`);
      for (const verb of ["attempted", "failed"]) {
        sqlite
          .prepare("insert into xapi_outbox (id, person_id, verb, statement, timestamp) values (?, 'p1', ?, '{}', '2026-11-01T00:00:00.000Z')")
          .run(`old-${id}-${verb}`, verb);
      }
    }
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect(sqlite.prepare("select last_id from xapi_source_cursor where source = 'quiz_attempt'").pluck().get()).toBe(2);
    expect(await recordQuizStatements(db)).toBe(0);
    expect(sqlite.prepare("select count(*) from xapi_outbox").pluck().get()).toBe(4);
    sqlite.close();
  });
});
