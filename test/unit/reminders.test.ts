import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";

// Issue 17, item 3: reminders reach a real SMTP server (smtp-server, started here on 127.0.0.1 and a port the
// OS picks) exactly once, appear in the app, failed deliveries are retried and logged, and the weekly digest
// run twice in one week sends once. Fixture content: "thu-hai" is the official-required set.

type Received = { to: string[]; subject: string; body: string };
const received: Received[] = [];
let refuseNext = 0; // how many deliveries the server refuses before accepting again
let server: SMTPServer;

beforeAll(async () => {
  await useTempDatabase();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseNext > 0) {
        refuseNext -= 1;
        return callback(Object.assign(new Error("Hộp thư tạm thời không nhận"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        // Bodies arrive quoted-printable: decode the soft line breaks and =XX bytes to read the Vietnamese.
        const raw = Buffer.concat(chunks)
          .toString("utf8")
          .replace(/=\r?\n/g, "")
          .replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ""), "hex").toString("utf8"));
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? "";
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, body: raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_HOST = "127.0.0.1";
  process.env.SMTP_PORT = String((server.server.address() as AddressInfo).port);
});

afterAll(async () => {
  delete process.env.SMTP_HOST;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function m() {
  return {
    ...(await import("~/reminders/reminders.server")),
    ...(await import("~/reminders/outbox.server")),
    ...(await import("~/reminders/digest.server")),
    ...(await import("~/reports/imports.server")),
    ...(await import("~/reports/official-overview.server")),
    db: (await import("~/db.server")).db,
  };
}

async function official(code: string, fullName: string, email: string | null) {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName, birthYear: 1980 });
  await db().updateTable("person").set({ personnel_code: code, agency_code: "SNV", email }).where("id", "=", id).execute();
  return id;
}

describe("reminders", () => {
  it("a reminder reaches the SMTP server exactly once and shows on the official's next visit", async () => {
    const { importCsv, remindOfficials, deliverDue, unseenReminders, markRemindersSeen, db } = await m();
    const header = "personnel_code,full_name,birth_year,agency_code,commune_code,status";
    await importCsv(
      "roster",
      `${header}\nREM-1,Đỗ Thị Nhắc,1980,SNV,,active\nREM-2,Đỗ Văn Xong,1980,SNV,,active\nREM-3,Đỗ Văn Không Thư,1980,SNV,,active\n`,
      "rem.csv",
      null,
    );
    const behind = await official("REM-1", "Đỗ Thị Nhắc", "nhac@example.vn");
    const done = await official("REM-2", "Đỗ Văn Xong", "xong@example.vn");
    const noMail = await official("REM-3", "Đỗ Văn Không Thư", null);
    await completeAt(done, "thu-hai", "2026-05-02T03:00:00.000Z");
    const officer = await makePerson({ fullName: "Cán Bộ Đào Tạo" });

    // "Remind everyone behind": the two who have not finished; the one who finished is left alone.
    expect(await remindOfficials("SNV", "behind", officer)).toEqual({ reminded: 2, emailed: 1, alreadyToday: 0 });
    // Pressed again (or the POST retried): nothing new today.
    expect(await remindOfficials("SNV", "behind", officer)).toEqual({ reminded: 0, emailed: 0, alreadyToday: 2 });
    // An officer cannot remind someone outside the list of officials behind (here: the one who finished).
    expect(await remindOfficials("SNV", [done], officer)).toEqual({ reminded: 0, emailed: 0, alreadyToday: 0 });

    expect(await deliverDue()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await deliverDue()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(["nhac@example.vn"]);
    expect(received[0].body).toContain("Kính gửi");

    const notices = await unseenReminders(behind);
    expect(notices).toHaveLength(1);
    expect(notices[0].message).toContain("nhắc bạn hoàn thành các khóa học bắt buộc");
    expect(notices[0].message).toMatch(/Hạn hoàn thành: \d\d\/\d\d\/\d{4}/);
    expect(await unseenReminders(noMail)).toHaveLength(1);
    expect(await unseenReminders(done)).toHaveLength(0);
    await markRemindersSeen(behind);
    expect(await unseenReminders(behind)).toHaveLength(0);
    const log = await db().selectFrom("delivery_log").selectAll().execute();
    expect(log.map((l) => l.ok)).toEqual([1]);
  });

  it("a refused delivery is retried later, logged each time, and sent once", async () => {
    const { enqueueMail, deliverDue, db } = await m();
    received.length = 0;
    await enqueueMail(db(), { dedupeKey: "test:retry", recipient: "retry@example.vn", subject: "Thử gửi lại", body: "Nội dung", agencyCode: "SNV" });
    refuseNext = 1;
    expect(await deliverDue()).toEqual({ sent: 0, failed: 0, retried: 1 });
    const waiting = await db().selectFrom("outbox").selectAll().where("dedupe_key", "=", "test:retry").executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.last_error).toContain("451");
    // Not due yet: nothing is sent before the back-off.
    expect(await deliverDue()).toEqual({ sent: 0, failed: 0, retried: 0 });
    const later = new Date(Date.now() + 2 * 60_000);
    expect(await deliverDue(undefined, later)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(received.map((r) => r.to[0])).toEqual(["retry@example.vn"]);
    const log = await db().selectFrom("delivery_log").select("ok").where("outbox_id", "=", waiting.id).orderBy("id").execute();
    expect(log.map((l) => l.ok)).toEqual([0, 1]);
  });

  it("the weekly digest run twice in one week sends once per officer", async () => {
    const { queueWeeklyDigest, deliverDue, db } = await m();
    received.length = 0;
    const officer = await makePerson({ fullName: "Trưởng Phòng Tổ Chức" });
    await db().updateTable("person").set({ email: "daotao@example.vn" }).where("id", "=", officer).execute();
    await db()
      .insertInto("person_role")
      .values({ person_id: officer, role: "agency_officer", scope: "SNV", granted_by: null, granted_at: new Date().toISOString() })
      .execute();
    expect(await queueWeeklyDigest("2026-12-01")).toMatchObject({ week: "2026-W49", queued: 1, alreadyQueued: 0 });
    await deliverDue();
    expect(await queueWeeklyDigest("2026-12-04")).toMatchObject({ week: "2026-W49", queued: 0, alreadyQueued: 1 });
    await deliverDue();
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(["daotao@example.vn"]);
    // Three officials on the SNV roster, one finished: the digest says how many are left.
    expect(received[0].body).toContain("Đã hoàn thành: 1/3 cán bộ");
    expect(received[0].body).toContain("Còn 2 người chưa xong, hạn 31/12/2026");
    // Next week is a new digest.
    expect(await queueWeeklyDigest("2026-12-07")).toMatchObject({ week: "2026-W50", queued: 1 });
  });
});
