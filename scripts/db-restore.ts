// npm run db:restore -- <backup.db> [target.db]
// Checks the backup's integrity, then restores it over the target (default: DATABASE_PATH). Stop the server
// first: a restore replaces the whole database.
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databasePath } from "../db/database";

const [backupArg, targetArg] = process.argv.slice(2);
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
for (const suffix of ["-wal", "-shm"]) if (existsSync(target + suffix)) rmSync(target + suffix);
await backup.backup(target);
backup.close();
const restored = new Database(target);
restored.pragma("journal_mode = WAL");
const after = restored.pragma("integrity_check", { simple: true });
restored.close();
console.log(`Đã khôi phục ${backupArg} → ${target} (integrity_check: ${after})`);
if (after !== "ok") process.exit(1);
