// npx tsx scripts/pg-database.ts recreate|drop <postgres url>
// Drops (and with `recreate` creates again, empty) the database the URL names, through the server's
// maintenance database. For test and benchmark databases only: it deletes everything in that database.
import pg from "pg";

const [action, url] = process.argv.slice(2);
if (!["recreate", "drop"].includes(action) || !url?.startsWith("postgres")) {
  console.error("Cách dùng: npx tsx scripts/pg-database.ts recreate|drop <postgres://…/tên-csdl>");
  process.exit(2);
}
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
  console.error(`Tên cơ sở dữ liệu không hợp lệ: ${name}`);
  process.exit(2);
}
target.pathname = "/postgres";
const client = new pg.Client({ connectionString: target.toString() });
await client.connect();
try {
  await client.query(`drop database if exists ${name} with (force)`);
  // C.UTF-8: text sorts by code point, as SQLite sorts it (decision 016).
  if (action === "recreate") await client.query(`create database ${name} template template0 encoding 'UTF8' locale 'C.UTF-8'`);
} finally {
  await client.end();
}
