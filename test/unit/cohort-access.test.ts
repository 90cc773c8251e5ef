import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import type { Role } from "../../db/schema";
import { makePerson, signedIn, useTempDatabase } from "./support/db";

// Security review, issue 12, findings 1 and 2: a trainer must not be able to take over an account through a
// cohort, nor pull a stranger into a cohort, nor learn a stranger's username from the duplicate check.

beforeAll(async () => {
  await useTempDatabase();
});

const mod = async () => ({
  ...(await import("~/cohorts/cohorts.server")),
  ...(await import("~/cohorts/enrollment.server")),
  ...(await import("~/cohorts/invitations.server")),
  ...(await import("~/accounts/people.server")),
  ...(await import("~/db.server")),
});

const actor = (id: string, role: Role | null = "trainer") => signedIn(id, role ? [role] : []);

async function grant(personId: string, role: Role) {
  const { db, nowIso } = await mod();
  await db().insertInto("person_role").values({ person_id: personId, role, scope: "", granted_by: null, granted_at: nowIso() }).execute();
}

async function newTrainer() {
  const id = await makePerson();
  await grant(id, "trainer");
  return actor(id);
}

async function newCohort(trainer: SessionUser) {
  const { createCohort, requireCohort } = await mod();
  const created = await createCohort(trainer.id, { name: "Lớp ấp Một", commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return requireCohort(trainer, String(created.id));
}

async function memberIds(cohortId: number): Promise<string[]> {
  const { db } = await mod();
  return (await db().selectFrom("cohort_member").select("person_id").where("cohort_id", "=", cohortId).execute()).map((r) => r.person_id);
}

const SESSION = { held_on: "2026-11-20", place: "Nhà văn hóa ấp 3", topic: "Cài VNeID" };

async function enrollFor(trainer: SessionUser, cohort: Awaited<ReturnType<typeof newCohort>>, fullName: string, birthYear = "1958") {
  const { assistedEnroll } = await mod();
  const result = await assistedEnroll(trainer.id, cohort, {
    full_name: fullName,
    birth_year: birthYear,
    commune_code: "25459",
    consent_method: "verbal",
    consent_confirmed: "yes",
    create_anyway: "yes",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { db } = await mod();
  const person = await db().selectFrom("person").select(["id", "username"]).where("username", "=", result.card.username).executeTakeFirstOrThrow();
  return { ...person, pin: result.card.pin };
}

describe("finding 1: no account takeover through quick add and PIN reset", () => {
  it("quick add of an administrator's username invites them and adds nothing; the PIN reset is refused", async () => {
    const { recordSession, resetMemberPin, checkCredentials, pendingInvitations } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    const adminId = await makePerson({ username: "quantri-that" });
    await grant(adminId, "admin");

    const result = await recordSession(trainer.id, cohort, { ...SESSION, quick_add: "quantri-that" }, []);
    expect(result).toMatchObject({ ok: true, attendees: 0, invited: [expect.any(String)] });
    expect(await memberIds(cohort.id)).not.toContain(adminId);
    expect((await pendingInvitations(adminId)).map((i) => i.cohortId)).toEqual([cohort.id]);

    const reset = await resetMemberPin(trainer, adminId);
    expect(reset.ok).toBe(false);
    // The administrator's password still works: nothing was changed.
    expect(await checkCredentials("quantri-that", "matkhau-123")).toBe(adminId);
  });

  it("even a member who joined by code cannot have their PIN reset by the trainer", async () => {
    const { joinByCode, resetMemberPin, checkCredentials } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    const learnerId = await makePerson({ username: "tu-dang-ky" });
    expect(await joinByCode(learnerId, cohort.joinCode)).toMatchObject({ ok: true });
    const reset = await resetMemberPin(trainer, learnerId);
    expect(reset).toMatchObject({ ok: false, error: expect.stringContaining("quản trị viên") });
    expect(await checkCredentials("tu-dang-ky", "matkhau-123")).toBe(learnerId);
  });

  it("the trainer who enrolled someone may reset their PIN; a co-trainer may not; nor once the person holds a role", async () => {
    const { resetMemberPin, checkCredentials, db, nowIso } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    const person = await enrollFor(trainer, cohort, "Lò Văn Hộ");

    const reset = await resetMemberPin(trainer, person.id);
    expect(reset.ok).toBe(true);
    if (!reset.ok) return;
    expect(reset.card.pin).toMatch(/^\d{6}$/);
    expect(await checkCredentials(person.username, reset.card.pin)).toBe(person.id);
    expect(await checkCredentials(person.username, person.pin)).toBeNull();

    const coTrainer = await newTrainer();
    await db().insertInto("cohort_trainer").values({ cohort_id: cohort.id, person_id: coTrainer.id, is_owner: 0, added_at: nowIso() }).execute();
    expect((await resetMemberPin(coTrainer, person.id)).ok).toBe(false);

    await grant(person.id, "commune_officer");
    expect(await resetMemberPin(trainer, person.id)).toMatchObject({ ok: false, error: expect.stringContaining("vai trò") });
  });

  it("an account the trainer created without an assisted consent, or a missing one, is refused; an administrator who also trains is an administrator", async () => {
    const { resetMemberPin, createPerson } = await mod();
    const trainer = await newTrainer();
    const selfConsented = await createPerson({
      username: "tao-hoc-tu-nhan",
      fullName: "Tạo Hộ Tự Nhận",
      birthYear: 1970,
      communeCode: "25459",
      kind: "citizen",
      password: "matkhau-123",
      consentMethod: "self",
      createdBy: trainer.id,
    });
    expect((await resetMemberPin(trainer, selfConsented)).ok).toBe(false);
    expect((await resetMemberPin(trainer, "khong-co-nguoi-nay")).ok).toBe(false);
    const both = {
      ...actor(await makePerson(), "trainer"),
      roles: [
        { role: "trainer" as const, scope: "" },
        { role: "admin" as const, scope: "" },
      ],
    };
    expect((await resetMemberPin(both, selfConsented)).ok).toBe(true);
  });

  it("an administrator may still reset a member's PIN", async () => {
    const { resetMemberPin } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    const learnerId = await makePerson();
    const admin = actor(await makePerson(), "admin");
    expect(cohort.id).toBeGreaterThan(0);
    expect((await resetMemberPin(admin, learnerId)).ok).toBe(true);
  });
});

describe("quick add: people in the trainer's care join at once, strangers are invited", () => {
  it("someone the trainer enrolled, or who joined another of the trainer's cohorts by code, is added and marked present", async () => {
    const { recordSession, joinByCode } = await mod();
    const trainer = await newTrainer();
    const first = await newCohort(trainer);
    const second = await newCohort(trainer);
    const enrolled = await enrollFor(trainer, first, "Đinh Thị Dự");
    const joinedId = await makePerson({ username: "da-vao-lop-khac" });
    await joinByCode(joinedId, first.joinCode);

    const result = await recordSession(trainer.id, second, { ...SESSION, quick_add: `${enrolled.username}, da-vao-lop-khac` }, []);
    expect(result).toMatchObject({ ok: true, attendees: 2, invited: [] });
    expect((await memberIds(second.id)).sort()).toEqual([enrolled.id, joinedId].sort());
  });

  it("someone who accepted an invitation to one of the trainer's cohorts is in their care for the next", async () => {
    const { recordSession, invite, answerInvitation } = await mod();
    const trainer = await newTrainer();
    const first = await newCohort(trainer);
    const second = await newCohort(trainer);
    const personId = await makePerson({ username: "da-nhan-loi-moi" });
    await invite(first.id, personId, trainer.id);
    await answerInvitation(personId, String(first.id), true);
    const result = await recordSession(trainer.id, second, { ...SESSION, quick_add: "da-nhan-loi-moi" }, []);
    expect(result).toMatchObject({ ok: true, attendees: 1, invited: [] });
    expect(await memberIds(second.id)).toEqual([personId]);
  });

  it("another trainer's learner is only invited; accepting adds them and counts the session; declining stays declined", async () => {
    const { recordSession, answerInvitation, pendingInvitations, invite, db } = await mod();
    const owner = await newTrainer();
    const ownersCohort = await newCohort(owner);
    const theirLearner = await enrollFor(owner, ownersCohort, "Mạc Văn Riêng");
    const stranger = await newTrainer();
    const cohort = await newCohort(stranger);

    const result = await recordSession(stranger.id, cohort, { ...SESSION, quick_add: theirLearner.username }, []);
    expect(result).toMatchObject({ ok: true, attendees: 0, invited: ["Mạc Văn Riêng"] });
    expect(await memberIds(cohort.id)).toEqual([]);

    expect(await answerInvitation(theirLearner.id, String(cohort.id + 1000), true)).toMatchObject({ ok: false });
    expect(await answerInvitation(theirLearner.id, String(cohort.id), true)).toMatchObject({ ok: true });
    expect(await memberIds(cohort.id)).toEqual([theirLearner.id]);
    const attended = await db()
      .selectFrom("session_attendance")
      .select("person_id")
      .where("session_id", "=", result.ok ? result.id : -1)
      .execute();
    expect(attended.map((a) => a.person_id)).toEqual([theirLearner.id]);
    expect(await pendingInvitations(theirLearner.id)).toEqual([]);
    // Answering twice changes nothing.
    expect(await answerInvitation(theirLearner.id, String(cohort.id), false)).toMatchObject({ ok: false });

    // A third trainer, with no link to the learner: a declined invitation stays declined, even through quick add.
    const third = await newTrainer();
    const other = await newCohort(third);
    expect(await invite(other.id, theirLearner.id, third.id)).toBe("invited");
    expect(await answerInvitation(theirLearner.id, String(other.id), false)).toMatchObject({ ok: true });
    expect(await invite(other.id, theirLearner.id, third.id)).toBe("declined-before");
    const again = await recordSession(third.id, other, { ...SESSION, quick_add: theirLearner.username }, []);
    expect(again).toMatchObject({ ok: true, attendees: 0, invited: [], declinedBefore: ["Mạc Văn Riêng"] });
    expect(await pendingInvitations(theirLearner.id)).toEqual([]);
    expect(await memberIds(other.id)).toEqual([]);
  });
});

describe("finding 2: the duplicate check reveals nothing and adds no stranger", () => {
  it("a stranger's duplicate carries no username or id, and 'add' sends an invitation instead", async () => {
    const { assistedEnroll, addExisting, pendingInvitations } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    const residentId = await makePerson({ username: "0912000111", fullName: "Trần Thị Mười", birthYear: 1960 });

    const attempt = await assistedEnroll(trainer.id, cohort, {
      full_name: "Trần Thị Mười",
      birth_year: "1960",
      commune_code: "25459",
      consent_method: "verbal",
      consent_confirmed: "yes",
    });
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.duplicates).toEqual([{ match: 0, fullName: "Trần Thị Mười", birthYear: 1960, username: null, alreadyMember: false, inCare: false }]);
    expect(JSON.stringify(attempt)).not.toContain("0912000111");
    expect(JSON.stringify(attempt)).not.toContain(residentId);

    const added = await addExisting(trainer.id, cohort, { full_name: "Trần Thị Mười", birth_year: "1960", commune_code: "25459", match: "0" });
    expect(added).toMatchObject({ ok: true, message: expect.stringContaining("Đã gửi lời mời") });
    expect(added.ok && added.message).not.toContain("0912000111");
    expect(await memberIds(cohort.id)).toEqual([]);
    expect((await pendingInvitations(residentId)).map((i) => i.cohortId)).toEqual([cohort.id]);
    // The invitation is part of the person's data: they can download it.
    const { exportPersonData } = await mod();
    expect((await exportPersonData(residentId)).cohort_invitations).toEqual([
      { cohort_name: "Lớp ấp Một", created_at: expect.any(String), answered_at: null, accepted: null },
    ]);
  });

  it("a match number that does not fit the typed details adds no one", async () => {
    const { addExisting } = await mod();
    const trainer = await newTrainer();
    const cohort = await newCohort(trainer);
    await makePerson({ fullName: "Hà Văn Một", birthYear: 1950 });
    for (const match of ["1", "-1", "x", "0 OR 1"]) {
      expect(await addExisting(trainer.id, cohort, { full_name: "Hà Văn Một", birth_year: "1950", commune_code: "25459", match })).toMatchObject({ ok: false });
    }
    expect(await addExisting(trainer.id, cohort, { full_name: "Hà Văn Hai", birth_year: "1950", commune_code: "25459", match: "0" })).toMatchObject({
      ok: false,
    });
    expect(await memberIds(cohort.id)).toEqual([]);
  });

  it("someone the trainer enrolled is shown with their username and added at once", async () => {
    const { assistedEnroll, addExisting } = await mod();
    const trainer = await newTrainer();
    const first = await newCohort(trainer);
    const second = await newCohort(trainer);
    const person = await enrollFor(trainer, first, "Kha Thị Giám", "1961");
    const again = await assistedEnroll(trainer.id, second, {
      full_name: "Kha Thị Giám",
      birth_year: "1961",
      commune_code: "25459",
      consent_method: "verbal",
      consent_confirmed: "yes",
    });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.duplicates).toEqual([{ match: 0, fullName: "Kha Thị Giám", birthYear: 1961, username: person.username, alreadyMember: false, inCare: true }]);
    expect(await addExisting(trainer.id, second, { full_name: "Kha Thị Giám", birth_year: "1961", commune_code: "25459", match: "0" })).toMatchObject({
      ok: true,
      message: expect.stringContaining("Đã thêm"),
    });
    expect(await memberIds(second.id)).toEqual([person.id]);
  });
});
