import { createHash, randomUUID } from "node:crypto";
import type { Insertable, Kysely, Transaction } from "kysely";
import { findCourse } from "~/courses/catalog.server";
import { preparedQuery } from "~/db.server";
import type { DB, XapiOutboxTable } from "../../db/schema";
import { learnerPseudonym, publicOrigin } from "./origin.server";

// xAPI 1.0.3 statements for every learning event (decision 023). Each is built and written to `xapi_outbox`
// by one call at the place the event happens, inside that event's own transaction: a statement exists if and
// only if the event was committed. `npm run xapi:send` forwards them later (xapi-outbox.server.ts).
// Quiz answers, the busiest write, are the exception (decision 034): the committed attempt row is their record,
// and their two statements are built from it when they are sent, with ids derived from the attempt.

const ADL = "http://adlnet.gov/expapi";
export const VERBS = {
  registered: { id: `${ADL}/verbs/registered`, display: { "vi-VN": "đã đăng ký", "en-US": "registered" } },
  experienced: { id: `${ADL}/verbs/experienced`, display: { "vi-VN": "đã học", "en-US": "experienced" } },
  attempted: { id: `${ADL}/verbs/attempted`, display: { "vi-VN": "đã làm bài", "en-US": "attempted" } },
  passed: { id: `${ADL}/verbs/passed`, display: { "vi-VN": "đã đạt", "en-US": "passed" } },
  failed: { id: `${ADL}/verbs/failed`, display: { "vi-VN": "chưa đạt", "en-US": "failed" } },
  completed: { id: `${ADL}/verbs/completed`, display: { "vi-VN": "đã hoàn thành", "en-US": "completed" } },
  attended: { id: `${ADL}/verbs/attended`, display: { "vi-VN": "đã tham dự", "en-US": "attended" } },
} as const;
export type VerbName = keyof typeof VERBS;

const PLATFORM = "Học vụ số Tây Ninh";

export type LearningEvent =
  | { kind: "started-course"; personId: string; courseSlug: string; at: string }
  | { kind: "joined-cohort"; personId: string; cohortId: number; at: string }
  | { kind: "viewed-lesson"; personId: string; courseSlug: string; lessonSlug: string; at: string }
  | { kind: "completed-course"; personId: string; courseSlug: string; at: string }
  | { kind: "attended-session"; personIds: string[]; sessionId: number };

type Executor = Kysely<DB> | Transaction<DB>;
type Activity = { objectType: "Activity"; id: string; definition: { name: Record<string, string>; type?: string; description?: Record<string, string> } };
export type Statement = {
  id: string;
  actor: { objectType: "Agent"; account: { homePage: string; name: string } };
  verb: (typeof VERBS)[VerbName];
  object: Activity;
  result?: { score?: { raw: number; min: number; max: number; scaled: number }; success?: boolean; completion?: boolean; duration?: string };
  context: { platform: string; language: string; contextActivities?: { parent?: Activity[]; grouping?: Activity[] } };
  timestamp: string;
};

type OutboxRow = Pick<Insertable<XapiOutboxTable>, "id" | "person_id" | "verb" | "statement" | "timestamp">;

// A first lesson view, the busiest event left here, is one statement compiled once (db/prepared.ts).
const insertOne = preparedQuery((db, row: OutboxRow) => db.insertInto("xapi_outbox").values(row));

/** Writes the statements for one learning event into the outbox, with the caller's transaction. */
export async function recordLearningEvent(trx: Executor, event: LearningEvent): Promise<void> {
  const rows = (await statementsFor(trx, event)).map(outboxRow);
  if (rows.length === 1) await insertOne(trx, rows[0]);
  else if (rows.length > 1) await trx.insertInto("xapi_outbox").values(rows).execute();
}

function outboxRow({ personId, verb, statement }: Written): OutboxRow {
  return { id: statement.id, person_id: personId, verb, statement: JSON.stringify(statement), timestamp: statement.timestamp };
}

type Written = { personId: string; verb: VerbName; statement: Statement };

async function statementsFor(trx: Executor, event: LearningEvent): Promise<Written[]> {
  const origin = publicOrigin();
  switch (event.kind) {
    case "started-course":
      return [await one(event.personId, "registered", courseActivity(origin, event.courseSlug), event.at)];
    case "joined-cohort":
      return [await one(event.personId, "registered", await cohortActivity(trx, origin, event.cohortId), event.at)];
    case "viewed-lesson":
      return [
        await one(event.personId, "experienced", lessonActivity(origin, event.courseSlug, event.lessonSlug), event.at, undefined, {
          parent: [courseActivity(origin, event.courseSlug)],
        }),
      ];
    case "completed-course":
      return [await one(event.personId, "completed", courseActivity(origin, event.courseSlug), event.at, { completion: true })];
    case "attended-session": {
      const session = await trx
        .selectFrom("training_session")
        .select(["id", "cohort_id", "held_on", "topic", "place"])
        .where("id", "=", event.sessionId)
        .executeTakeFirstOrThrow();
      const activity: Activity = {
        objectType: "Activity",
        id: `${origin}/lop-hoc/${session.cohort_id}/buoi-hoc/${session.id}`,
        definition: {
          name: { "vi-VN": session.topic },
          description: { "vi-VN": `Buổi học trực tiếp tại ${session.place}` },
          type: `${ADL}/activities/meeting`,
        },
      };
      const grouping = { grouping: [await cohortActivity(trx, origin, session.cohort_id)] };
      // The day it was held, at midnight Vietnam time: the session record has a date, not a time.
      const at = new Date(`${session.held_on}T00:00:00+07:00`).toISOString();
      return Promise.all(event.personIds.map((personId) => one(personId, "attended", activity, at, undefined, grouping)));
    }
  }
}

