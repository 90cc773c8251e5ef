import { createHash, randomUUID } from "node:crypto";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { foldForSearch } from "~/text/folding";
import { db, engineOf, lockKey, nowIso, onOneConnection } from "~/db.server";
import type { DB } from "../../db/schema";
import { CsvSyntaxError, csvRecords, decodeCsvBytes, detectSeparator, eventLoopSlicer, hasControlCharacter } from "./csv-input.server";
import { listIndicators, moveDifferences, officialCounts, type Indicator } from "./indicators.server";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { spreadsheetCsv } from "~/ui/csv.server";
import { vietnamDate } from "~/ui/vietnam-time";

// Denominator imports: the officials roster and the adult population. Every row is validated first; one bad
// row means nothing is written, and the report lists each bad row with its line number. Importing the same
// file again changes nothing.
//
// A 60,000-row roster must not stop the server from answering (decision 011). Reading and checking run in
// slices that give the event loop back every few milliseconds; valid rows are staged in a TEMP table (private
// to one connection, outside the main database's write lock) in small statements; one transaction then
// applies the rows that differ, a few thousand per INSERT … SELECT, giving the event loop back in between. On
// SQLite, Kysely runs every query on one connection, so only that last transaction keeps other requests'
// queries waiting (on the connection's mutex, not in the event loop); on PostgreSQL the import holds one
// pooled connection and other requests use the others.

export const ROSTER_HEADER = ["personnel_code", "full_name", "birth_year", "agency_code", "commune_code", "status"];
export const POPULATION_HEADER = ["commune_code", "year", "adult_population"];
export { MAX_IMPORT_BYTES };
const MAX_ROWS = 300_000;
const STAGE_CHUNK = 500; // rows per staging INSERT: 8 × 500 parameters, well under SQLite's limit
const MARK_CHUNK = 2_000; // staged rows compared or removed per statement (a few milliseconds)
const APPLY_CHUNK = 2_000; // staged rows upserted per statement in the final transaction (a few milliseconds)

export type ImportKind = "roster" | "population";
export type RowError = { line: number; message: string };
/** `fileError`: the whole file was refused (encoding, size, a change made meanwhile), not particular rows. */
export type ImportResult =
  | { ok: true; kind: ImportKind; rows: number; changed: number; sameAsLast: boolean }
  | { ok: false; kind: ImportKind; errors: RowError[]; fileError?: string };

type Record_ = { line: number; cells: string[] };
type Slicer = ReturnType<typeof eventLoopSlicer>;

const COLUMN_LABELS: Record<string, string> = { full_name: "họ tên" };

