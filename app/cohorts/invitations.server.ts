import type { Kysely } from "kysely";
import { db, nowIso } from "~/db.server";
import { recordLearningEvent } from "~/records/xapi.server";
import type { DB } from "../../db/schema";
import { addMember } from "./cohorts.server";

// Invitations: how a trainer brings an existing account into a cohort when that person is not already in their
// care (see mayAddWithoutConsent in app/accounts/permissions.server.ts). The person sees the invitation on
// their own account (/tham-gia, and a notice on /ca-nhan) and accepts or declines; until then the trainer sees
// nothing of them. A declined invitation stays declined: the person can still join later with the join code.

export type InviteOutcome = "invited" | "already-invited" | "declined-before";

/** Pass the transaction when inside one. */
export async function invite(
  cohortId: number,
  personId: string,
  invitedBy: string,
  sessionId: number | null = null,
  executor: Kysely<DB> = db(),
): Promise<InviteOutcome> {
  const existing = await executor
    .selectFrom("cohort_invitation")
    .select(["accepted", "answered_at"])
    .where("cohort_id", "=", cohortId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  if (existing) return existing.answered_at && !existing.accepted ? "declined-before" : "already-invited";
  await executor
    .insertInto("cohort_invitation")
    .values({ cohort_id: cohortId, person_id: personId, invited_by: invitedBy, session_id: sessionId, created_at: nowIso(), answered_at: null, accepted: null })
    .execute();
  return "invited";
}

export type PendingInvitation = { cohortId: number; cohortName: string; invitedBy: string | null; createdAt: string };

/** Open invitations to cohorts that still take members, newest first. */
export async function pendingInvitations(personId: string): Promise<PendingInvitation[]> {
  const rows = await db()
    .selectFrom("cohort_invitation")
    .innerJoin("cohort", "cohort.id", "cohort_invitation.cohort_id")
    .leftJoin("person as trainer", "trainer.id", "cohort_invitation.invited_by")
    .select(["cohort.id as cohortId", "cohort.name as cohortName", "trainer.full_name as invitedBy", "cohort_invitation.created_at as createdAt"])
    .where("cohort_invitation.person_id", "=", personId)
    .where("cohort_invitation.answered_at", "is", null)
    .where("cohort.archived_at", "is", null)
    .orderBy("cohort_invitation.created_at", "desc")
    .execute();
  return rows;
}

export type AnswerResult = { ok: true; message: string } | { ok: false; error: string };

/** The person's own answer. Accepting adds them to the cohort, and to the session they were invited at. */
export async function answerInvitation(personId: string, rawCohortId: string, accept: boolean): Promise<AnswerResult> {
  const cohortId = Number(rawCohortId);
  const open = (await pendingInvitations(personId)).find((i) => i.cohortId === cohortId);
  if (!Number.isSafeInteger(cohortId) || !open) return { ok: false, error: "Không tìm thấy lời mời này, hoặc lời mời đã được trả lời." };
  await db()
    .transaction()
    .execute(async (trx) => {
      const answered = await trx
        .updateTable("cohort_invitation")
        .set({ answered_at: nowIso(), accepted: accept ? 1 : 0 })
        .where("cohort_id", "=", cohortId)
        .where("person_id", "=", personId)
        .where("answered_at", "is", null)
        .returning("session_id")
        .executeTakeFirst();
      if (!answered || !accept) return;
      await addMember(cohortId, personId, "invitation", trx);
      if (answered.session_id !== null) {
        const attended = await trx
          .insertInto("session_attendance")
          .values({ session_id: answered.session_id, person_id: personId })
          .onConflict((oc) => oc.columns(["session_id", "person_id"]).doNothing())
          .executeTakeFirst();
        if (Number(attended.numInsertedOrUpdatedRows ?? 0) > 0)
          await recordLearningEvent(trx, { kind: "attended-session", personIds: [personId], sessionId: answered.session_id });
      }
    });
  return accept
    ? { ok: true, message: `Bạn đã tham gia lớp “${open.cohortName}”.` }
    : { ok: true, message: `Bạn đã từ chối lời mời vào lớp “${open.cohortName}”. Người hướng dẫn không xem được tiến độ học của bạn.` };
}
