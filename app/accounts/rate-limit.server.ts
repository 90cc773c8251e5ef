import { sql } from "kysely";
import { db, lockKey } from "~/db.server";

// Fixed-window counters in the database (shared by every app process), so limits hold across restarts. There is deliberately no "check without
// counting": a check made before slow work and counted after it lets parallel requests through (decision 010).

export type Limit = { key: string; max: number; windowMs: number };

/** Counts one hit; returns the seconds to wait if the limit is exceeded, else 0. */
export async function hit(limit: Limit, now = Date.now()): Promise<number> {
  const windowStart = now - (now % limit.windowMs);
  const row = await db()
    .insertInto("rate_limit")
    .values({ key: limit.key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        count: sql`case when rate_limit.window_start = ${windowStart} then rate_limit.count + 1 else 1 end`,
        window_start: windowStart,
      }),
    )
    .returning(["count"])
    .executeTakeFirstOrThrow();
  return row.count > limit.max ? Math.ceil((windowStart + limit.windowMs - now) / 1000) : 0;
}

/** Takes back one hit counted in the current window (an attempt that turned out to be honest). */
export async function undoHit(limit: Limit, now = Date.now()): Promise<void> {
  const windowStart = now - (now % limit.windowMs);
  await db()
    .updateTable("rate_limit")
    .set({ count: sql`case when count > 0 then count - 1 else 0 end` })
    .where("key", "=", limit.key)
    .where("window_start", "=", windowStart)
    .execute();
}

export async function reset(key: string): Promise<void> {
  await db().deleteFrom("rate_limit").where("key", "=", key).execute();
}

export function waitMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `vui lòng thử lại sau khoảng ${minutes} phút`;
}

// ---------------------------------------------------------------------------------------------------------
// Progressive delay. A fixed window locks out whoever shares the key once it is full; a delay that doubles
// only slows down: the first `free` attempts go straight through, then each further attempt must wait
// firstDelayMs, 2×, 4× … up to maxDelayMs after the previous one. Refused attempts change nothing, so the
// wait a person is told is the wait they get.

export type Throttle = { key: string; free: number; firstDelayMs: number; maxDelayMs: number; forgetAfterMs: number };

/** How long the next attempt must wait after `attempts` counted ones. */
export function delayAfter(attempts: number, throttle: Throttle): number {
  if (attempts < throttle.free) return 0;
  return Math.min(throttle.maxDelayMs, throttle.firstDelayMs * 2 ** Math.min(attempts - throttle.free, 30));
}

/**
 * Counts one attempt if it is allowed now; returns 0 then, else the seconds to wait. Read and write run in one
 * transaction that holds the key's lock (SQLite's write lock; a row-key lock on PostgreSQL), so parallel
 * attempts are counted one by one and no more than the allowance can get through before any is checked.
 */
export async function reserveAttempt(throttle: Throttle, now = Date.now()): Promise<number> {
  return db()
    .transaction()
    .execute(async (trx) => {
      await lockKey(trx, `login_throttle:${throttle.key}`);
      const row = await trx.selectFrom("login_throttle").select(["attempts", "last_attempt_at"]).where("key", "=", throttle.key).executeTakeFirst();
      const attempts = row && now - row.last_attempt_at < throttle.forgetAfterMs ? row.attempts : 0;
      const allowedAt = row && attempts ? row.last_attempt_at + delayAfter(attempts, throttle) : 0;
      if (now < allowedAt) return Math.ceil((allowedAt - now) / 1000);
      await trx
        .insertInto("login_throttle")
        .values({ key: throttle.key, attempts: attempts + 1, last_attempt_at: now })
        .onConflict((oc) => oc.column("key").doUpdateSet({ attempts: attempts + 1, last_attempt_at: now }))
        .execute();
      return 0;
    });
}

export async function clearAttempts(key: string): Promise<void> {
  await db().deleteFrom("login_throttle").where("key", "=", key).execute();
}
