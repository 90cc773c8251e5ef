import Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { migrateToLatest, openPostgresDatabase } from "./database";
import type { DB } from "./schema";

// Moving a live province from its SQLite file to PostgreSQL (decision 016): the target is migrated with the
// same migrations, every table is copied in the order the migrations created them (so a row's references
// already exist), identity counters are moved past the copied ids, and every table's row count is compared.

export type CopyReport = { tables: Array<{ table: string; source: number; target: number }>; milliseconds: number };

const CHUNK_PARAMETERS = 30_000; // PostgreSQL allows 65,535 bound parameters per statement

/** Tables of the SQLite file in creation order, without SQLite's own and the migrator's bookkeeping. */
function tablesOf(source: Database.Database): string[] {
  const rows = source.prepare("select name from sqlite_master where type = 'table' order by rowid").all() as Array<{ name: string }>;
  return rows.map((r) => r.name).filter((name) => !name.startsWith("sqlite_") && !name.startsWith("kysely_"));
}

export async function copySqliteToPostgres(file: string, url: string, log: (line: string) => void = () => {}): Promise<CopyReport> {
  const started = Date.now();
  const source = new Database(file, { readonly: true, fileMustExist: true });
  const { db } = openPostgresDatabase(url, 2);
  try {
    await migrateToLatest(db);
    await refuseNonEmptyTarget(db);
    const tables = tablesOf(source);
    // One transaction: a copy that fails half-way leaves the target empty, ready for another try. A read
    // transaction on the source gives one consistent snapshot even while a server still writes to it.
    source.prepare("begin").run();
    await db.transaction().execute(async (trx) => {
      for (const table of tables) {
        const copied = await copyTable(source, trx, table);
        log(`${table}: ${copied} dòng`);
      }
      await moveIdentityCounters(trx, tables);
    });
    // Freshly filled tables have no planner statistics until autovacuum gets to them; without them the
    // indicator check (and the first reports) can pick nested loops over the whole roster and run for minutes.
    await sql`analyze`.execute(db);
    const report: CopyReport = { tables: [], milliseconds: 0 };
    for (const table of tables) {
      const sourceCount = (source.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      report.tables.push({ table, source: sourceCount, target: rows[0].n });
    }
    source.prepare("commit").run();
    report.milliseconds = Date.now() - started;
    return report;
  } finally {
    source.close();
    await db.destroy();
  }
}

async function refuseNonEmptyTarget(db: Kysely<DB>): Promise<void> {
  const { rows } = await sql<{ n: number }>`select (select count(*) from person) + (select count(*) from indicator_count) as n`.execute(db);
  if (rows[0].n > 0) throw new Error("Cơ sở dữ liệu đích đã có dữ liệu (người dùng hoặc số liệu chỉ tiêu); chỉ chép vào một cơ sở dữ liệu mới.");
}

async function copyTable(source: Database.Database, trx: Kysely<DB>, table: string): Promise<number> {
  const columns = (source.prepare(`select name from pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name);
  // Rows the migrations seed themselves (the two indicators and their first targets) are replaced by the source's.
  await sql`delete from ${sql.table(table)}`.execute(trx);
  const perChunk = Math.max(1, Math.floor(CHUNK_PARAMETERS / columns.length));
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (!batch.length) return;
    const values = sql.join(batch.map((row) => sql`(${sql.join(row)})`));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) overriding system value values ${values}`.execute(trx);
    copied += batch.length;
    batch = [];
  };
  for (const row of source.prepare(`select * from "${table}"`).raw().iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= perChunk) await flush();
  }
  await flush();
  return copied;
}

/** Identity columns (SQLite's autoincrement ids) continue after the largest copied id. */
async function moveIdentityCounters(trx: Kysely<DB>, tables: string[]): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
  for (const { table_name: table, column_name: column } of rows) {
    if (!tables.includes(table)) continue;
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
      trx,
    );
  }
}
