// npm run db:restore -- <backup.db> [target.db]
// Checks the backup's integrity, then restores it over the target (default: DATABASE_PATH). Stop the server
// first: a restore replaces the whole database. The copy is made beside the target and checked, and only then
// put in its place (with the target's old -wal/-shm removed), so a failed restore leaves the old file as it was.
import { existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databasePath, databaseUrl } from "../db/database";
import { restorePostgres } from "../db/pg-backup";

const [backupArg, targetArg] = process.argv.slice(2);
// PostgreSQL (DATABASE_URL, or a postgres:// target): pg_restore of a pg_dump archive, in one transaction.
const url = targetArg?.startsWith("postgres") ? targetArg : databaseUrl();
if (url && backupArg && existsSync(backupArg)) {
  try {
    restorePostgres(path.resolve(backupArg), url);
    console.log(`Đã khôi phục ${backupArg} → PostgreSQL (pg_restore, một giao dịch)`);
    process.exit(0);
  } catch (error) {
    console.error(`Khôi phục thất bại; cơ sở dữ liệu không bị thay đổi: ${(error as Error).message}`);
    process.exit(1);
  }
}
if (!backupArg || !existsSync(backupArg)) {
  console.error("Cách dùng: npm run db:restore -- <tệp-sao-lưu.db> [tệp-đích.db]");
  process.exit(2);
}
const backup = new Database(path.resolve(backupArg), { readonly: true, fileMustExist: true });
const check = backup.pragma("integrity_check", { simple: true });
if (check !== "ok") {
  console.error(`Tệp sao lưu không toàn vẹn (${check}); không khôi phục.`);
  process.exit(1);
}
const target = path.resolve(targetArg ?? databasePath());
const staging = `${target}.restoring`;
const clear = (file: string) => ["", "-wal", "-shm", "-journal"].forEach((suffix) => rmSync(file + suffix, { force: true }));
clear(staging);
await backup.backup(staging);
backup.close();
const restored = new Database(staging);
restored.pragma("journal_mode = WAL");
const after = restored.pragma("integrity_check", { simple: true });
restored.close();
if (after !== "ok") {
  clear(staging);
  console.error(`Bản khôi phục không toàn vẹn (${after}); tệp ${target} không bị thay đổi.`);
  process.exit(1);
}
for (const suffix of ["-wal", "-shm"]) rmSync(target + suffix, { force: true });
renameSync(staging, target);
console.log(`Đã khôi phục ${backupArg} → ${target} (integrity_check: ${after})`);