async function one(
  personId: string,
  verb: VerbName,
  object: Activity,
  timestamp: string,
  result?: Statement["result"],
  contextActivities?: Statement["context"]["contextActivities"],
  id: string = randomUUID(),
): Promise<Written> {
  const statement: Statement = {
    id,
    actor: await actor(personId),
    verb: VERBS[verb],
    object,
    ...(result ? { result } : {}),
    context: { platform: PLATFORM, language: "vi-VN", ...(contextActivities ? { contextActivities } : {}) },
    timestamp,
  };
  return { personId, verb, statement };
}

/** The learner as an account on this site: an opaque id, never a name, e-mail or phone number. */
async function actor(personId: string): Promise<Statement["actor"]> {
  return { objectType: "Agent", account: { homePage: `${publicOrigin()}/`, name: await learnerPseudonym(personId) } };
}

function courseActivity(origin: string, slug: string): Activity {
  const course = findCourse(slug);
  return {
    objectType: "Activity",
    id: `${origin}/khoa-hoc/${slug}`,
    definition: { name: { "vi-VN": course?.title ?? slug }, type: `${ADL}/activities/course` },
  };
}

function lessonActivity(origin: string, courseSlug: string, lessonSlug: string): Activity {
  const lesson = findCourse(courseSlug)?.lessons.find((l) => l.slug === lessonSlug);
  return {
    objectType: "Activity",
    id: `${origin}/khoa-hoc/${courseSlug}/${lessonSlug}`,
    definition: { name: { "vi-VN": lesson?.title ?? lessonSlug }, type: `${ADL}/activities/lesson` },
  };
}

function quizActivity(origin: string, courseSlug: string): Activity {
  const course = findCourse(courseSlug);
  return {
    objectType: "Activity",
    id: `${origin}/khoa-hoc/${courseSlug}/kiem-tra`,
    definition: { name: { "vi-VN": `Bài kiểm tra: ${course?.title ?? courseSlug}` }, type: `${ADL}/activities/assessment` },
  };
}

async function cohortActivity(trx: Executor, origin: string, cohortId: number): Promise<Activity> {
  const cohort = await trx.selectFrom("cohort").select("name").where("id", "=", cohortId).executeTakeFirst();
  return { objectType: "Activity", id: `${origin}/lop-hoc/${cohortId}`, definition: { name: { "vi-VN": cohort?.name ?? `Lớp ${cohortId}` } } };
}

