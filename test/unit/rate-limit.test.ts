import { beforeAll, describe, expect, it } from "vitest";
import { useTempDatabase } from "./support/db";

// The counters behind the login and sign-up limits (decision 010), on a real SQLite file. Every expected
// number below is worked out by hand from the rule written beside it, not read back from the module.

beforeAll(async () => {
  await useTempDatabase();
});

// A fixed clock: 1 000 000 020 000 ms is a multiple of 60 000, so a 60 s window starts there.
const WINDOW_START = 1_000_000_020_000;

async function storedLimit(key: string) {
  const { db } = await import("~/db.server");
  return db().selectFrom("rate_limit").select(["window_start", "count"]).where("key", "=", key).executeTakeFirst();
}

async function storedThrottle(key: string) {
  const { db } = await import("~/db.server");
  return db().selectFrom("login_throttle").select(["attempts", "last_attempt_at"]).where("key", "=", key).executeTakeFirst();
}

describe("fixed-window limit: hit, undoHit, reset", () => {
  const limit = { key: "test:hit", max: 2, windowMs: 60_000 };

  it("lets max hits through, then says how many seconds are left in the window (rounded up)", async () => {
    const { hit } = await import("~/accounts/rate-limit.server");
    const now = WINDOW_START + 15_500; // 44.5 s before the window ends
    expect(await hit(limit, now)).toBe(0);
    expect(await hit(limit, now)).toBe(0);
    expect(await hit(limit, now)).toBe(45);
    expect(await hit(limit, WINDOW_START + 59_000)).toBe(1);
    expect(await storedLimit(limit.key)).toEqual({ window_start: WINDOW_START, count: 4 });
  });

  it("a new window starts the count again from one", async () => {
    const { hit } = await import("~/accounts/rate-limit.server");
    const next = WINDOW_START + 60_000;
    expect(await hit(limit, next)).toBe(0);
    expect(await storedLimit(limit.key)).toEqual({ window_start: next, count: 1 });
    expect(await hit(limit, next + 1)).toBe(0);
    expect(await hit(limit, next + 30_000)).toBe(30);
  });

  it("undoHit takes back one hit of the current window only, and never goes below zero", async () => {
    const { hit, undoHit } = await import("~/accounts/rate-limit.server");
    const key = { key: "test:undo", max: 1, windowMs: 60_000 };
    await hit(key, WINDOW_START + 1);
    await hit(key, WINDOW_START + 2);
    await undoHit(key, WINDOW_START + 3);
    expect(await storedLimit(key.key)).toEqual({ window_start: WINDOW_START, count: 1 });
    // Undoing in a later window leaves the stored (earlier) window alone.
    await undoHit(key, WINDOW_START + 60_000);
    expect((await storedLimit(key.key))?.count).toBe(1);
    await undoHit(key, WINDOW_START + 4);
    await undoHit(key, WINDOW_START + 5);
    expect((await storedLimit(key.key))?.count).toBe(0);
    // Taken back, the hit is free again: one more is allowed, the next is refused.
    expect(await hit(key, WINDOW_START + 6)).toBe(0);
    expect(await hit(key, WINDOW_START + 7)).toBeGreaterThan(0);
  });

  it("reset forgets the key", async () => {
    const { hit, reset } = await import("~/accounts/rate-limit.server");
    const key = { key: "test:reset", max: 1, windowMs: 60_000 };
    await hit(key, WINDOW_START);
    expect(await hit(key, WINDOW_START)).toBeGreaterThan(0);
    await reset(key.key);
    expect(await storedLimit(key.key)).toBeUndefined();
    expect(await hit(key, WINDOW_START)).toBe(0);
  });
});

describe("the wait told to a person", () => {
  it("is in whole minutes, rounded up, and at least one minute", async () => {
    const { waitMessage } = await import("~/accounts/rate-limit.server");
    expect(waitMessage(0)).toBe("vui lòng thử lại sau khoảng 1 phút");
    expect(waitMessage(1)).toBe("vui lòng thử lại sau khoảng 1 phút");
    expect(waitMessage(60)).toBe("vui lòng thử lại sau khoảng 1 phút");
    expect(waitMessage(61)).toBe("vui lòng thử lại sau khoảng 2 phút");
    expect(waitMessage(900)).toBe("vui lòng thử lại sau khoảng 15 phút");
  });
});

