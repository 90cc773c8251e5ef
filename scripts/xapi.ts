// npm run xapi:send [-- --watch]   — forward the xAPI outbox to the LRS (XAPI_LRS_ENDPOINT, XAPI_LRS_USERNAME,
//                                     XAPI_LRS_PASSWORD); --watch keeps going, every 30 seconds.
// npm run xapi:export -- <2026|2026-03> [file]  — the period's statements as a JSON array (Vietnam time).
// Decisions 023 and 034.
import { writeFileSync } from "node:fs";
import { lrsFromEnv, sendPending, statementsInPeriod } from "../app/records/xapi-outbox.server";

const [command, ...rest] = process.argv.slice(2);

async function sendAll(): Promise<void> {
  const lrs = lrsFromEnv();
  if (!lrs) {
    console.error("Chưa cấu hình kho xAPI (LRS): đặt XAPI_LRS_ENDPOINT, XAPI_LRS_USERNAME và XAPI_LRS_PASSWORD.");
    process.exit(2);
  }
  const report = await sendPending(lrs);
  if (report.error) console.error(`Gửi chưa được ${report.failed} câu lệnh (${report.error}); sẽ thử lại sau.`);
  console.log(`Đã gửi ${report.sent} câu lệnh xAPI.`);
}

if (command === "send") {
  await sendAll();
  while (rest.includes("--watch")) {
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await sendAll();
  }
} else if (command === "export") {
  const [period, file] = rest;
  const statements = await statementsInPeriod(period ?? "");
  if (!statements) {
    console.error("Kỳ không hợp lệ: ghi năm (2026) hoặc tháng (2026-03).");
    process.exit(2);
  }
  const body = JSON.stringify(statements, null, 2);
  if (file) {
    writeFileSync(file, body);
    console.log(`Đã ghi ${statements.length} câu lệnh xAPI của kỳ ${period} vào ${file}.`);
  } else {
    process.stdout.write(`${body}\n`);
  }
} else {
  console.error("Dùng: npm run xapi:send [-- --watch] | npm run xapi:export -- <kỳ> [tệp]");
  process.exit(2);
}
