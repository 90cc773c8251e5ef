import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, signedIn, useTempDatabase } from "./support/db";
import { at } from "./support/helpers";

// Edges of quiz attempts and course progress that the main learning tests do not reach (issue 14, Tenth round
// (d)): each expectation is written out by hand and is what a learner or an operator would notice.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

async function modules() {
  const catalog = await import("~/courses/catalog.server");
  const attempts = await import("~/learning/attempts.server");
  const progress = await import("~/learning/progress.server");
  const { db } = await import("~/db.server");
  // lam-quen: sequential, 2 lessons (buoc-mot, buoc-hai), asks both questions, 3 attempts, 5-minute cool-down.
  // thu-hai: not sequential, 1 lesson, draws 1 of 2 questions, unlimited attempts.
  return { ...attempts, ...progress, db, course: catalog.findCourse("lam-quen")!, open: catalog.findCourse("thu-hai")! };
}

describe("storing an attempt", () => {
  it("a write that fails for another reason than a locked quiz is an error, not a 'finish the lessons first'", async () => {
    const m = await modules();
    // No such person: the attempt's row breaks its foreign key. The learner must not be told to study more.
    await expect(m.submitAttempt("no-such-person", m.open, m.newIdempotencyKey(), { "ai-dung": ["b"], "kiem-tra-ai": ["a"] })).rejects.toThrow();
    expect(await m.db().selectFrom("quiz_attempt").selectAll().where("person_id", "=", "no-such-person").execute()).toEqual([]);
  });
});

describe("a submitted quiz form", () => {
  it("stores when the form was opened, from its hidden field, for the attempt's duration", async () => {
    const m = await modules();
    const { submitQuizForm } = await import("~/learning/quiz-submission.server");
    const person = await makePerson();
    at("2026-12-01T03:00:00.000Z");
    const form = new URLSearchParams({
      idempotency_key: crypto.randomUUID(),
      opened_at: String(Date.parse("2026-12-01T02:58:30.000Z")),
      "q-ai-dung": "b",
      "q-kiem-tra-ai": "a",
    });
    expect(await submitQuizForm(signedIn(person, []), m.open, form)).toMatchObject({ kind: "recorded" });
    const stored = await m.db().selectFrom("quiz_attempt").select(["opened_at", "submitted_at"]).where("person_id", "=", person).execute();
    expect(stored).toEqual([{ opened_at: "2026-12-01T02:58:30.000Z", submitted_at: "2026-12-01T03:00:00.000Z" }]);
  });

  it("drops an opened time that is missing, not a whole number of milliseconds, in the future or more than a day old", async () => {
    const { openedAt } = await import("~/learning/quiz-submission.server");
    const now = Date.parse("2026-12-01T03:00:00.000Z");
    expect(openedAt(String(now - 90_000), now)).toBe("2026-12-01T02:58:30.000Z");
    expect(openedAt(String(now), now)).toBe("2026-12-01T03:00:00.000Z");
    expect(openedAt(String(now - 24 * 3_600_000), now)).toBe("2026-11-30T03:00:00.000Z");
    for (const field of [null, undefined, "", "abc", "1764558000000.5", "9007199254740993", String(now + 1), String(now - 24 * 3_600_000 - 1)]) {
      expect(openedAt(field, now)).toBeNull();
    }
  });
});
