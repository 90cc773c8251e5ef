import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Invitations to a cohort (app/cohorts/invitations.server.ts): what the invited person sees and what their
// answer changes, on a real SQLite file. Who gets invited rather than added is in cohort-access.test.ts.

beforeAll(async () => {
  await useTempDatabase();
});

const mod = async () => ({
  ...(await import("~/cohorts/invitations.server")),
  ...(await import("~/cohorts/cohorts.server")),
  ...(await import("~/db.server")),
});

async function cohortNamed(name: string) {
  const { createCohort } = await mod();
  const trainer = await makePerson({ fullName: `Hướng Dẫn ${name.replace(/[^\p{L} ]/gu, "")}` });
  const created = await createCohort(trainer, { name, commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return { trainer, cohortId: created.id };
}

async function invitation(cohortId: number, personId: string) {
  const { db } = await mod();
  return db()
    .selectFrom("cohort_invitation")
    .select(["invited_by", "session_id", "answered_at", "accepted"])
    .where("cohort_id", "=", cohortId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
}

async function memberVia(cohortId: number, personId: string) {
  const { db } = await mod();
  return (await db().selectFrom("cohort_member").select("joined_via").where("cohort_id", "=", cohortId).where("person_id", "=", personId).executeTakeFirst())
    ?.joined_via;
}

// The learning record statements written for the person (xAPI outbox): what an LRS would receive.
async function statements(personId: string) {
  const { db } = await mod();
  return db().selectFrom("xapi_outbox").select(["verb", "timestamp"]).where("person_id", "=", personId).orderBy("verb").execute();
}

describe("inviting", () => {
  it("stores one open invitation; inviting again, even after it was accepted, is 'already invited'", async () => {
    const { invite, answerInvitation } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp mời một");
    const person = await makePerson();
    expect(await invite(cohortId, person, trainer)).toBe("invited");
    expect(await invitation(cohortId, person)).toEqual({ invited_by: trainer, session_id: null, answered_at: null, accepted: null });
    expect(await invite(cohortId, person, trainer)).toBe("already-invited");
    await answerInvitation(person, String(cohortId), true);
    expect(await invite(cohortId, person, trainer)).toBe("already-invited");
  });
});

describe("the invited person's list", () => {
  it("shows open invitations newest first, with the cohort and who invited; not answered ones nor finished cohorts", async () => {
    const { invite, pendingInvitations, answerInvitation, archiveCohort, db } = await mod();
    const person = await makePerson();
    const first = await cohortNamed("Lớp mời sớm");
    const second = await cohortNamed("Lớp mời muộn");
    const answered = await cohortNamed("Lớp đã trả lời");
    const finished = await cohortNamed("Lớp đã xong");
    const orphan = await cohortNamed("Lớp không rõ người mời");
    for (const c of [first, second, answered, finished, orphan]) await invite(c.cohortId, person, c.trainer);
    const at = (cohortId: number, iso: string) => db().updateTable("cohort_invitation").set({ created_at: iso }).where("cohort_id", "=", cohortId).execute();
    await at(first.cohortId, "2026-11-01T00:00:00.000Z");
    await at(second.cohortId, "2026-11-03T00:00:00.000Z");
    await at(orphan.cohortId, "2026-11-02T00:00:00.000Z");
    await db().updateTable("cohort_invitation").set({ invited_by: null }).where("cohort_id", "=", orphan.cohortId).execute();
    await answerInvitation(person, String(answered.cohortId), false);
    await archiveCohort(finished.cohortId, true);
    // Someone else's invitation is not theirs.
    await invite(first.cohortId, await makePerson(), first.trainer);

    expect(await pendingInvitations(person)).toEqual([
      { cohortId: second.cohortId, cohortName: "Lớp mời muộn", invitedBy: "Hướng Dẫn Lớp mời muộn", createdAt: "2026-11-03T00:00:00.000Z" },
      { cohortId: orphan.cohortId, cohortName: "Lớp không rõ người mời", invitedBy: null, createdAt: "2026-11-02T00:00:00.000Z" },
      { cohortId: first.cohortId, cohortName: "Lớp mời sớm", invitedBy: "Hướng Dẫn Lớp mời sớm", createdAt: "2026-11-01T00:00:00.000Z" },
    ]);
  });
});

describe("answering", () => {
  it("accepting joins the cohort, says so, and counts the session the person was invited at", async () => {
    const { invite, answerInvitation, db, nowIso } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp nhận lời");
    const person = await makePerson();
    const { id: sessionId } = await db()
      .insertInto("training_session")
      .values({ cohort_id: cohortId, held_on: "2026-11-20", place: "Ấp 3", topic: "VNeID", course_slug: null, recorded_by: trainer, recorded_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await invite(cohortId, person, trainer, sessionId);
    expect(await answerInvitation(person, ` ${cohortId} `, true)).toEqual({ ok: true, message: "Bạn đã tham gia lớp “Lớp nhận lời”." });
    expect(await memberVia(cohortId, person)).toBe("invitation");
    expect(await invitation(cohortId, person)).toMatchObject({ accepted: 1, answered_at: expect.stringMatching(/^\d{4}-/) });
    expect(await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", sessionId).execute()).toEqual([{ person_id: person }]);
    // The learning record gets the joining and one attendance, dated the day of the session at midnight in Vietnam.
    expect((await statements(person)).map((s) => s.verb)).toEqual(["attended", "registered"]);
    expect((await statements(person))[0].timestamp).toBe("2026-11-19T17:00:00.000Z");
  });

  it("accepting an invitation made outside a session adds no attendance", async () => {
    const { invite, answerInvitation, db } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp không buổi");
    const person = await makePerson();
    await invite(cohortId, person, trainer);
    expect((await answerInvitation(person, String(cohortId), true)).ok).toBe(true);
    expect(await db().selectFrom("session_attendance").select("session_id").where("person_id", "=", person).execute()).toEqual([]);
    expect((await statements(person)).map((s) => s.verb)).toEqual(["registered"]);
  });

  it("accepting when already marked present at that session keeps one attendance", async () => {
    const { invite, answerInvitation, db, nowIso } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp có mặt sẵn");
    const person = await makePerson();
    const { id: sessionId } = await db()
      .insertInto("training_session")
      .values({ cohort_id: cohortId, held_on: "2026-11-20", place: "Ấp 3", topic: "VNeID", course_slug: null, recorded_by: trainer, recorded_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db().insertInto("session_attendance").values({ session_id: sessionId, person_id: person }).execute();
    await invite(cohortId, person, trainer, sessionId);
    expect(await answerInvitation(person, String(cohortId), true)).toEqual({ ok: true, message: "Bạn đã tham gia lớp “Lớp có mặt sẵn”." });
    expect(await db().selectFrom("session_attendance").select("person_id").where("session_id", "=", sessionId).execute()).toEqual([{ person_id: person }]);
    // Marked present before, outside this module, without a statement: accepting adds the joining only, no second attendance.
    expect((await statements(person)).map((s) => s.verb)).toEqual(["registered"]);
  });

  it("declining says the trainer sees nothing, and adds no one", async () => {
    const { invite, answerInvitation } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp từ chối");
    const person = await makePerson();
    await invite(cohortId, person, trainer);
    expect(await answerInvitation(person, String(cohortId), false)).toEqual({
      ok: true,
      message: "Bạn đã từ chối lời mời vào lớp “Lớp từ chối”. Người hướng dẫn không xem được tiến độ học của bạn.",
    });
    expect(await memberVia(cohortId, person)).toBeUndefined();
    expect(await invitation(cohortId, person)).toMatchObject({ accepted: 0, answered_at: expect.stringMatching(/^\d{4}-/) });
  });

  it("no invitation, someone else's, a finished cohort or a malformed id: nothing to answer", async () => {
    const { invite, answerInvitation, archiveCohort } = await mod();
    const { trainer, cohortId } = await cohortNamed("Lớp không mời");
    const person = await makePerson();
    const other = await makePerson();
    const refused = { ok: false, error: "Không tìm thấy lời mời này, hoặc lời mời đã được trả lời." };
    expect(await answerInvitation(person, String(cohortId), true)).toEqual(refused);
    await invite(cohortId, other, trainer);
    expect(await answerInvitation(person, String(cohortId), true)).toEqual(refused);
    expect(await memberVia(cohortId, person)).toBeUndefined();
    expect(await answerInvitation(other, "abc", true)).toEqual(refused);
    await archiveCohort(cohortId, true);
    expect(await answerInvitation(other, String(cohortId), true)).toEqual(refused);
    expect(await memberVia(cohortId, other)).toBeUndefined();
    expect(await invitation(cohortId, other)).toMatchObject({ answered_at: null, accepted: null });
  });
});
