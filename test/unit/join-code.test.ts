import { beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// A new cohort's join code (app/cohorts/cohorts.server.ts): when the random draw repeats a code another cohort
// already has, a new code is drawn, so two cohorts never share one. The draw is the only thing stubbed here:
// the indices handed out come from a queue, and the real randomInt once the queue is empty.

const draws: number[] = [];
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, randomInt: (max: number) => (draws.length ? draws.shift()! : real.randomInt(max)) };
});

beforeAll(async () => {
  await useTempDatabase();
});

describe("join codes", () => {
  it("a code drawn again for a second cohort is drawn anew: each cohort keeps its own", async () => {
    const { createCohort, joinByCode } = await import("~/cohorts/cohorts.server");
    const { db } = await import("~/db.server");
    const trainer = await makePerson();
    const fields = { name: "Lớp ấp Một", commune_code: "25459", start_date: "2026-11-01" };
    draws.push(0, 0, 0, 0, 0, 0);
    const first = await createCohort(trainer, fields, ["lam-quen"]);
    // The second draw repeats 222222, then gives 333333.
    draws.push(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    const second = await createCohort(trainer, { ...fields, name: "Lớp ấp Hai" }, ["lam-quen"]);
    expect(first.ok && second.ok).toBe(true);
    const codes = await db().selectFrom("cohort").select(["name", "join_code"]).orderBy("id").execute();
    expect(codes).toEqual([
      { name: "Lớp ấp Một", join_code: "222222" },
      { name: "Lớp ấp Hai", join_code: "333333" },
    ]);
    expect(draws).toEqual([]);
    // Each code leads to its own cohort.
    expect(await joinByCode(await makePerson(), "333333")).toMatchObject({ ok: true, cohortName: "Lớp ấp Hai" });
  });
});
