// npm run db:backup:scheduled [-- --dir backups --daily 7 --weekly 4 --timeout 600]
// For a cron job or systemd timer (docs/operations.md): makes one checked backup (see db-backup.ts) in --dir
// (default $BACKUP_DIR or backups/), then keeps the newest copy of each of the last --daily days and of each of
// the last --weekly ISO weeks, and deletes the other scheduled copies. Exits 1 — and prunes nothing — if the
// new backup fails, so an operator's alert on the exit code never meets a shrinking set of old copies.
import path from "node:path";
import { backupDatabase, backupFileName, pruneBackups } from "../db/backup";
import { databasePath } from "../db/database";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const dir = path.resolve(option("dir", process.env.BACKUP_DIR ?? "backups"));
const daily = Number(option("daily", "7"));
const weekly = Number(option("weekly", "4"));
const timeoutSeconds = Number(option("timeout", process.env.BACKUP_TIMEOUT_S ?? "600"));
if (![daily, weekly, timeoutSeconds].every((n) => Number.isInteger(n) && n >= 0) || daily + weekly === 0) {
  console.error("Cách dùng: npm run db:backup:scheduled -- [--dir thư-mục] [--daily N] [--weekly M] [--timeout giây] (N + M ≥ 1)");
  process.exit(2);
}
try {
  const report = await backupDatabase(databasePath(), path.join(dir, backupFileName(new Date())), { timeoutMs: timeoutSeconds * 1000 });
  const pruned = pruneBackups(dir, daily, weekly);
  console.log(`Đã sao lưu → ${report.destination} (${report.milliseconds} ms, integrity_check: ok, số dòng khớp).`);
  console.log(`Giữ ${daily} bản theo ngày và ${weekly} bản theo tuần; đã xóa ${pruned.length} bản cũ${pruned.length ? `: ${pruned.join(", ")}` : ""}.`);
  process.exit(0);
} catch (error) {
  console.error(`Sao lưu định kỳ thất bại (không xóa bản cũ nào): ${(error as Error).message}`);
  process.exit(1);
}
