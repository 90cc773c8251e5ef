import { db, nowIso } from "~/db.server";
import { deadlineFor, daysLeftText, officialsIndicator } from "~/reports/deadlines.server";
import { officialsBehind } from "~/reports/agency-roster.server";
import { vietnamDate } from "~/ui/vietnam-time";
import { enqueueMail } from "./outbox.server";
import { messageOrigin } from "~/records/origin.server";

// Reminders from an agency's training officer to officials who are behind (issue 17, item 3). Each reminder is
// a notice shown on the official's next visit and, when they gave an e-mail address, one message in the outbox.
// At most one reminder per official per Vietnam day: pressing "remind" again, or a retried POST, adds nothing.

export type RemindResult = { reminded: number; emailed: number; alreadyToday: number };

function reminderText(agencyName: string, deadline: Awaited<ReturnType<typeof deadlineFor>>, coursesLeft: string[]): string {
  const when = deadline ? ` Hạn hoàn thành: ${deadline.label} (${daysLeftText(deadline.daysLeft)}).` : "";
  const left = coursesLeft.length ? ` Các khóa còn lại: ${coursesLeft.join("; ")}.` : "";
  return `Cán bộ phụ trách đào tạo của ${agencyName} nhắc bạn hoàn thành các khóa học bắt buộc về kỹ năng số.${when}${left}`;
}

async function coursesLeftFor(personId: string, required: { slug: string; title: string }[]): Promise<string[]> {
  if (!required.length) return [];
  const done = await db()
    .selectFrom("course_progress")
    .select("course_slug")
    .where("person_id", "=", personId)
    .where(
      "course_slug",
      "in",
      required.map((c) => c.slug),
    )
    .where("completed_at", "is not", null)
    .execute();
  const finished = new Set(done.map((d) => d.course_slug));
  return required.filter((c) => !finished.has(c.slug)).map((c) => c.title);
}

/**
 * Reminds the given officials (or, with "behind", everyone of the agency who has not finished). Only accounts
 * that belong to this agency's roster or declared it are reminded: an officer cannot message other agencies.
 */
export async function remindOfficials(agencyCode: string, who: string[] | "behind", sentBy: string): Promise<RemindResult> {
  const indicator = await officialsIndicator();
  const requiredSlugs = indicator?.courses ?? [];
  const { findCourse } = await import("~/courses/catalog.server");
  const required = requiredSlugs.map((slug) => ({ slug, title: findCourse(slug)?.title ?? slug }));
  const behind = await officialsBehind(agencyCode, requiredSlugs);
  const allowed = new Set(behind);
  const targets = who === "behind" ? behind : who.filter((id) => allowed.has(id));
  const agency = await db().selectFrom("agency").select("name").where("code", "=", agencyCode).executeTakeFirst();
  const deadline = indicator ? await deadlineFor(indicator, agencyCode) : null;
  const day = vietnamDate();
  const result: RemindResult = { reminded: 0, emailed: 0, alreadyToday: 0 };
  for (const personId of targets) {
    const message = reminderText(agency?.name ?? agencyCode, deadline, await coursesLeftFor(personId, required));
    await db()
      .transaction()
      .execute(async (trx) => {
        const inserted = await trx
          .insertInto("reminder")
          .values({ person_id: personId, agency_code: agencyCode, day, message, sent_by: sentBy, created_at: nowIso(), seen_at: null })
          .onConflict((oc) => oc.columns(["person_id", "day"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) {
          result.alreadyToday += 1;
          return;
        }
        result.reminded += 1;
        const person = await trx.selectFrom("person").select(["email", "full_name"]).where("id", "=", personId).executeTakeFirst();
        if (person?.email) {
          const body = `Kính gửi ${person.full_name},\n\n${message}\n\nHọc tiếp tại trang cá nhân: ${messageOrigin()}/ca-nhan\n\nHọc vụ số Tây Ninh`;
          await enqueueMail(trx, {
            dedupeKey: `reminder:${inserted.id}`,
            recipient: person.email,
            subject: "Nhắc nhở: hoàn thành các khóa học kỹ năng số bắt buộc",
            body,
            agencyCode,
          });
          result.emailed += 1;
        }
      });
  }
  return result;
}

export async function unseenReminders(personId: string) {
  return db()
    .selectFrom("reminder")
    .select(["id", "message", "created_at"])
    .where("person_id", "=", personId)
    .where("seen_at", "is", null)
    .orderBy("id")
    .execute();
}

export async function markRemindersSeen(personId: string): Promise<void> {
  await db().updateTable("reminder").set({ seen_at: nowIso() }).where("person_id", "=", personId).where("seen_at", "is", null).execute();
}

/** Reminders sent to this agency's officials today and in the last weeks, for the officer's page. */
export async function remindersSentBy(agencyCode: string, limit = 20) {
  return db()
    .selectFrom("reminder")
    .innerJoin("person", "person.id", "reminder.person_id")
    .select(["reminder.id", "reminder.day", "reminder.seen_at", "person.full_name", "person.personnel_code"])
    .where("reminder.agency_code", "=", agencyCode)
    .orderBy("reminder.id", "desc")
    .limit(limit)
    .execute();
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/** Sets or clears the person's own e-mail address for reminders; returns an error message or null. */
export async function setOwnEmail(personId: string, raw: string): Promise<string | null> {
  const email = raw.trim().toLowerCase();
  if (email && (email.length > 254 || !EMAIL.test(email))) return "Địa chỉ thư điện tử chưa đúng, ví dụ đúng: ten@gmail.com.";
  await db()
    .updateTable("person")
    .set({ email: email || null })
    .where("id", "=", personId)
    .execute();
  return null;
}

/** What the official's section needs besides the overview: unread reminders and their own address. */
export async function officialExtras(personId: string) {
  const person = await db().selectFrom("person").select("email").where("id", "=", personId).executeTakeFirst();
  return { reminders: await unseenReminders(personId), email: person?.email ?? null };
}