function controlCharacterError(line: number, header: string[], cells: string[]): RowError | undefined {
  const columns = header.filter((_, i) => hasControlCharacter(cells[i] ?? ""));
  if (!columns.length) return undefined;
  const names = columns.map((c) => COLUMN_LABELS[c] ?? `cột ${c}`).join(", ");
  return { line, message: `${names} có ký tự ẩn không được phép (dấu xuống dòng, dấu tab hoặc ký tự điều khiển): hãy gõ lại trên một dòng, không xuống dòng trong ô` };
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

async function readCsv(text: string, header: string[], slice: Slicer): Promise<{ records: Record_[]; errors: RowError[] }> {
  if (!text.trim()) return { records: [], errors: [{ line: 1, message: "Tệp trống." }] };
  const errors: RowError[] = [];
  const records: Record_[] = [];
  let headerSeen = false;
  try {
    for (const { line, cells } of csvRecords(text, detectSeparator(text))) {
      await slice();
      // Blank lines and Excel's rows of bare separators (",,,,," after the data) carry nothing.
      if (isBlank(cells)) continue;
      if (!headerSeen) {
        headerSeen = true;
        if (cells.map((h) => h.trim().toLowerCase()).join(",") !== header.join(",")) {
          return { records: [], errors: [{ line, message: `Dòng tiêu đề phải là: ${header.join(",")}` }] };
        }
        continue;
      }
      if (records.length + errors.length >= MAX_ROWS) return { records: [], errors: [{ line: 1, message: `Tệp có quá ${MAX_ROWS} dòng; hãy chia nhỏ.` }] };
      if (cells.length !== header.length) {
        errors.push({ line, message: `Cần ${header.length} cột, dòng này có ${cells.length}.` });
        continue;
      }
      const control = controlCharacterError(line, header, cells);
      if (control) errors.push(control);
      else records.push({ line, cells: cells.map((c) => c.normalize("NFC").trim()) });
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records: [], errors: [{ line: error.line, message: "Tệp CSV không đúng định dạng (kiểm tra dấu ngoặc kép và dấu phân cách)." }] };
  }
  return { records, errors };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const THIS_YEAR = new Date().getUTCFullYear();

type RosterRow = { personnel_code: string; full_name: string; search_name: string; birth_year: number; agency_code: string; commune_code: string | null; status: "active" | "left" };
type Agency = { code: string; level: string; commune_code: string | null };

async function validateRoster(records: Record_[], errors: RowError[], slice: Slicer): Promise<RosterRow[]> {
  const agencies = new Map((await db().selectFrom("agency").select(["code", "level", "commune_code"]).execute()).map((a) => [a.code, a]));
  const communes = new Set((await db().selectFrom("commune").select("code").execute()).map((c) => c.code));
  const seen = new Map<string, number>();
  const rows: RosterRow[] = [];
  for (const { line, cells } of records) {
    await slice();
    const problems = rosterProblems(cells, seen, agencies, communes);
    const [rawCode, fullName, rawYear, agencyCode, communeCode, status] = cells;
    const code = rawCode.toUpperCase();
    if (problems.length) errors.push({ line, message: problems.join("; ") });
    else {
      rows.push({
        personnel_code: code, full_name: fullName, search_name: foldForSearch(fullName), birth_year: Number(rawYear),
        agency_code: agencyCode, commune_code: communeCode || null, status: status as "active" | "left",
      });
    }
    if (/^[A-Z0-9-]{3,20}$/.test(code) && !seen.has(code)) seen.set(code, line);
  }
  return rows;
}

function rosterProblems(cells: string[], seen: Map<string, number>, agencies: Map<string, Agency>, communes: Set<string>): string[] {
  const [rawCode, fullName, rawYear, agencyCode, communeCode, status] = cells;
  const code = rawCode.toUpperCase();
  const problems: string[] = [];
  if (!/^[A-Z0-9-]{3,20}$/.test(code)) problems.push("mã cán bộ phải gồm 3–20 chữ cái không dấu, số hoặc dấu gạch");
  else if (seen.has(code)) problems.push(`mã cán bộ ${code} trùng với dòng ${seen.get(code)}`);
  if (!fullName || fullName.length > 100) problems.push("thiếu họ tên (hoặc dài quá 100 ký tự)");
  const year = Number(rawYear);
  if (!/^\d{4}$/.test(rawYear) || year < 1940 || year > THIS_YEAR - 15) problems.push(`năm sinh "${rawYear}" không hợp lệ`);
  const agency = agencies.get(agencyCode);
  if (!agency) problems.push(`không có cơ quan mã "${agencyCode}"`);
  if (agency?.level === "province" && communeCode) problems.push("cơ quan cấp tỉnh: để trống commune_code");
  if (agency?.level === "commune" && communeCode !== agency.commune_code) problems.push(`cơ quan cấp xã: commune_code phải là ${agency.commune_code}`);
  if (communeCode && !communes.has(communeCode)) problems.push(`không có xã/phường mã "${communeCode}"`);
  if (status !== "active" && status !== "left") problems.push('status phải là "active" hoặc "left"');
  return problems;
}

type PopulationRow = { commune_code: string; year: number; adult_population: number };

async function validatePopulation(records: Record_[], errors: RowError[], slice: Slicer): Promise<PopulationRow[]> {
  const communes = new Set((await db().selectFrom("commune").select("code").execute()).map((c) => c.code));
  const seen = new Map<string, number>();
  const rows: PopulationRow[] = [];
  for (const { line, cells } of records) {
    await slice();
    const [communeCode, rawYear, rawCount] = cells;
    const problems: string[] = [];
    if (!communes.has(communeCode)) problems.push(`không có xã/phường mã "${communeCode}" (mã 5 chữ số, giữ số 0 ở đầu)`);
    const year = Number(rawYear);
    if (!/^\d{4}$/.test(rawYear) || year < 2020 || year > 2100) problems.push(`năm "${rawYear}" không hợp lệ`);
    const count = Number(rawCount);
    if (!/^\d{1,8}$/.test(rawCount)) problems.push(`số người trưởng thành "${rawCount}" phải là số nguyên không âm`);
    const key = `${communeCode}|${rawYear}`;
    if (seen.has(key)) problems.push(`trùng xã/phường và năm với dòng ${seen.get(key)}`);
    else seen.set(key, line);
    if (problems.length) errors.push({ line, message: problems.join("; ") });
    else rows.push({ commune_code: communeCode, year, adult_population: count });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Staging and applying. TEMP tables live in this connection's private temp database: filling them takes no
// lock on the main file, and rows from an import that fails or is abandoned never reach real tables. Every
// step is cut into small statements with the event loop given back in between. The final transaction yields
// too: the driver's mutex keeps other requests' queries out of it until it commits (decision 011, amended), and
// it is kept to the rows that actually change.

// The staged rows are numbered (seq) so that later steps can walk them a few thousand at a time: SQLite's
// `integer primary key` is its rowid, PostgreSQL's an identity column. On PostgreSQL, TEMP tables belong to one
// connection of the pool, so a whole import runs on one connection (onOneConnection).
const SEQ_COLUMN = { sqlite: sql`seq integer primary key`, postgres: sql`seq bigint generated always as identity primary key` };
const stageTables = (executor: Kysely<DB>) => ({
  roster: [
    sql`create temp table if not exists import_stage_roster (
      ${SEQ_COLUMN[engineOf(executor)]},
      import_id text not null, personnel_code text not null, full_name text not null, search_name text not null,
      birth_year integer not null, agency_code text not null, commune_code text, status text not null,
      changed integer not null default 1)`,
    sql`create index if not exists import_stage_roster_code on import_stage_roster (import_id, changed, personnel_code)`,
    sql`create temp table if not exists import_affected_code (code text primary key)`,
  ],
  population: [
    sql`create temp table if not exists import_stage_population (
      ${SEQ_COLUMN[engineOf(executor)]},
      import_id text not null, commune_code text not null, year integer not null, adult_population integer not null)`,
  ],
});
const STAGE_COLUMNS = {
  roster: sql`(import_id, personnel_code, full_name, search_name, birth_year, agency_code, commune_code, status)`,
  population: sql`(import_id, commune_code, year, adult_population)`,
};
const stageTable = (kind: ImportKind) => sql.table(`import_stage_${kind}`);

function stageValues(kind: ImportKind, importId: string, row: RosterRow | PopulationRow) {
  if (kind === "roster") {
    const r = row as RosterRow;
    return sql`(${importId}, ${r.personnel_code}, ${r.full_name}, ${r.search_name}, ${r.birth_year}, ${r.agency_code}, ${r.commune_code}, ${r.status})`;
  }
  const p = row as PopulationRow;
  return sql`(${importId}, ${p.commune_code}, ${p.year}, ${p.adult_population})`;
}

async function stageRows(conn: Kysely<DB>, kind: ImportKind, importId: string, rows: (RosterRow | PopulationRow)[], slice: Slicer): Promise<void> {
  for (const statement of stageTables(conn)[kind]) await statement.execute(conn);
  for (let i = 0; i < rows.length; i += STAGE_CHUNK) {
    await slice();
    const values = sql.join(rows.slice(i, i + STAGE_CHUNK).map((r) => stageValues(kind, importId, r)));
    await sql`insert into ${stageTable(kind)} ${STAGE_COLUMNS[kind]} values ${values}`.execute(conn);
  }
}

/** Marks the staged roster rows identical to the stored ones, a few thousand rows per statement. */
async function markUnchanged(conn: Kysely<DB>, importId: string, slice: Slicer): Promise<void> {
  const range = await sql<{ low: number; high: number }>`
    select min(seq) as low, max(seq) as high from import_stage_roster where import_id = ${importId}`.execute(conn);
  const { low, high } = range.rows[0];
  for (let from = low; from <= high; from += MARK_CHUNK) {
    await slice();
    await sql`
      update import_stage_roster as s set changed = 0
      where s.import_id = ${importId} and s.seq between ${from} and ${from + MARK_CHUNK - 1} and exists (
        select 1 from roster_official r where r.personnel_code = s.personnel_code and r.full_name = s.full_name
          and r.birth_year = s.birth_year and r.agency_code = s.agency_code and r.commune_code is not distinct from s.commune_code
          and r.status = s.status)`.execute(conn);
  }
}

async function unstage(conn: Kysely<DB>, kind: ImportKind, importId: string, slice: Slicer): Promise<void> {
  for (;;) {
    const result = await sql`delete from ${stageTable(kind)} where seq in (
      select seq from ${stageTable(kind)} where import_id = ${importId} limit ${MARK_CHUNK})`.execute(conn);
    if (Number(result.numAffectedRows ?? 0) < MARK_CHUNK) return;
    await slice();
  }
}

async function applyRoster(trx: Transaction<DB>, importId: string, now: string, indicators: Indicator[], slice: Slicer): Promise<number> {
  // Only officials who have an account can count for an indicator: their codes are the ones to recount.
  await sql`delete from import_affected_code`.execute(trx);
  await sql`
    insert into import_affected_code (code)
    select s.personnel_code from import_stage_roster s join person p on p.personnel_code = s.personnel_code
    where s.import_id = ${importId} and s.changed = 1
    on conflict do nothing`.execute(trx);
  const before: Counts[] = [];
  for (const indicator of indicators) before.push(await countsOfAffected(trx, indicator));
  // History (decision 019): an entry added to an agency that already had a roster joined on the import's
  // date; one that goes from active to left left on it, and one that comes back rejoins on it. An agency's
  // first list has no joined_on: those officials were there before any period the platform reports.
  const today = vietnamDate(now);
  // Read once (a few hundred codes from the index), so the insert below does no per-row lookup.
  const { rows: listed } = await sql<{ agency_code: string }>`select distinct agency_code from roster_official`.execute(trx);
  const hadRoster = listed.length ? sql`agency_code in (${sql.join(listed.map((a) => a.agency_code))})` : sql`1 = 0`;
  const { rows: range } = await sql<{ low: number | null; high: number | null }>`
    select min(seq) as low, max(seq) as high from import_stage_roster where import_id = ${importId} and changed = 1`.execute(trx);
  let changed = 0;
  for (let from = Number(range[0]?.low ?? 1); from <= Number(range[0]?.high ?? 0); from += APPLY_CHUNK) {
    // Inside the transaction, yielding is safe: the connection's mutex (db/resilient-driver.ts) makes other
    // requests' queries wait for the commit instead of running inside it, and PostgreSQL gives them other
    // connections. So 60,000 new rows no longer hold the event loop in one turn (decision 011, amended).
    await slice();
    changed += await upsertRosterChunk(trx, importId, now, today, hadRoster, from, from + APPLY_CHUNK - 1);
  }
  await slice();
  for (const [n, indicator] of indicators.entries()) await addDifferences(trx, indicator.id, before[n], await countsOfAffected(trx, indicator));
  return changed;
}

/** Upserts the changed staged rows numbered from…to, with the history rule of decision 019. */
async function upsertRosterChunk(trx: Transaction<DB>, importId: string, now: string, today: string, hadRoster: RawBuilder<unknown>, from: number, to: number): Promise<number> {
  const result = await sql`
    insert into roster_official (personnel_code, full_name, search_name, birth_year, agency_code, commune_code, status, updated_at, joined_on, left_on)
    select personnel_code, full_name, search_name, birth_year, agency_code, commune_code, status, ${now},
           case when status = 'active' and ${hadRoster} then ${today} end, null
    from import_stage_roster where import_id = ${importId} and changed = 1 and seq between ${from} and ${to} order by personnel_code
    on conflict (personnel_code) do update set
      full_name = excluded.full_name, search_name = excluded.search_name, birth_year = excluded.birth_year,
      agency_code = excluded.agency_code, commune_code = excluded.commune_code, status = excluded.status,
      updated_at = excluded.updated_at,
      joined_on = case when roster_official.status = 'left' and excluded.status = 'active' then ${today} else roster_official.joined_on end,
      left_on = case when excluded.status = 'active' then null
                     when roster_official.status = 'active' then ${today} else roster_official.left_on end
    where roster_official.full_name != excluded.full_name or roster_official.birth_year != excluded.birth_year
      or roster_official.agency_code != excluded.agency_code or roster_official.commune_code is distinct from excluded.commune_code
      or roster_official.status != excluded.status`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

type Counts = Awaited<ReturnType<typeof officialCounts>>;

/**
 * The officials' indicator counts contributed by the affected roster codes (officialCounts, the same rule as
 * the full recomputation). Taken before and after the roster changes, their difference is what the stored
 * counts must move by — without recounting 60,000 rows inside the transaction.
 */
async function countsOfAffected(trx: Transaction<DB>, indicator: Indicator): Promise<Counts> {
  return officialCounts(trx, indicator, "import-affected");
}

async function addDifferences(trx: Transaction<DB>, indicatorId: string, before: Counts, after: Counts): Promise<void> {
  await moveDifferences(trx, indicatorId, before, after);
}

async function applyPopulation(trx: Transaction<DB>, importId: string): Promise<number> {
  const result = await sql`
    insert into adult_population (commune_code, year, adult_population)
    select commune_code, year, adult_population from import_stage_population where import_id = ${importId}
    on conflict (commune_code, year) do update set adult_population = excluded.adult_population
    where adult_population.adult_population != excluded.adult_population`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

type Batch = {
  kind: ImportKind; importId: string; fileName: string; hash: string; rows: number; importedBy: string | null;
  /** The officials' indicators, read before the transaction (the first read loads the course catalogue). */
  officialIndicators: Indicator[];
};

const lastBatch = (executor: Kysely<DB>) =>
  executor.selectFrom("import_batch").select(["id", "sha256", "kind"]).orderBy("id", "desc").executeTakeFirst();

/**
 * The one short transaction of an import: changed rows in, indicator counts moved, batch recorded. If another
 * import landed since the rows were compared (`seenBatchId`), the comparison is stale: apply every row.
 */
async function applyStaged(conn: Kysely<DB>, batch: Batch, seenBatchId: number | undefined, slice: Slicer): Promise<{ changed: number; sameAsLast: boolean }> {
  const now = nowIso();
  return conn.transaction().execute(async (trx) => {
    // Imports apply one at a time, also across app processes and the CLI on PostgreSQL (free on SQLite).
    await lockKey(trx, "import_batch");
    const latest = await lastBatch(trx);
    if (batch.kind === "roster" && latest?.id !== seenBatchId) {
      await sql`update import_stage_roster set changed = 1 where import_id = ${batch.importId}`.execute(trx);
    }
    const last = await trx.selectFrom("import_batch").select("sha256").where("kind", "=", batch.kind).orderBy("id", "desc").executeTakeFirst();
    const changed = batch.kind === "roster" ? await applyRoster(trx, batch.importId, now, batch.officialIndicators, slice) : await applyPopulation(trx, batch.importId);
    await slice();
    await trx
      .insertInto("import_batch")
      .values({ kind: batch.kind, file_name: batch.fileName.slice(0, 200), sha256: batch.hash, rows: batch.rows, changed, imported_by: batch.importedBy, imported_at: now })
      .execute();
    return { changed, sameAsLast: last?.sha256 === batch.hash };
  });
}

// SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23 (integrity constraint violation).
const isConstraintError = (error: unknown) => /^(SQLITE_CONSTRAINT|23)/.test(String((error as { code?: string })?.code ?? ""));

// One import at a time in this process: two at once would only compete for the same connection, and the
// comparison of one with the stored roster stays valid until it applies.
let importQueue: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = importQueue.then(work, work);
  importQueue = run.catch(() => undefined);
  return run;
}

/**
 * `input` is the file's bytes (an upload, the CLI) or already-decoded text (tests, demo seed). Bytes are
 * checked for their encoding first: see decodeCsvBytes.
 */
export async function importCsv(
  kind: ImportKind,
  input: string | Uint8Array,
  fileName: string,
  importedBy: string | null,
  options: { fullList?: boolean } = {},
): Promise<ImportResult> {
  const decoded = decodeInput(input);
  if (!decoded.ok) return refuseFile(kind, decoded.message);
  return oneAtATime(() => checkAndApply(kind, decoded.text, fileName, importedBy, options.fullList === true && kind === "roster"));
}

async function checkAndApply(kind: ImportKind, text: string, fileName: string, importedBy: string | null, fullList = false): Promise<ImportResult> {
  const slice = eventLoopSlicer();
  const { records, errors } = await readCsv(text, kind === "roster" ? ROSTER_HEADER : POPULATION_HEADER, slice);
  const rows: (RosterRow | PopulationRow)[] = kind === "roster" ? await validateRoster(records, errors, slice) : await validatePopulation(records, errors, slice);
  if (errors.length) return { ok: false, kind, errors: errors.sort((a, b) => a.line - b.line) };
  if (rows.length === 0) return { ok: false, kind, errors: [{ line: 2, message: "Tệp không có dòng dữ liệu nào." }] };
  // A full list: active officials of the listed agencies who are not in the file leave today. They go through
  // the same staging as any row ("left"), so counts and left_on follow the one path (decision 019).
  if (fullList) rows.push(...(await absentees(rows as RosterRow[])).map((a) => ({ ...a, status: "left" as const })));
  const importId = randomUUID();
  const hash = sha256(text);
  await slice();
  const officialIndicators = (await listIndicators()).filter((i) => i.population === "officials" && i.courses.length > 0);
  await slice();
  return onOneConnection(async (conn): Promise<ImportResult> => {
    try {
      // Staged first: the staging table then exists for the `finally` below, so a failure of the read after it
      // is reported as itself, not as "no such table: import_stage_…" on a connection's first import.
      await stageRows(conn, kind, importId, rows, slice);
      const seenBatchId = (await lastBatch(conn))?.id;
      if (kind === "roster") await markUnchanged(conn, importId, slice);
      await slice();
      const { changed, sameAsLast } = await applyStaged(conn, { kind, importId, fileName, hash, rows: rows.length, importedBy, officialIndicators }, seenBatchId, slice);
      return { ok: true, kind, rows: rows.length, changed, sameAsLast };
    } catch (error) {
      // An agency or commune removed between the check and the write: the transaction rolled back whole.
      if (isConstraintError(error)) return refuseFile(kind, "Danh mục cơ quan hoặc xã/phường vừa thay đổi trong lúc nhập. Chưa nhập dòng nào; hãy nhập lại tệp.");
      throw error;
    } finally {
      await unstage(conn, kind, importId, slice);
    }
  });
}

function refuseFile(kind: ImportKind, message: string): ImportResult {
  return { ok: false, kind, errors: [{ line: 1, message }], fileError: message };
}

// ---------------------------------------------------------------------------------------------------------
// Full-list imports (decision 019): the file lists every official of the agencies it names.

type Absentee = Omit<RosterRow, "status">;

/** Active roster entries of the agencies named in the file that the file does not list. */
async function absentees(rows: RosterRow[]): Promise<Absentee[]> {
  const listed = new Set(rows.map((r) => r.personnel_code));
  const agencies = [...new Set(rows.map((r) => r.agency_code))];
  const active = await db()
    .selectFrom("roster_official")
    .select(["personnel_code", "full_name", "search_name", "birth_year", "agency_code", "commune_code"])
    .where("agency_code", "in", agencies)
    .where("status", "=", "active")
    .orderBy("agency_code")
    .orderBy("search_name")
    .execute();
  return active.filter((a) => !listed.has(a.personnel_code));
}

export type LeavingOfficial = { personnelCode: string; fullName: string; agencyCode: string; agencyName: string };
export type FullListPreview = { ok: true; rows: number; leaving: LeavingOfficial[] } | { ok: false; errors: RowError[]; fileError?: string };

function decodeInput(input: string | Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (size > MAX_IMPORT_BYTES) return { ok: false, message: "Tệp lớn quá 20 MB; hãy chia nhỏ." };
  return typeof input === "string" ? { ok: true, text: input.replace(/^\uFEFF/, "") } : decodeCsvBytes(input);
}

/**
 * What a full-list import would do, without writing: the officials it would mark as left from today. The
 * administrator sees this list before confirming (importCsv with fullList).
 */
export async function previewFullList(input: string | Uint8Array): Promise<FullListPreview> {
  const decoded = decodeInput(input);
  if (!decoded.ok) return { ok: false, errors: [{ line: 1, message: decoded.message }], fileError: decoded.message };
  const slice = eventLoopSlicer();
  const { records, errors } = await readCsv(decoded.text, ROSTER_HEADER, slice);
  const rows = await validateRoster(records, errors, slice);
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  if (rows.length === 0) return { ok: false, errors: [{ line: 2, message: "Tệp không có dòng dữ liệu nào." }] };
  const leaving = await absentees(rows);
  const names = new Map((await db().selectFrom("agency").select(["code", "name"]).execute()).map((a) => [a.code, a.name]));
  return {
    ok: true,
    rows: rows.length,
    leaving: leaving.map((a) => ({ personnelCode: a.personnel_code, fullName: a.full_name, agencyCode: a.agency_code, agencyName: names.get(a.agency_code) ?? a.agency_code })),
  };
}

// A full list waits between its preview and the administrator's confirmation (decision 026). The key of the
// leaving list is kept with it: if the roster changed meanwhile and the file would now remove other people,
// the confirmation shows the new list instead of applying something nobody saw.
const PENDING_HOURS = 24;
const leavingKey = (leaving: LeavingOfficial[]) => sha256(leaving.map((l) => l.personnelCode).sort().join("\n"));

export type PendingPreview = FullListPreview & { pendingId?: string; fileName?: string };

/** Checks a full list, stores it until it is confirmed or cancelled, and returns its preview. */
export async function startFullListImport(input: string | Uint8Array, fileName: string, adminId: string): Promise<PendingPreview> {
  const decoded = decodeInput(input);
  if (!decoded.ok) return { ok: false, errors: [{ line: 1, message: decoded.message }], fileError: decoded.message };
  const preview = await previewFullList(decoded.text);
  if (!preview.ok) return preview;
  const now = nowIso();
  const pendingId = randomUUID();
  await db().transaction().execute(async (trx) => {
    // Previews nobody confirmed or cancelled do not pile up.
    await trx.deleteFrom("pending_import").where("created_at", "<", new Date(Date.now() - PENDING_HOURS * 3_600_000).toISOString()).execute();
    await trx.insertInto("pending_import")
      .values({ id: pendingId, file_name: fileName.slice(0, 200), content: decoded.text, leaving_key: leavingKey(preview.leaving), created_by: adminId, created_at: now })
      .execute();
  });
  return { ...preview, pendingId, fileName };
}

export type ConfirmOutcome =
  | { status: "done"; result: ImportResult; leaving: number }
  | { status: "changed"; preview: PendingPreview }
  | { status: "gone" };

/** Applies a previewed full list (one transaction, through importCsv), unless what it removes has changed. */
export async function confirmFullListImport(pendingId: string, adminId: string): Promise<ConfirmOutcome> {
  const pending = await db().selectFrom("pending_import").selectAll().where("id", "=", pendingId).executeTakeFirst();
  if (!pending) return { status: "gone" };
  const preview = await previewFullList(pending.content);
  if (!preview.ok) return { status: "changed", preview };
  const key = leavingKey(preview.leaving);
  if (key !== pending.leaving_key) {
    await db().updateTable("pending_import").set({ leaving_key: key }).where("id", "=", pendingId).execute();
    return { status: "changed", preview: { ...preview, pendingId, fileName: pending.file_name } };
  }
  const result = await importCsv("roster", pending.content, pending.file_name, adminId, { fullList: true });
  // Applied or refused, this preview is used up; confirming it again changes nothing and says so.
  await db().deleteFrom("pending_import").where("id", "=", pendingId).execute();
  return { status: "done", result, leaving: preview.leaving.length };
}

export async function cancelFullListImport(pendingId: string): Promise<boolean> {
  const result = await db().deleteFrom("pending_import").where("id", "=", pendingId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------------------
// Templates: what the importer expects, with one example row, as Excel opens it (UTF-8 with a BOM, CRLF).

export type ImportTemplate = { fileName: string; bytes: Uint8Array };

async function exampleRow(kind: ImportKind): Promise<string[]> {
  const commune = await db().selectFrom("commune").select("code").orderBy("code").executeTakeFirst();
  if (kind === "population") return [commune?.code ?? "25459", String(THIS_YEAR), "12500"];
  // A real agency, so the template imports as it is; a province-level one needs no commune code.
  const agency = await db().selectFrom("agency").select(["code", "level", "commune_code"]).orderBy("level", "desc").orderBy("code").executeTakeFirst();
  return ["VIDU-0001", "Nguyễn Thị Mẫu", "1985", agency?.code ?? "SKHCN", agency?.level === "commune" ? agency.commune_code ?? "" : "", "active"];
}

export async function importTemplate(kind: ImportKind): Promise<ImportTemplate> {
  const header = kind === "roster" ? ROSTER_HEADER : POPULATION_HEADER;
  const bytes = new Uint8Array(Buffer.from(spreadsheetCsv([header, await exampleRow(kind)]), "utf8"));
  return { fileName: kind === "roster" ? "mau-danh-sach-can-bo.csv" : "mau-dan-so-truong-thanh.csv", bytes };
}

export type Mismatch = { username: string; fullName: string; personnelCode: string; declaredAgency: string | null; reason: string };

/** Officials whose declared personnel code does not match the roster, with the reason, for the admin. */
export async function rosterMismatches(limit = 500): Promise<Mismatch[]> {
  const people = await db()
    .selectFrom("person")
    .leftJoin("roster_official as r", "r.personnel_code", "person.personnel_code")
    .select([
      "person.id", "person.username", "person.full_name", "person.search_name", "person.birth_year", "person.personnel_code",
      "person.agency_code", "person.created_at", "r.full_name as roster_name", "r.search_name as roster_search",
      "r.birth_year as roster_birth_year", "r.agency_code as roster_agency", "r.status",
    ])
    .where("person.kind", "=", "official")
    .where("person.personnel_code", "is not", null)
    .orderBy("person.personnel_code")
    .orderBy("person.created_at")
    .execute();
  const firstClaim = new Map<string, string>();
  const out: Mismatch[] = [];
  for (const p of people) {
    const reasons: string[] = [];
    const matches = p.roster_search === p.search_name && p.roster_birth_year === p.birth_year;
    if (!p.roster_name) reasons.push("mã cán bộ không có trong danh sách");
    else {
      if (p.roster_search !== p.search_name) reasons.push(`họ tên khác danh sách (${p.roster_name})`);
      if (p.roster_birth_year !== p.birth_year) reasons.push(`năm sinh khác danh sách (${p.roster_birth_year})`);
      if (p.status === "left") reasons.push("đã nghỉ theo danh sách");
      if (p.roster_agency !== p.agency_code) reasons.push(`cơ quan khai báo khác danh sách (${p.roster_agency})`);
      if (matches) {
        const first = firstClaim.get(p.personnel_code!);
        if (first) reasons.push(`mã đã được tài khoản ${first} dùng trước`);
        else firstClaim.set(p.personnel_code!, p.username);
      }
    }
    if (reasons.length) out.push({ username: p.username, fullName: p.full_name, personnelCode: p.personnel_code!, declaredAgency: p.agency_code, reason: reasons.join("; ") });
    if (out.length >= limit) break;
  }
  return out;
}
