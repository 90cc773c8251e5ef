import type { Kysely, Transaction } from "kysely";
import { createTransport, type Transporter } from "nodemailer";
import { db, nowIso } from "~/db.server";
import type { DB } from "../../db/schema";

// The e-mail outbox (decision 018). A message is queued in the same transaction as what caused it, under a
// unique key (reminder:<id>, digest:<person>:<week>), so it is queued once however often the cause is repeated.
// Delivery claims a row (pending → sending) before talking to the SMTP server and marks it sent after, so two
// workers never send the same row; a failure goes back to pending with a later next_attempt_at, and after
// MAX_ATTEMPTS it stays failed. Every attempt is written to delivery_log, which the agency officer sees.

export const MAX_ATTEMPTS = 5;
/** Minutes to wait after the n-th failure: 1, 5, 30, 120. */
const BACKOFF_MINUTES = [1, 5, 30, 120];
/** A row left "sending" this long (a crash mid-send) is tried again, with the same Message-ID. */
const STUCK_SENDING_MS = 15 * 60_000;

type Executor = Kysely<DB> | Transaction<DB>;
export type OutgoingMail = { dedupeKey: string; recipient: string; subject: string; body: string; agencyCode?: string | null };

/** Queues a message unless one with the same key was queued before. Returns whether it was new. */
export async function enqueueMail(executor: Executor, mail: OutgoingMail): Promise<boolean> {
  const now = nowIso();
  const result = await executor
    .insertInto("outbox")
    .values({
      dedupe_key: mail.dedupeKey,
      recipient: mail.recipient,
      subject: mail.subject,
      body: mail.body,
      agency_code: mail.agencyCode ?? null,
      next_attempt_at: now,
      created_at: now,
      last_error: null,
      sent_at: null,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type Mailer = Pick<Transporter, "sendMail">;

/** SMTP from the environment: SMTP_HOST, SMTP_PORT (587), SMTP_SECURE=1 for TLS on connect, SMTP_USER, SMTP_PASS. */
export function mailerFromEnv(env = process.env): Mailer | null {
  if (!env.SMTP_HOST) return null;
  return createTransport({
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT ?? 587),
    secure: env.SMTP_SECURE === "1",
    auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } : undefined,
    // A self-hosted relay inside the province network may use its own certificate.
    tls: env.SMTP_TLS_REJECT_UNAUTHORIZED === "0" ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

export const mailFrom = (env = process.env) => env.MAIL_FROM ?? "Học vụ số Tây Ninh <no-reply@hocvuso.tayninh.gov.vn>";

async function log(outboxId: number, ok: boolean, detail: string) {
  await db()
    .insertInto("delivery_log")
    .values({ outbox_id: outboxId, attempted_at: nowIso(), ok: ok ? 1 : 0, detail: detail.slice(0, 500) })
    .execute();
}

/** Takes one due row for this worker; false when another worker took it first. */
async function claim(id: number, at: Date): Promise<boolean> {
  const now = at.getTime();
  const result = await db()
    .updateTable("outbox")
    .set({ status: "sending", next_attempt_at: new Date(now + STUCK_SENDING_MS).toISOString() })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("status", "=", "pending"), eb("status", "=", "sending")]))
    .where("next_attempt_at", "<=", new Date(now).toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type DeliveryResult = { sent: number; failed: number; retried: number };

/** Sends every due message once. Safe to run from several places at once (server after a reminder, cron). */
export async function deliverDue(mailer: Mailer | null = mailerFromEnv(), now = new Date()): Promise<DeliveryResult> {
  const out: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  if (!mailer) return out; // no SMTP configured: messages wait in the outbox, shown as not sent yet
  const due = await db()
    .selectFrom("outbox")
    .selectAll()
    .where("status", "in", ["pending", "sending"])
    .where("next_attempt_at", "<=", now.toISOString())
    .orderBy("id")
    .limit(200)
    .execute();
  for (const mail of due) {
    if (!(await claim(mail.id, now))) continue;
    try {
      const info = await mailer.sendMail({
        from: mailFrom(),
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
        // The same id on every attempt: a receiver that already has it can drop a repeat.
        messageId: `<outbox-${mail.id}-${mail.dedupe_key.replace(/[^a-zA-Z0-9.-]/g, "-")}@hocvuso.tayninh.gov.vn>`,
      });
      await db()
        .updateTable("outbox")
        .set({ status: "sent", sent_at: nowIso(), attempts: mail.attempts + 1, last_error: null })
        .where("id", "=", mail.id)
        .execute();
      await log(mail.id, true, String(info.response ?? "sent"));
      out.sent += 1;
    } catch (error) {
      const attempts = mail.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = attempts >= MAX_ATTEMPTS;
      const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)] * 60_000;
      await db()
        .updateTable("outbox")
        .set({ status: giveUp ? "failed" : "pending", attempts, last_error: message.slice(0, 500), next_attempt_at: new Date(Date.now() + wait).toISOString() })
        .where("id", "=", mail.id)
        .execute();
      await log(mail.id, false, message);
      if (giveUp) out.failed += 1;
      else out.retried += 1;
    }
  }
  return out;
}

/** What the agency officer sees of the e-mails about their agency: the latest, with their state. */
export async function recentDeliveries(agencyCode: string, limit = 20) {
  return db()
    .selectFrom("outbox")
    .select(["id", "recipient", "subject", "status", "attempts", "last_error", "created_at", "sent_at"])
    .where("agency_code", "=", agencyCode)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
