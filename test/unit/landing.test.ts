import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import type { Role } from "../../db/schema";

// Where each person lands after signing in without asking for a page (app/accounts/landing.ts and
// landing.server.ts, issue 18): reports for anyone who reads them, then cohorts for a trainer, then the
// learner's own page. Every expected address is written out by hand, one role and one combination at a time,
// with the roles stored in a real database the way the administration page stores them.

beforeAll(async () => {
  await useTempDatabase();
});

/** Stores these roles for the person (a commune officer for Phường Tân Ninh, an agency officer for a demo agency). */
async function grant(personId: string, roles: Role[]) {
  const { db, nowIso } = await import("~/db.server");
  const scopes: Record<Role, string> = { trainer: "", admin: "", commune_officer: "25459", agency_officer: "SNV" };
  for (const role of roles) {
    await db().insertInto("person_role").values({ person_id: personId, role, scope: scopes[role], granted_by: null, granted_at: nowIso() }).execute();
  }
}

async function landingOf(roles: Role[]): Promise<string> {
  const { landingPathFor } = await import("~/accounts/landing.server");
  const person = await makePerson();
  await grant(person, roles);
  return landingPathFor(person);
}

describe("where a person lands after signing in", () => {
  it("a learner with no role lands on their own page", async () => {
    expect(await landingOf([])).toBe("/ca-nhan");
  });

  it("a trainer lands on their cohorts", async () => {
    expect(await landingOf(["trainer"])).toBe("/lop-hoc");
  });

  it("a commune officer, an agency officer and an administrator each land on the reports", async () => {
    expect(await landingOf(["commune_officer"])).toBe("/bao-cao");
    expect(await landingOf(["agency_officer"])).toBe("/bao-cao");
    expect(await landingOf(["admin"])).toBe("/bao-cao");
  });

  it("someone who both teaches and reads reports lands on the reports, whichever role was granted first", async () => {
    expect(await landingOf(["trainer", "commune_officer"])).toBe("/bao-cao");
    expect(await landingOf(["commune_officer", "trainer"])).toBe("/bao-cao");
    expect(await landingOf(["trainer", "agency_officer"])).toBe("/bao-cao");
    expect(await landingOf(["agency_officer", "trainer"])).toBe("/bao-cao");
    expect(await landingOf(["trainer", "admin"])).toBe("/bao-cao");
    expect(await landingOf(["admin", "trainer"])).toBe("/bao-cao");
    expect(await landingOf(["admin", "commune_officer", "agency_officer", "trainer"])).toBe("/bao-cao");
  });

  it("a commune officer for two communes still lands on the reports", async () => {
    const { db, nowIso } = await import("~/db.server");
    const { landingPathFor } = await import("~/accounts/landing.server");
    const person = await makePerson();
    for (const scope of ["25459", "25486"]) {
      await db().insertInto("person_role").values({ person_id: person, role: "commune_officer", scope, granted_by: null, granted_at: nowIso() }).execute();
    }
    expect(await landingPathFor(person)).toBe("/bao-cao");
  });

  it("only the person's own roles count, not those of whoever signed in before", async () => {
    const { landingPathFor } = await import("~/accounts/landing.server");
    const officer = await makePerson();
    await grant(officer, ["admin"]);
    const trainer = await makePerson();
    await grant(trainer, ["trainer"]);
    const learner = await makePerson();
    expect(await landingPathFor(learner)).toBe("/ca-nhan");
    expect(await landingPathFor(trainer)).toBe("/lop-hoc");
    expect(await landingPathFor(officer)).toBe("/bao-cao");
  });

  it("a role taken away changes the landing page at the next sign-in", async () => {
    const { revokeRole } = await import("~/accounts/admin.server");
    const { landingPathFor } = await import("~/accounts/landing.server");
    const person = await makePerson();
    await grant(person, ["trainer", "commune_officer"]);
    expect(await landingPathFor(person)).toBe("/bao-cao");
    await revokeRole(person, "commune_officer", "25459");
    expect(await landingPathFor(person)).toBe("/lop-hoc");
    await revokeRole(person, "trainer", "");
    expect(await landingPathFor(person)).toBe("/ca-nhan");
  });
});

describe("the landing rule on its own (no database)", () => {
  it("reads every role in the list, not only the first", async () => {
    const { landingPath } = await import("~/accounts/landing");
    expect(landingPath([])).toBe("/ca-nhan");
    expect(landingPath([{ role: "trainer" }])).toBe("/lop-hoc");
    expect(landingPath([{ role: "trainer" }, { role: "admin" }])).toBe("/bao-cao");
    expect(landingPath([{ role: "trainer" }, { role: "commune_officer" }])).toBe("/bao-cao");
    expect(landingPath([{ role: "trainer" }, { role: "agency_officer" }])).toBe("/bao-cao");
    expect(landingPath([{ role: "agency_officer" }, { role: "agency_officer" }])).toBe("/bao-cao");
  });
});
