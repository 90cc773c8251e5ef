import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/accounts/session.server";
import type { Role } from "../../db/schema";
import { makePerson, signedIn, useTempDatabase } from "./support/db";

// Every role and scope rule of app/accounts/permissions.server.ts, one named person at a time, on a real
// database: who is allowed, who is refused, and the Vietnamese reason they are told. The expectations are the
// rules of decision 008 written out by hand, not read back from the module.

beforeAll(async () => {
  await useTempDatabase();
}, 60_000);

const mod = async () => ({
  ...(await import("~/accounts/permissions.server")),
  ...(await import("~/cohorts/cohorts.server")),
  ...(await import("~/cohorts/enrollment.server")),
  ...(await import("~/cohorts/invitations.server")),
  ...(await import("~/db.server")),
});

/** A session as the session module hands it over: these role grants, each with its scope. */
function withRoles(id: string, grants: Array<[Role, string]>, supervisedBy: SessionUser["supervisedBy"] = null): SessionUser {
  return { ...signedIn(id, []), roles: grants.map(([role, scope]) => ({ role, scope })), supervisedBy };
}

const nobody = withRoles("p-none", []);
const admin = withRoles("p-admin", [["admin", ""]]);
const adminWhoTrains = withRoles("p-admin2", [
  ["trainer", ""],
  ["admin", ""],
]);
const trainer = withRoles("p-trainer", [["trainer", ""]]);
const tanNinhOfficer = withRoles("p-tn", [["commune_officer", "25459"]]);
const twoCommunesOfficer = withRoles("p-two", [
  ["commune_officer", "25459"],
  ["commune_officer", "25480"],
]);
const homeAffairsOfficer = withRoles("p-snv", [["agency_officer", "SNV"]]);
const officerAndTrainer = withRoles("p-mixed", [
  ["trainer", ""],
  ["commune_officer", "25459"],
  ["agency_officer", "SNV"],
]);

describe("roles without a database", () => {
  it("only an administrator imports denominators and counts as administrator", async () => {
    const { isAdmin, mayImportDenominators } = await mod();
    for (const user of [admin, adminWhoTrains]) {
      expect(isAdmin(user)).toBe(true);
      expect(mayImportDenominators(user)).toBe(true);
    }
    for (const user of [nobody, trainer, tanNinhOfficer, homeAffairsOfficer, officerAndTrainer]) {
      expect(isAdmin(user)).toBe(false);
      expect(mayImportDenominators(user)).toBe(false);
    }
  });

  it("a trainer is whoever holds the trainer role, among others or alone", async () => {
    const { isTrainer } = await mod();
    expect(isTrainer(trainer)).toBe(true);
    expect(isTrainer(officerAndTrainer)).toBe(true);
    expect(isTrainer(adminWhoTrains)).toBe(true);
    expect(isTrainer(admin)).toBe(false);
    expect(isTrainer(tanNinhOfficer)).toBe(false);
    expect(isTrainer(nobody)).toBe(false);
  });

  it("reports: the province for an administrator, a commune or agency for an officer, nothing for a trainer", async () => {
    const { canSeeReports, reportScopesOf } = await mod();
    expect(reportScopesOf(adminWhoTrains)).toEqual([{ kind: "province" }]);
    expect(reportScopesOf(tanNinhOfficer)).toEqual([{ kind: "commune", code: "25459" }]);
    expect(reportScopesOf(homeAffairsOfficer)).toEqual([{ kind: "agency", code: "SNV" }]);
    expect(reportScopesOf(trainer)).toEqual([]);
    for (const user of [admin, tanNinhOfficer, homeAffairsOfficer, officerAndTrainer]) expect(canSeeReports(user)).toBe(true);
    expect(canSeeReports(trainer)).toBe(false);
    expect(canSeeReports(nobody)).toBe(false);
  });

  it("an agency's officials: its own training officer and administrators, not another agency nor a commune", async () => {
    const { mayManageAgency } = await mod();
    expect(mayManageAgency(admin, "SNV")).toBe(true);
    expect(mayManageAgency(admin, "SYT")).toBe(true);
    expect(mayManageAgency(homeAffairsOfficer, "SNV")).toBe(true);
    expect(mayManageAgency(officerAndTrainer, "SNV")).toBe(true);
    // Sở Nội vụ's officer reaching Sở Y tế's officials.
    expect(mayManageAgency(homeAffairsOfficer, "SYT")).toBe(false);
    expect(mayManageAgency(trainer, "SNV")).toBe(false);
    expect(mayManageAgency(nobody, "SNV")).toBe(false);
    // The scope must belong to an agency officer's grant: a commune officer's scope spelled like the code is not one.
    expect(mayManageAgency(tanNinhOfficer, "25459")).toBe(false);
  });

  it("confirmation exports: administrators any scope, a commune officer their own commune, nobody else", async () => {
    const { allowedConfirmationScope, confirmationScopes } = await mod();
    expect(confirmationScopes(adminWhoTrains)).toEqual([{ kind: "province" }]);
    expect(confirmationScopes(officerAndTrainer)).toEqual([{ kind: "commune", code: "25459" }]);
    expect(confirmationScopes(twoCommunesOfficer)).toEqual([
      { kind: "commune", code: "25459" },
      { kind: "commune", code: "25480" },
    ]);
    expect(confirmationScopes(homeAffairsOfficer)).toEqual([]);

    expect(allowedConfirmationScope(admin, null)).toEqual({ kind: "province" });
    expect(allowedConfirmationScope(admin, "25480")).toEqual({ kind: "commune", code: "25480" });
    expect(allowedConfirmationScope(tanNinhOfficer, null)).toEqual({ kind: "commune", code: "25459" });
    expect(allowedConfirmationScope(tanNinhOfficer, "25459")).toEqual({ kind: "commune", code: "25459" });
    // Phường Tân Ninh's officer asking for another commune.
    expect(allowedConfirmationScope(tanNinhOfficer, "25480")).toBeNull();
    // Two communes and none named: which one is not for the page to guess.
    expect(allowedConfirmationScope(twoCommunesOfficer, null)).toBeNull();
    expect(allowedConfirmationScope(twoCommunesOfficer, "25480")).toEqual({ kind: "commune", code: "25480" });
    expect(allowedConfirmationScope(twoCommunesOfficer, "25463")).toBeNull();
    expect(allowedConfirmationScope(homeAffairsOfficer, null)).toBeNull();
    expect(allowedConfirmationScope(homeAffairsOfficer, "25459")).toBeNull();
    expect(allowedConfirmationScope(trainer, null)).toBeNull();
  });
});

