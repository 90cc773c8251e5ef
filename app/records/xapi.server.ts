import { randomUUID } from "node:crypto";
import type { Insertable, Kysely, Transaction } from "kysely";
import { findCourse } from "~/courses/catalog.server";
import { preparedQuery } from "~/db.server";
import type { DB, XapiOutboxTable } from "../../db/schema";
import { learnerPseudonym, publicOrigin } from "./origin.server";

// xAPI 1.0.3 statements for every learning event (decision 023). Each is built and written to `xapi_outbox`
// by one call at the place the event happens, inside that event's own transaction: a statement exists if and
// only if the event was committed. `npm run xapi:send` forwards them later (xapi-outbox.server.ts).

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
  | {
      kind: "quiz-attempt";
      personId: string;
      courseSlug: string;
      attemptId: number;
      openedAt: string | null;
      at: string;
      correct: number;
      questions: number;
      percent: number;
      passed: boolean;
    }
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

// A quiz answer, the busiest write there is, makes two statements: they go in together, by one statement
// compiled once (db/prepared.ts).
const insertOne = preparedQuery((db, row: OutboxRow) => db.insertInto("xapi_outbox").values(row));
const insertTwo = preparedQuery((db, first: OutboxRow, second: OutboxRow) => db.insertInto("xapi_outbox").values([first, second]));

/** Writes the statements for one learning event into the outbox, with the caller's transaction. */
export async function recordLearningEvent(trx: Executor, event: LearningEvent): Promise<void> {
  const rows = (await statementsFor(trx, event)).map(outboxRow);
  for (let i = 0; i < rows.length; i += 2) {
    await (i + 1 < rows.length ? insertTwo(trx, rows[i], rows[i + 1]) : insertOne(trx, rows[i]));
  }
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
    case "quiz-attempt": {
      const quiz = quizActivity(origin, event.courseSlug);
      const parent = { parent: [courseActivity(origin, event.courseSlug)] };
      const result = {
        score: { raw: event.correct, min: 0, max: event.questions, scaled: event.questions ? Math.round((event.correct / event.questions) * 1000) / 1000 : 0 },
        success: event.passed,
        completion: true,
        ...(event.openedAt ? { duration: isoDuration(Date.parse(event.at) - Date.parse(event.openedAt)) } : {}),
      };
      return [
        await one(event.personId, "attempted", quiz, event.openedAt ?? event.at, undefined, parent),
        await one(event.personId, event.passed ? "passed" : "failed", quiz, event.at, result, parent),
      ];
    }
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
): Promise<Written> {
  const statement: Statement = {
    id: randomUUID(),
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
