// npm run db:backup [-- <destination.db>]
// An online copy of the live database while the server keeps writing (SQLite's backup API: a consistent
// snapshot), then an integrity check of the copy. Default destination: backups/hoc-vu-so-<time>.db
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databasePath } from "../db/database";

const source = databasePath();
const destination = path.resolve(process.argv[2] ?? `backups/hoc-vu-so-${new Date().toISOString().replace(/[:.]/g, "-")}.db`);
mkdirSync(path.dirname(destination), { recursive: true });
const db = new Database(source, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
const started = Date.now();
await db.backup(destination);
db.close();
const copy = new Database(destination, { readonly: true });
const check = copy.pragma("integrity_check", { simple: true });
copy.close();
if (check !== "ok") {
  console.error(`Bản sao ${destination} không toàn vẹn: ${check}`);
  process.exit(1);
}
console.log(`Đã sao lưu ${source} → ${destination} (${Date.now() - started} ms, integrity_check: ok)`);
