import { db, nowIso } from "~/db.server";
import { listIndicators, type Indicator } from "./indicators.server";
import { targetFor } from "./report.server";
import { daysUntil, formatVietnamDate, isCalendarDate, vietnamDate } from "~/ui/vietnam-time";

// Deadlines are data (decision 018): each indicator target carries the day it falls due (31/12 of its year
// unless set), and the administrator may give one agency its own date (e.g. 30/06). The officials' page, the
// agency officer's page and the reports all read them here.

export type Deadline = { date: string; label: string; daysLeft: number; source: "target" | "agency"; targetYear: number | null };

/** The officials' indicator the required courses and deadlines come from (the first one, by position). */
export async function officialsIndicator(): Promise<Indicator | undefined> {
  return (await listIndicators()).find((i) => i.population === "officials");
}

async function targetDeadline(indicator: Indicator, year: number): Promise<{ date: string; year: number } | null> {
  const target = targetFor(indicator, year);
  if (!target) return null;
  const row = await db()
    .selectFrom("indicator_target")
    .select("deadline")
    .where("indicator_id", "=", indicator.id)
    .where("year", "=", target.year)
    .executeTakeFirst();
  return { date: row?.deadline ?? `${target.year}-12-31`, year: target.year };
}

/** The deadline that applies to an agency today: its own date if the administrator set one, else the target's. */
export async function deadlineFor(indicator: Indicator, agencyCode: string | null, today = vietnamDate()): Promise<Deadline | null> {
  const target = await targetDeadline(indicator, Number(today.slice(0, 4)));
  const own = agencyCode
    ? await db().selectFrom("agency_deadline").select("deadline").where("indicator_id", "=", indicator.id).where("agency_code", "=", agencyCode).executeTakeFirst()
    : undefined;
  const date = own?.deadline ?? target?.date;
  if (!date) return null;
  return { date, label: formatVietnamDate(date), daysLeft: daysUntil(date, today), source: own ? "agency" : "target", targetYear: target?.year ?? null };
}

/** "còn 30 ngày", "hôm nay là hạn cuối", "đã quá hạn 5 ngày". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft > 0) return `còn ${daysLeft} ngày`;
  if (daysLeft === 0) return "hôm nay là hạn cuối";
  return `đã quá hạn ${-daysLeft} ngày`;
}

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** "30/06/2026" → "2026-06-30", or null when it is not a real date. */
export function parseVietnamDate(text: string): string | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const [, d, m, y] = match;
  const iso = `${y}-${m}-${d}`;
  return isCalendarDate(iso) && +y >= 2020 && +y <= 2100 ? iso : null;
}

export async function setTargetDeadline(indicatorId: string, year: number, date: string): Promise<boolean> {
  const result = await db().updateTable("indicator_target").set({ deadline: date }).where("indicator_id", "=", indicatorId).where("year", "=", year).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setAgencyDeadline(indicatorId: string, agencyCode: string, date: string | null, setBy: string): Promise<void> {
  if (!date) {
    await db().deleteFrom("agency_deadline").where("indicator_id", "=", indicatorId).where("agency_code", "=", agencyCode).execute();
    return;
  }
  await db()
    .insertInto("agency_deadline")
    .values({ indicator_id: indicatorId, agency_code: agencyCode, deadline: date, set_by: setBy, set_at: nowIso() })
    .onConflict((oc) => oc.columns(["indicator_id", "agency_code"]).doUpdateSet({ deadline: date, set_by: setBy, set_at: nowIso() }))
    .execute();
}

export async function listDeadlines() {
  const indicators = (await listIndicators()).filter((i) => i.population === "officials");
  const targets = await db().selectFrom("indicator_target").selectAll().orderBy("year").execute();
  const agencies = await db()
    .selectFrom("agency_deadline")
    .innerJoin("agency", "agency.code", "agency_deadline.agency_code")
    .select(["agency_deadline.indicator_id", "agency_deadline.agency_code", "agency_deadline.deadline", "agency.name"])
    .orderBy("agency.search_name")
    .execute();
  return indicators.map((i) => ({
    id: i.id,
    name: i.name,
    targets: targets.filter((t) => t.indicator_id === i.id).map((t) => ({ year: t.year, percent: t.target_percent, deadline: formatVietnamDate(t.deadline ?? `${t.year}-12-31`) })),
    agencies: agencies.filter((a) => a.indicator_id === i.id).map((a) => ({ code: a.agency_code, name: a.name, deadline: formatVietnamDate(a.deadline) })),
  }));
}
