// npm run db:copy -- <sqlite file> <postgres url>
// Copies every table of a SQLite database into a new PostgreSQL database, checks every table's row count,
// then runs the indicator check (reports:check) on the target. Exit 0 only if all of it passed.
import { existsSync } from "node:fs";
import { copySqliteToPostgres } from "../db/copy";
import { isPostgresUrl } from "../db/postgres";

const [file, url] = process.argv.slice(2);
if (!file || !existsSync(file) || !isPostgresUrl(url)) {
  console.error("Cách dùng: npm run db:copy -- <tệp SQLite .db> <postgres://người-dùng:mật-khẩu@máy:cổng/tên-csdl>");
  process.exit(2);
}
try {
  const report = await copySqliteToPostgres(file, url, (line) => console.log(line));
  const wrong = report.tables.filter((t) => t.source !== t.target);
  for (const t of wrong) console.error(`${t.table}: nguồn ${t.source} dòng, đích ${t.target} dòng`);
  if (wrong.length) process.exit(1);
  const rows = report.tables.reduce((sum, t) => sum + t.target, 0);
  console.log(`Đã chép ${report.tables.length} bảng, ${rows} dòng, số dòng mọi bảng khớp (${report.milliseconds} ms).`);
} catch (error) {
  console.error(`Chép thất bại, cơ sở dữ liệu đích không bị thay đổi: ${(error as Error).message}`);
  process.exit(1);
}
// The indicator check, on the target, exactly as `npm run reports:check` runs it there.
process.env.DATABASE_URL = url;
const { compareCounts } = await import("../app/reports/indicators.server");
const { db } = await import("../app/db.server");
const differences = await compareCounts();
await db().destroy();
if (differences.length) {
  for (const d of differences.slice(0, 50)) console.error(`${d.indicator} ${d.key}: lưu ${d.stored}, tính lại ${d.computed}`);
  console.error(`${differences.length} chỗ khác nhau trên cơ sở dữ liệu đích.`);
  process.exit(1);
}
console.log("Số liệu chỉ tiêu trên cơ sở dữ liệu đích khớp với dữ liệu gốc: 0 chỗ khác nhau.");
