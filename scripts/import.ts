// npm run import -- roster <file.csv>      (header: personnel_code,full_name,birth_year,agency_code,commune_code,status)
// npm run import -- population <file.csv>  (header: commune_code,year,adult_population)
// The file may be UTF-8 (with or without BOM) or UTF-16 with a BOM, separated by "," or ";".
// Validates every row first; on any bad row prints "line N: reason" for each and imports nothing (exit 1).
import { readFileSync } from "node:fs";
import path from "node:path";
import { importCsv, type ImportKind } from "../app/reports/imports.server";
import { migrateToLatest, openConfiguredDatabase } from "../db/database";

const [kind, file] = process.argv.slice(2);
if ((kind !== "roster" && kind !== "population") || !file) {
  console.error("Cách dùng: npm run import -- roster|population <tệp.csv>");
  process.exit(2);
}
const setup = openConfiguredDatabase();
await migrateToLatest(setup.db);
await setup.db.destroy();
const result = await importCsv(kind as ImportKind, new Uint8Array(readFileSync(file)), path.basename(file), null);
if (!result.ok && result.fileError) {
  console.error(`${file}: ${result.fileError}`);
  process.exit(1);
}
if (!result.ok) {
  for (const e of result.errors.slice(0, 500)) console.error(`${file}:${e.line}: ${e.message}`);
  console.error(`\n${result.errors.length} dòng lỗi. Chưa nhập dòng nào; sửa tệp rồi nhập lại.`);
  process.exit(1);
}
console.log(`Đã nhập ${result.rows} dòng, ${result.changed} dòng thay đổi${result.sameAsLast ? " (tệp giống lần nhập trước)" : ""}.`);
