import { queueWeeklyDigest } from "../app/reminders/digest.server";
import { deliverDue } from "../app/reminders/outbox.server";

// `npm run reminders:digest`: for a scheduler, once a week (running it twice in one ISO week sends nothing
// more). It queues each agency officer's digest, then delivers everything due in the outbox, retries included.
// `npm run reminders:deliver` (this script with --deliver-only) only delivers: for a cron every few minutes.
const deliverOnly = process.argv.includes("--deliver-only");
if (!deliverOnly) {
  const digest = await queueWeeklyDigest();
  console.log(
    `Tuần ${digest.week}: ${digest.queued} thư tổng hợp mới, ${digest.alreadyQueued} đã có từ trước, ${digest.withoutEmail} cán bộ phụ trách chưa có địa chỉ thư.`,
  );
}
const delivered = await deliverDue();
console.log(`Đã gửi ${delivered.sent} thư, ${delivered.retried} thư sẽ gửi lại sau, ${delivered.failed} thư không gửi được.`);
if (!process.env.SMTP_HOST) console.log("Chưa cấu hình SMTP_HOST: thư nằm chờ trong hàng đợi (outbox).");
process.exit(0);