// The people of the database tests. Trainers An and Bình teach "Lớp ấp Một" together; An also has "Lớp ấp Hai",
// Bình "Lớp ấp Ba"; Cường, another trainer, has "Lớp ấp Bốn" and shares "Lớp chung" with An.
type Fixture = Awaited<ReturnType<typeof buildFixture>>;
let f: Fixture;

async function grant(personId: string, role: Role, scope = "") {
  const { db, nowIso } = await mod();
  await db().insertInto("person_role").values({ person_id: personId, role, scope, granted_by: null, granted_at: nowIso() }).execute();
}

async function newTrainer(username: string, fullName: string) {
  const id = await makePerson({ username, fullName });
  await grant(id, "trainer");
  return withRoles(id, [["trainer", ""]]);
}

async function newCohort(owner: SessionUser, name: string) {
  const { createCohort, requireCohort } = await mod();
  const created = await createCohort(owner.id, { name, commune_code: "25459", start_date: "2026-11-01" }, ["lam-quen"]);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return requireCohort(owner, String(created.id));
}

async function enrolledBy(trainerUser: SessionUser, cohort: Awaited<ReturnType<typeof newCohort>>, fullName: string) {
  const { assistedEnroll, db } = await mod();
  const result = await assistedEnroll(trainerUser.id, cohort, {
    full_name: fullName,
    birth_year: "1960",
    commune_code: "25459",
    consent_method: "verbal",
    consent_confirmed: "yes",
    create_anyway: "yes",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return (await db().selectFrom("person").select("id").where("username", "=", result.card.username).executeTakeFirstOrThrow()).id;
}

async function buildFixture() {
  const { addCoTrainer, addMember, answerInvitation, invite, joinByCode } = await mod();
  const an = await newTrainer("an-hd", "Trần Văn An");
  const binh = await newTrainer("binh-hd", "Lê Thị Bình");
  const cuong = await newTrainer("cuong-hd", "Phạm Văn Cường");
  const motAp = await newCohort(an, "Lớp ấp Một");
  expect((await addCoTrainer(motAp.id, "binh-hd")).ok).toBe(true);
  const haiAp = await newCohort(an, "Lớp ấp Hai");
  const baAp = await newCohort(binh, "Lớp ấp Ba");
  const bonAp = await newCohort(cuong, "Lớp ấp Bốn");
  const chung = await newCohort(cuong, "Lớp chung");
  expect((await addCoTrainer(chung.id, "an-hd")).ok).toBe(true);

  // Hoa: enrolled at Bình's desk (assisted) in Lớp ấp Ba.
  const hoa = await enrolledBy(binh, baAp, "Nguyễn Thị Hoa");
  // Lan signed up herself and joined Lớp ấp Hai with its code.
  const lan = await makePerson({ fullName: "Võ Thị Lan" });
  expect((await joinByCode(lan, haiAp.joinCode)).ok).toBe(true);
  // Minh accepted Bình's invitation to Lớp ấp Ba.
  const minh = await makePerson({ fullName: "Đỗ Văn Minh" });
  await invite(baAp.id, minh, binh.id);
  expect((await answerInvitation(minh, String(baAp.id), true)).ok).toBe(true);
  // Quang joined Cường's Lớp ấp Bốn with its code; Cường then put him into Lớp chung himself.
  const quang = await makePerson({ fullName: "Huỳnh Văn Quang" });
  expect((await joinByCode(quang, bonAp.joinCode)).ok).toBe(true);
  await addMember(chung.id, quang, "assisted");
  // Tâm signed up herself and is in no cohort.
  const tam = await makePerson({ fullName: "Mai Thị Tâm" });
  // Sơn's account names Bình as its creator but he consented himself, not at an assisted enrollment.
  const { createPerson } = await import("~/accounts/people.server");
  const son = await createPerson({
    username: "son-tu-dk",
    fullName: "Trương Văn Sơn",
    birthYear: 1965,
    communeCode: "25459",
    kind: "citizen",
    password: "matkhau-123",
    consentMethod: "self",
    createdBy: binh.id,
  });
  return { an, binh, cuong, motAp, haiAp, baAp, bonAp, chung, hoa, lan, minh, quang, tam, son };
}

describe("rules that read the database", () => {
  beforeAll(async () => {
    f = await buildFixture();
  }, 60_000);

  it("adding without asking: only people already in the care of one of the cohort's trainers", async () => {
    const { mayAddWithoutConsent } = await mod();
    // Lớp ấp Một (An and Bình).
    expect(await mayAddWithoutConsent(f.motAp.id, f.hoa)).toBe(true); // Bình enrolled her
    expect(await mayAddWithoutConsent(f.motAp.id, f.lan)).toBe(true); // joined An's Lớp ấp Hai by code
    expect(await mayAddWithoutConsent(f.motAp.id, f.minh)).toBe(true); // accepted Bình's invitation
    expect(await mayAddWithoutConsent(f.motAp.id, f.tam)).toBe(false); // a stranger
    expect(await mayAddWithoutConsent(f.motAp.id, f.son)).toBe(false); // not an assisted enrollment
    // Put into Lớp chung (shared with An) by Cường: he chose Cường, not An.
    expect(await mayAddWithoutConsent(f.motAp.id, f.quang)).toBe(false);
    // Lớp ấp Hai (An alone): Bình's people are not An's.
    expect(await mayAddWithoutConsent(f.haiAp.id, f.hoa)).toBe(false);
    expect(await mayAddWithoutConsent(f.haiAp.id, f.minh)).toBe(false);
    expect(await mayAddWithoutConsent(f.haiAp.id, f.lan)).toBe(true);
    // Lớp ấp Bốn (Cường): Quang joined it himself; An's and Bình's people are strangers to Cường.
    expect(await mayAddWithoutConsent(f.bonAp.id, f.quang)).toBe(true);
    expect(await mayAddWithoutConsent(f.bonAp.id, f.lan)).toBe(false);
    expect(await mayAddWithoutConsent(f.bonAp.id, f.hoa)).toBe(false);
  });

  it("a new PIN: the trainer who enrolled the learner, or an administrator; never a co-trainer or another trainer", async () => {
    const { pinResetRefusal } = await mod();
    const notYours = "Chỉ người đã đăng ký hộ tài khoản này mới tạo được mã PIN mới. Người học tự đăng ký thì nhờ quản trị viên đặt lại mật khẩu.";
    expect(await pinResetRefusal(f.binh, { id: f.hoa })).toBeNull();
    expect(await pinResetRefusal(admin, { id: f.hoa })).toBeNull();
    expect(await pinResetRefusal(f.an, { id: f.hoa })).toBe(notYours); // co-trainer of Lớp ấp Một, not her enroller
    expect(await pinResetRefusal(f.cuong, { id: f.hoa })).toBe(notYours);
    expect(await pinResetRefusal(f.an, { id: f.lan })).toBe(notYours); // signed up herself
    expect(await pinResetRefusal(f.binh, { id: f.son })).toBe(notYours); // named creator, but consented himself
    expect(await pinResetRefusal(f.binh, { id: "khong-co-ai" })).toBe(notYours);
    expect(await pinResetRefusal(admin, { id: f.lan })).toBeNull();
  });

  it("a new PIN for an enrolled learner who has since become an officer: administrators only", async () => {
    const { pinResetRefusal } = await mod();
    const nga = await enrolledBy(f.binh, f.baAp, "Phan Thị Nga");
    expect(await pinResetRefusal(f.binh, { id: nga })).toBeNull();
    await grant(nga, "commune_officer", "25459");
    expect(await pinResetRefusal(f.binh, { id: nga })).toBe("Tài khoản này có vai trò quản lý; chỉ quản trị viên mới đặt lại được mật khẩu.");
    expect(await pinResetRefusal(admin, { id: nga })).toBeNull();
    // Someone else's role does not protect her: only her own grants count.
    const oanh = await enrolledBy(f.binh, f.baAp, "Lý Thị Oanh");
    expect(await pinResetRefusal(f.binh, { id: oanh })).toBeNull();
  });

  it("confirming a practice task: a trainer of the person's cohort, in their own session, for someone else", async () => {
    const { taskConfirmationRefusal } = await mod();
    const notTrainer = "Chỉ người hướng dẫn của lớp này mới xác nhận được nhiệm vụ thực hành.";
    // Lan is in Lớp ấp Hai, trained by An.
    expect(await taskConfirmationRefusal(f.an, f.haiAp.id, f.lan)).toBeNull();
    const anAlsoOfficer = withRoles(f.an.id, [
      ["commune_officer", "25459"],
      ["trainer", ""],
    ]);
    expect(await taskConfirmationRefusal(anAlsoOfficer, f.haiAp.id, f.lan)).toBeNull();
    // An at a learner's supervised session on his device.
    const supervised = { ...f.an, supervisedBy: { trainerId: f.an.id, trainerName: "Trần Văn An", cohortId: f.haiAp.id } };
    expect(await taskConfirmationRefusal(supervised, f.haiAp.id, f.lan)).toBe(
      "Đang học trên máy của người hướng dẫn: hãy kết thúc phiên học này trước khi xác nhận.",
    );
    expect(await taskConfirmationRefusal(f.an, f.haiAp.id, f.an.id)).toBe("Bạn không tự xác nhận nhiệm vụ cho chính mình được.");
    // Cường trains other cohorts, not Lan's.
    expect(await taskConfirmationRefusal(f.cuong, f.haiAp.id, f.lan)).toBe(notTrainer);
    // An trains Lớp chung but not Lớp ấp Bốn, where Quang is.
    expect(await taskConfirmationRefusal(f.an, f.bonAp.id, f.quang)).toBe(notTrainer);
    // An administrator who does not train the cohort was not there.
    expect(await taskConfirmationRefusal(admin, f.haiAp.id, f.lan)).toBe(notTrainer);
    // An still listed on the cohort after his trainer role was withdrawn.
    expect(await taskConfirmationRefusal(withRoles(f.an.id, [["commune_officer", "25459"]]), f.haiAp.id, f.lan)).toBe(notTrainer);
    // Hoa is in Bình's Lớp ấp Ba, not in An's Lớp ấp Hai.
    expect(await taskConfirmationRefusal(f.an, f.haiAp.id, f.hoa)).toBe("Người này không có trong lớp của bạn.");
  });
});
