// npm run setup [-- --demo] — migrate the database, load organisation data and, with --demo, demo data.
// Safe to run again: every step is idempotent.
import { databaseLabel, migrateToLatest, openConfiguredDatabase } from "../db/database";
import { seedOrganisation } from "./seed/organisation";

const demo = process.argv.includes("--demo");
const { db } = openConfiguredDatabase();
const applied = await migrateToLatest(db);
const communes = await seedOrganisation(db);
console.log(`Cơ sở dữ liệu ${databaseLabel()}: ${applied.length} migration mới, ${communes} xã/phường.`);
if (demo) {
  const { seedDemo } = await import("./seed/demo");
  const { seedDemoReports } = await import("./seed/demo-reports");
  console.log(await seedDemo(db));
  console.log(await seedDemoReports());
}
await db.destroy();
