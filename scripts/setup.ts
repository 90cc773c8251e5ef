// npm run setup [-- --demo] — migrate the database, load organisation data and, with --demo, demo data.
// Safe to run again: every step is idempotent.
import { databasePath, migrateToLatest, openDatabase } from "../db/database";
import { seedOrganisation } from "./seed/organisation";

const demo = process.argv.includes("--demo");
const { db } = openDatabase(databasePath());
const applied = await migrateToLatest(db);
const communes = await seedOrganisation(db);
console.log(`Cơ sở dữ liệu ${databasePath()}: ${applied.length} migration mới, ${communes} xã/phường.`);
if (demo) {
  const { seedDemo } = await import("./seed/demo");
  const { seedDemoReports } = await import("./seed/demo-reports");
  console.log(await seedDemo(db));
  console.log(await seedDemoReports());
}
await db.destroy();
