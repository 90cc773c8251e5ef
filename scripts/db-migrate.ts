// npm run db:migrate — applies pending migrations (forward-only) and loads organisation data.
import { databasePath, migrateToLatest, openDatabase } from "../db/database";
import { seedOrganisation } from "../db/seed/organisation";

const { db } = openDatabase(databasePath());
const applied = await migrateToLatest(db);
const communes = await seedOrganisation(db);
console.log(`Cơ sở dữ liệu ${databasePath()}: ${applied.length} migration mới, ${communes} xã/phường.`);
await db.destroy();