describe("progressive delay", () => {
  const throttle = { key: "test:delay", free: 2, firstDelayMs: 10_000, maxDelayMs: 40_000, forgetAfterMs: 3_600_000 };

  it("delayAfter: nothing for the free attempts, then 1×, 2×, 4× the first delay, capped", async () => {
    const { delayAfter } = await import("~/accounts/rate-limit.server");
    expect([0, 1, 2, 3, 4, 5, 6, 40, 5000].map((n) => delayAfter(n, throttle))).toEqual([0, 0, 10_000, 20_000, 40_000, 40_000, 40_000, 40_000, 40_000]);
  });

  it("reserveAttempt counts allowed attempts, refuses early ones with the seconds left, and a refusal changes nothing", async () => {
    const { reserveAttempt } = await import("~/accounts/rate-limit.server");
    const t0 = 2_000_000_000_000;
    expect(await reserveAttempt(throttle, t0)).toBe(0);
    expect(await reserveAttempt(throttle, t0)).toBe(0);
    expect(await storedThrottle(throttle.key)).toEqual({ attempts: 2, last_attempt_at: t0 });
    // Two counted: the third waits 10 s after the second.
    expect(await reserveAttempt(throttle, t0)).toBe(10);
    expect(await reserveAttempt(throttle, t0 + 9_001)).toBe(1);
    expect(await storedThrottle(throttle.key)).toEqual({ attempts: 2, last_attempt_at: t0 });
    expect(await reserveAttempt(throttle, t0 + 10_000)).toBe(0);
    expect(await storedThrottle(throttle.key)).toEqual({ attempts: 3, last_attempt_at: t0 + 10_000 });
    // Three counted: the fourth waits 20 s.
    expect(await reserveAttempt(throttle, t0 + 10_000 + 19_999)).toBe(1);
    expect(await reserveAttempt(throttle, t0 + 30_000)).toBe(0);
    expect(await storedThrottle(throttle.key)).toEqual({ attempts: 4, last_attempt_at: t0 + 30_000 });
  });

  it("attempts are forgotten once forgetAfterMs has passed since the last one, not a millisecond before", async () => {
    const { reserveAttempt } = await import("~/accounts/rate-limit.server");
    const slow = { key: "test:forget", free: 1, firstDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 30_000 };
    const t0 = 2_100_000_000_000;
    expect(await reserveAttempt(slow, t0)).toBe(0);
    // Still remembered: the next attempt would be allowed 60 s after the first, 30.001 s from now.
    expect(await reserveAttempt(slow, t0 + 29_999)).toBe(31);
    expect(await reserveAttempt(slow, t0 + 30_000)).toBe(0);
    expect(await storedThrottle(slow.key)).toEqual({ attempts: 1, last_attempt_at: t0 + 30_000 });
  });

  it("a forgotten attempt leaves no wait behind, even for a throttle with no free attempt", async () => {
    const { reserveAttempt } = await import("~/accounts/rate-limit.server");
    // No free attempt: after one counted attempt the next waits 60 s; but attempts are forgotten after 30 s.
    const strict = { key: "test:strict", free: 0, firstDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 30_000 };
    const t0 = 2_300_000_000_000;
    expect(await reserveAttempt(strict, t0)).toBe(0);
    // Remembered: allowed 60 s after it, 30.001 s from now.
    expect(await reserveAttempt(strict, t0 + 29_999)).toBe(31);
    // Forgotten: as if there had been none, so no wait at all.
    expect(await reserveAttempt(strict, t0 + 30_000)).toBe(0);
    expect(await storedThrottle(strict.key)).toEqual({ attempts: 1, last_attempt_at: t0 + 30_000 });
  });

  it("clearAttempts starts the count afresh", async () => {
    const { clearAttempts, reserveAttempt } = await import("~/accounts/rate-limit.server");
    const once = { key: "test:clear", free: 1, firstDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 };
    const t0 = 2_200_000_000_000;
    await reserveAttempt(once, t0);
    expect(await reserveAttempt(once, t0)).toBe(60);
    await clearAttempts(once.key);
    expect(await storedThrottle(once.key)).toBeUndefined();
    expect(await reserveAttempt(once, t0)).toBe(0);
  });
});