/** Milliseconds as an ISO 8601 duration with at most 2 decimals of seconds (xAPI 1.0.3 §4.6): "PT4M5.2S". */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 10)) / 100; // seconds, 2 decimals
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = Math.round((total - hours * 3600 - minutes * 60) * 100) / 100;
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds || (!hours && !minutes) ? `${seconds}S` : ""}`;
}

// ---------------------------------------------------------------------------------------------------------
// Quiz attempts (decision 034): statements built from the committed attempt, when they are sent or exported.

/** The stored attempt fields its statements are built from. */
export type AttemptRecord = {
  id: number;
  person_id: string;
  course_slug: string;
  idempotency_key: string;
  submitted_at: string;
  opened_at: string | null;
  correct_count: number;
  question_count: number;
  passed: number;
};

const ATTEMPT_FIELDS = ["id", "person_id", "course_slug", "idempotency_key", "submitted_at", "opened_at", "correct_count", "question_count", "passed"] as const;

// RFC 4122's URL namespace: statement ids are name-based (version 5) UUIDs of an address naming the attempt.
const URL_NAMESPACE = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");

/** A version-5 UUID (RFC 4122 §4.3): the same name always gives the same id, so a rebuilt statement is the same statement. */
export function nameBasedUuid(name: string): string {
  const hash = createHash("sha1").update(URL_NAMESPACE).update(name, "utf8").digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The two statements of one quiz attempt: `attempted` at the time the form was opened, then `passed` or `failed`. */
export async function attemptStatements(attempt: AttemptRecord): Promise<Written[]> {
  const origin = publicOrigin();
  const quiz = quizActivity(origin, attempt.course_slug);
  const parent = { parent: [courseActivity(origin, attempt.course_slug)] };
  const { correct_count: correct, question_count: questions } = attempt;
  const passed = attempt.passed === 1;
  const result = {
    score: { raw: correct, min: 0, max: questions, scaled: questions ? Math.round((correct / questions) * 1000) / 1000 : 0 },
    success: passed,
    completion: true,
    ...(attempt.opened_at ? { duration: isoDuration(Date.parse(attempt.submitted_at) - Date.parse(attempt.opened_at)) } : {}),
  };
  // The person and the form's key name the attempt for good (attempt ids restart with a new database).
  const name = (verb: VerbName) => `${origin}/xapi/quiz-attempt/${attempt.person_id}/${attempt.idempotency_key}/${verb}`;
  const outcome: VerbName = passed ? "passed" : "failed";
  return [
    await one(attempt.person_id, "attempted", quiz, attempt.opened_at ?? attempt.submitted_at, undefined, parent, nameBasedUuid(name("attempted"))),
    await one(attempt.person_id, outcome, quiz, attempt.submitted_at, result, parent, nameBasedUuid(name(outcome))),
  ];
}

const QUIZ_SOURCE = "quiz_attempt";
const BUILD_BATCH = 200;
// An attempt's id is taken before its transaction commits, so on PostgreSQL a lower id can appear after a higher
// one. The cursor only moves past attempts submitted this long ago; newer ones are found by what has no statement.
export const CURSOR_LAG_MS = 3_600_000;

/** Attempts after the cursor that have no statements yet, oldest first. */
function attemptsWithoutStatements(executor: Executor, cursor: number, limit: number, submittedBefore?: string) {
  let query = executor
    .selectFrom("quiz_attempt as a")
    .select(ATTEMPT_FIELDS.map((f) => `a.${f}` as const))
    .where("a.id", ">", cursor)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("xapi_outbox as o").select("o.id").whereRef("o.attempt_id", "=", "a.id"))));
  if (submittedBefore) query = query.where("a.submitted_at", "<", submittedBefore);
  return query.orderBy("a.id").limit(limit).execute();
}

async function quizCursor(executor: Executor): Promise<number> {
  const row = await executor.selectFrom("xapi_source_cursor").select("last_id").where("source", "=", QUIZ_SOURCE).executeTakeFirst();
  return Number(row?.last_id ?? 0);
}

/**
 * Writes the statements of every committed quiz attempt that has none yet into the outbox (the sender calls it
 * before each batch). Each batch is one transaction; running it twice, or from two senders, writes nothing twice.
 */
export async function recordQuizStatements(executor: Kysely<DB>, now = Date.now()): Promise<number> {
  let written = 0;
  for (;;) {
    const built = await executor.transaction().execute(async (trx) => {
      const attempts = await attemptsWithoutStatements(trx, await quizCursor(trx), BUILD_BATCH);
      const rows: Insertable<XapiOutboxTable>[] = [];
      for (const attempt of attempts) {
        for (const w of await attemptStatements(attempt)) rows.push({ ...outboxRow(w), attempt_id: attempt.id });
      }
      if (rows.length)
        await trx
          .insertInto("xapi_outbox")
          .values(rows)
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
      return attempts.length;
    });
    written += built;
    if (built < BUILD_BATCH) break;
  }
  await advanceQuizCursor(executor, now);
  return written;
}

/** Moves the cursor past the attempts old enough that no earlier one can still be committing, all of them built. */
async function advanceQuizCursor(executor: Kysely<DB>, now: number): Promise<void> {
  const cutoff = new Date(now - CURSOR_LAG_MS).toISOString();
  await executor.transaction().execute(async (trx) => {
    const cursor = await quizCursor(trx);
    const [unbuilt] = await attemptsWithoutStatements(trx, cursor, 1, cutoff);
    const top = await trx
      .selectFrom("quiz_attempt")
      .select((eb) => eb.fn.max("id").as("id"))
      .where("id", ">", cursor)
      .where("submitted_at", "<", cutoff)
      .$if(unbuilt !== undefined, (q) => q.where("id", "<", unbuilt!.id))
      .executeTakeFirst();
    if (top?.id == null) return;
    await trx
      .updateTable("xapi_source_cursor")
      .set({ last_id: Number(top.id) })
      .where("source", "=", QUIZ_SOURCE)
      .execute();
  });
}

/** The statements of attempts whose times fall in [from, to) and that are not yet in the outbox, as they will be sent. */
export async function unrecordedQuizStatements(executor: Executor, from: string, to: string): Promise<Statement[]> {
  const cursor = await quizCursor(executor);
  // `attempted` is timed when the form was opened, at most a day before the answer (quiz-submission.server.ts),
  // so an answer up to a day after the period (two, to be safe) can have its `attempted` inside it.
  const latest = new Date(Date.parse(to) + 2 * 86_400_000).toISOString();
  const attempts = await executor
    .selectFrom("quiz_attempt as a")
    .select(ATTEMPT_FIELDS.map((f) => `a.${f}` as const))
    .where("a.id", ">", cursor)
    .where("a.submitted_at", ">=", from)
    .where("a.submitted_at", "<", latest)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("xapi_outbox as o").select("o.id").whereRef("o.attempt_id", "=", "a.id"))))
    .orderBy("a.id")
    .execute();
  const statements: Statement[] = [];
  for (const attempt of attempts) {
    for (const w of await attemptStatements(attempt)) if (w.statement.timestamp >= from && w.statement.timestamp < to) statements.push(w.statement);
  }
  return statements;
}
