// npm run db:backup [-- <destination.db>] [--timeout <seconds>]
// An online copy of the live database while the server keeps writing: one consistent snapshot taken in one
// pass (it never restarts, however busy the server is), then checked — integrity_check and the key tables'
// row counts against the snapshot. Gives up with a clear message after --timeout seconds (default 600,
// or BACKUP_TIMEOUT_S). Default destination: $BACKUP_DIR (default backups/)/hoc-vu-so-<time>.db
import path from "node:path";
import { backupDatabase, backupFileName } from "../db/backup";
import { databasePath, databaseUrl } from "../db/database";
import { backupPostgres } from "../db/pg-backup";

const args = process.argv.slice(2);
const timeoutAt = args.indexOf("--timeout");
const timeoutSeconds = Number(timeoutAt >= 0 ? args[timeoutAt + 1] : (process.env.BACKUP_TIMEOUT_S ?? 600));
const positional = args.filter((_, i) => (i !== timeoutAt && i !== timeoutAt + 1) || timeoutAt < 0);
if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  console.error("Cách dùng: npm run db:backup -- [tệp-đích.db] [--timeout <số giây>]");
  process.exit(2);
}
const destination = path.resolve(positional[0] ?? path.join(process.env.BACKUP_DIR ?? "backups", backupFileName(new Date())));
// PostgreSQL (DATABASE_URL): pg_dump in its custom format (decision 016).
const url = databaseUrl();
if (url) {
  try {
    const target = destination.endsWith(".db") ? destination.replace(/\.db$/, ".dump") : destination;
    const report = backupPostgres(url, target);
    console.log(
      `Đã sao lưu PostgreSQL → ${report.destination} (pg_dump, ${report.milliseconds} ms, ${(report.bytes / 1048576).toFixed(1)} MB, ${report.tables} bảng có dữ liệu)`,
    );
    process.exit(0);
  } catch (error) {
    console.error(`Sao lưu thất bại: ${(error as Error).message}`);
    process.exit(1);
  }
}
try {
  const report = await backupDatabase(databasePath(), destination, { timeoutMs: timeoutSeconds * 1000 });
  const counts = Object.entries(report.counts)
    .map(([table, n]) => `${table} ${n}`)
    .join(", ");
  console.log(
    `Đã sao lưu ${report.source} → ${report.destination} (${report.milliseconds} ms, ${(report.bytes / 1048576).toFixed(1)} MB, integrity_check: ok; số dòng khớp: ${counts})`,
  );
  process.exit(0);
} catch (error) {
  console.error(`Sao lưu thất bại: ${(error as Error).message}`);
  process.exit(1);
}
