import { db, nowIso } from "~/db.server";
import { recordQuizStatements, unrecordedQuizStatements, type Statement } from "./xapi.server";

// Forwarding the xAPI outbox to a Learning Record Store (decision 023). Statements go in batches, oldest first,
// with the headers xAPI 1.0.3 requires. A statement is marked sent only after the LRS has answered 2xx, so a
// crash or a failed request sends it again later; its id is fixed when the event is recorded, and an LRS keeps
// one copy per id (xAPI §2.2.1: a repeated id is not a new statement), so the LRS holds it exactly once.

export type LrsConfig = { endpoint: string; username: string; password: string };

/** XAPI_LRS_ENDPOINT (e.g. https://lrs.example.vn/xapi/), XAPI_LRS_USERNAME, XAPI_LRS_PASSWORD; null when not set. */
export function lrsFromEnv(env = process.env): LrsConfig | null {
  if (!env.XAPI_LRS_ENDPOINT) return null;
  return { endpoint: env.XAPI_LRS_ENDPOINT, username: env.XAPI_LRS_USERNAME ?? "", password: env.XAPI_LRS_PASSWORD ?? "" };
}

export const BATCH_SIZE = 50;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/** The wait after `attempts` failed sends: 30 s, doubling, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(Math.max(0, attempts - 1), 20));
}

export type SendReport = { sent: number; failed: number; error: string | null };

/** Sends one batch of due statements. Call until it reports nothing sent (the CLI does). */
export async function sendDueStatements(lrs: LrsConfig, now = Date.now()): Promise<SendReport> {
  const due = await db()
    .selectFrom("xapi_outbox")
    .select(["id", "statement", "attempts"])
    .where("sent_at", "is", null)
    .where("next_attempt_at", "<=", now)
    .orderBy("timestamp")
    .orderBy("id")
    .limit(BATCH_SIZE)
    .execute();
  if (due.length === 0) return { sent: 0, failed: 0, error: null };
  const ids = due.map((row) => row.id);
  let error = await send(lrs, "POST", "statements", `[${due.map((row) => row.statement).join(",")}]`);
  // 409: the LRS already holds one of these ids (an earlier send whose answer was lost). One by one with PUT,
  // where 409 for an id means "already stored": that statement is delivered.
  if (error === "HTTP 409") error = await sendOneByOne(lrs, due);
  if (!error) {
    await db().updateTable("xapi_outbox").set({ sent_at: nowIso(), last_error: null }).where("id", "in", ids).execute();
    return { sent: ids.length, failed: 0, error: null };
  }
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const row of due) {
        const attempts = row.attempts + 1;
        await trx
          .updateTable("xapi_outbox")
          .set({ attempts, next_attempt_at: now + retryDelayMs(attempts), last_error: error.slice(0, 500) })
          .where("id", "=", row.id)
          .execute();
      }
    });
  return { sent: 0, failed: ids.length, error };
}

/**
 * What `xapi:send` does each time: builds the statements of quiz answers from their committed attempts (decision
 * 034), then sends batches until none is due or the LRS refuses one.
 */
export async function sendPending(lrs: LrsConfig, now = Date.now()): Promise<SendReport> {
  await recordQuizStatements(db(), now);
  const total: SendReport = { sent: 0, failed: 0, error: null };
  for (;;) {
    const report = await sendDueStatements(lrs, now);
    total.sent += report.sent;
    total.failed += report.failed;
    total.error = report.error;
    if (report.sent === 0) return total;
  }
}

async function sendOneByOne(lrs: LrsConfig, rows: Array<{ id: string; statement: string }>): Promise<string | null> {
  for (const row of rows) {
    const error = await send(lrs, "PUT", `statements?statementId=${encodeURIComponent(row.id)}`, row.statement);
    if (error && error !== "HTTP 409") return error;
  }
  return null;
}

/** One request to the LRS; null on success (2xx), else what went wrong. */
async function send(lrs: LrsConfig, method: "POST" | "PUT", path: string, body: string): Promise<string | null> {
  const url = new URL(path, lrs.endpoint.endsWith("/") ? lrs.endpoint : `${lrs.endpoint}/`);
  try {
    const response = await fetch(url, {
      method,
      headers: {
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",
        Authorization: `Basic ${Buffer.from(`${lrs.username}:${lrs.password}`).toString("base64")}`,
      },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return null;
    return `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Export for a period, in Vietnam time: "2026" or "2026-03".

const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/;

/** The period's start and end as UTC instants (Vietnam is UTC+7 all year); null if it is not a period. */
export function periodBounds(period: string): { from: string; to: string } | null {
  const match = PERIOD.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : null;
  const start = Date.UTC(year, month ? month - 1 : 0, 1) - 7 * 3_600_000;
  const end = month ? Date.UTC(year, month, 1) - 7 * 3_600_000 : Date.UTC(year + 1, 0, 1) - 7 * 3_600_000;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** Every statement whose event happened in the period, oldest first, exactly as sent to the LRS. */
export async function statementsInPeriod(period: string): Promise<Statement[] | null> {
  const bounds = periodBounds(period);
  if (!bounds) return null;
  const rows = await db()
    .selectFrom("xapi_outbox")
    .select("statement")
    .where("timestamp", ">=", bounds.from)
    .where("timestamp", "<", bounds.to)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
  const recorded = rows.map((row) => JSON.parse(row.statement) as Statement);
  // Quiz answers whose statements the sender has not built yet: the same statements, ids included (decision 034).
  const pending = await unrecordedQuizStatements(db(), bounds.from, bounds.to);
  if (pending.length === 0) return recorded;
  return [...recorded, ...pending].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id));
}
