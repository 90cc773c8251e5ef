import { sql } from "kysely";
import { db } from "~/db.server";

// Fixed-window counters in SQLite, so limits hold across restarts.

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

/** Whether the limit is already exceeded, without counting a hit. */
export async function blockedFor(limit: Limit, now = Date.now()): Promise<number> {
  const windowStart = now - (now % limit.windowMs);
  const row = await db().selectFrom("rate_limit").select(["count", "window_start"]).where("key", "=", limit.key).executeTakeFirst();
  if (!row || row.window_start !== windowStart || row.count < limit.max) return 0;
  return Math.ceil((windowStart + limit.windowMs - now) / 1000);
}

export async function reset(key: string): Promise<void> {
  await db().deleteFrom("rate_limit").where("key", "=", key).execute();
}

export function waitMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `vui lòng thử lại sau khoảng ${minutes} phút`;
}
