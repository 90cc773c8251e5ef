import { randomBytes } from "node:crypto";
import { secureCookies } from "./lucia.server";
import { storedToken } from "./token.server";
import { checkCredentials } from "./people.server";
import { hit, reset, waitMessage } from "./rate-limit.server";
import { db, nowIso } from "~/db.server";

// Supervised attempts, door to door: the trainer hands over their phone, the learner confirms who they are
// with their PIN or password, and everything they do is recorded for them. The trainer's own session stays
// untouched underneath and is back the moment supervision ends (or after 30 minutes).

export const SUPERVISION_COOKIE = "hvs_supervised";
const LIFETIME_SECONDS = 30 * 60;

function cookie(value: string, maxAge: number): string {
  const secure = secureCookies();
  return `${SUPERVISION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

function readCookie(request: Request): string | null {
  return supervisionId(request.headers.get("Cookie") ?? "");
}

export function hasSupervisionCookie(cookieHeader: string): boolean {
  return supervisionId(cookieHeader) !== null;
}

function supervisionId(cookieHeader: string): string | null {
  const match = /(?:^|;\s*)hvs_supervised=([A-Za-z0-9_-]{20,64})/.exec(cookieHeader);
  return match ? match[1] : null;
}

export type StartResult = { ok: true; cookie: string } | { ok: false; error: string; status: 400 | 401 | 429 };

export async function startSupervision(trainerId: string, cohortId: number, learner: { id: string; username: string }, secret: string): Promise<StartResult> {
  if (!secret) return { ok: false, status: 400, error: "Người học cần nhập mã PIN hoặc mật khẩu của mình." };
  const limit = { key: `supervise:${learner.id}`, max: 5, windowMs: 15 * 60_000 };
  const wait = await hit(limit);
  if (wait) return { ok: false, status: 429, error: `Nhập sai quá nhiều lần, ${waitMessage(wait)}.` };
  if ((await checkCredentials(learner.username, secret.slice(0, 200))) !== learner.id) {
    return { ok: false, status: 401, error: "Mã PIN hoặc mật khẩu chưa đúng. Người học hãy nhập lại." };
  }
  await reset(limit.key);
  const id = randomBytes(24).toString("base64url");
  await db()
    .insertInto("supervised_session")
    .values({
      id: storedToken(id),
      trainer_id: trainerId,
      learner_id: learner.id,
      cohort_id: cohortId,
      started_at: nowIso(),
      expires_at: Math.floor(Date.now() / 1000) + LIFETIME_SECONDS,
    })
    .execute();
  return { ok: true, cookie: cookie(id, LIFETIME_SECONDS) };
}

/** The learner being supervised on this trainer's device, if any. */
export async function supervisedLearner(cookieHeader: string, trainerId: string): Promise<{ learnerId: string; cohortId: number } | null> {
  const id = supervisionId(cookieHeader);
  if (!id) return null;
  const row = await db()
    .selectFrom("supervised_session")
    .select(["learner_id", "cohort_id"])
    .where("id", "=", storedToken(id))
    .where("trainer_id", "=", trainerId)
    .where("ended_at", "is", null)
    .where("expires_at", ">", Math.floor(Date.now() / 1000))
    .executeTakeFirst();
  return row ? { learnerId: row.learner_id, cohortId: row.cohort_id } : null;
}

/** Ends supervision on this device; returns the cookie that clears it. */
export async function endSupervision(request: Request): Promise<string> {
  const id = readCookie(request);
  if (id) await db().updateTable("supervised_session").set({ ended_at: nowIso() }).where("id", "=", storedToken(id)).execute();
  return cookie("", 0);
}
