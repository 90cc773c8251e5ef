import { db } from "~/db.server";
import { rosterCounts } from "~/reports/agency-roster.server";
import { deadlineFor, daysLeftText, officialsIndicator } from "~/reports/deadlines.server";
import { isoWeek, vietnamDate } from "~/ui/vietnam-time";
import { enqueueMail } from "./outbox.server";
import { messageOrigin } from "~/records/origin.server";

// The weekly digest to each agency training officer (issue 17, item 3): where their agency stands, by e-mail.
// A scheduler runs `npm run reminders:digest` (e.g. Monday 07:00); the outbox key digest:<officer>:<agency>:<ISO
// week> makes a second run in the same week queue nothing, so a retried or doubled cron job sends once.

export type DigestResult = { week: string; queued: number; alreadyQueued: number; withoutEmail: number };

export async function queueWeeklyDigest(today = vietnamDate()): Promise<DigestResult> {
  const week = isoWeek(today);
  const indicator = await officialsIndicator();
  const officers = await db()
    .selectFrom("person_role")
    .innerJoin("person", "person.id", "person_role.person_id")
    .innerJoin("agency", "agency.code", "person_role.scope")
    .select(["person.id", "person.full_name", "person.email", "agency.code as agency_code", "agency.name as agency_name"])
    .where("person_role.role", "=", "agency_officer")
    .orderBy("person.id")
    .execute();
  const result: DigestResult = { week, queued: 0, alreadyQueued: 0, withoutEmail: 0 };
  for (const officer of officers) {
    if (!officer.email) {
      result.withoutEmail += 1;
      continue;
    }
    const counts = await rosterCounts(officer.agency_code, indicator?.courses ?? []);
    const deadline = indicator ? await deadlineFor(indicator, officer.agency_code, today) : null;
    const behind = counts.total - counts.completed;
    const lines = [
      `Kính gửi ${officer.full_name},`,
      "",
      `Tình hình học kỹ năng số bắt buộc của ${officer.agency_name} (tuần ${week}):`,
      `- Đã hoàn thành: ${counts.completed}/${counts.total} cán bộ`,
      `- Đang học: ${counts.inProgress}`,
      `- Chưa bắt đầu: ${counts.notStarted} (trong đó ${counts.withoutAccount} người chưa có tài khoản)`,
      `- Tài khoản chưa khớp danh sách: ${counts.notMatched}`,
      deadline ? `Còn ${behind} người chưa xong, hạn ${deadline.label} (${daysLeftText(deadline.daysLeft)}).` : `Còn ${behind} người chưa xong.`,
      "",
      `Xem danh sách và nhắc nhở: ${messageOrigin()}/bao-cao/co-quan/${officer.agency_code}`,
    ];
    const queued = await enqueueMail(db(), {
      dedupeKey: `digest:${officer.id}:${officer.agency_code}:${week}`,
      recipient: officer.email,
      subject: `Tình hình học kỹ năng số của ${officer.agency_name} — tuần ${week}`,
      body: lines.join("\n"),
      agencyCode: officer.agency_code,
    });
    if (queued) result.queued += 1;
    else result.alreadyQueued += 1;
  }
  return result;
}
