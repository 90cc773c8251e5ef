import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { foldForSearch } from "~/courses/text";
import { db, nowIso } from "~/db.server";
import { listIndicators, rebuildIndicator } from "./indicators.server";

// Denominator imports: the officials roster and the adult population. Every row is validated first; one bad
// row means nothing is written, and the report lists each bad row with its line number. Importing the same
// file again changes nothing.

export const ROSTER_HEADER = ["personnel_code", "full_name", "birth_year", "agency_code", "commune_code", "status"];
export const POPULATION_HEADER = ["commune_code", "year", "adult_population"];
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const MAX_ROWS = 300_000;

export type ImportKind = "roster" | "population";
export type RowError = { line: number; message: string };
export type ImportResult =
  | { ok: true; kind: ImportKind; rows: number; changed: number; sameAsLast: boolean }
  | { ok: false; kind: ImportKind; errors: RowError[] };

type Record_ = { line: number; cells: string[] };

function readCsv(text: string, header: string[]): { records: Record_[]; errors: RowError[] } {
  if (!text.trim()) return { records: [], errors: [{ line: 1, message: "Tệp trống." }] };
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof parsed;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { records: [], errors: [{ line, message: "Tệp CSV không đúng định dạng (kiểm tra dấu ngoặc kép và dấu phẩy)." }] };
  }
  const [first, ...rest] = parsed;
  const got = first.record.map((h) => h.trim().toLowerCase());
  if (got.join(",") !== header.join(",")) {
    return { records: [], errors: [{ line: first.info.lines, message: `Dòng tiêu đề phải là: ${header.join(",")}` }] };
  }
  if (rest.length > MAX_ROWS) return { records: [], errors: [{ line: 1, message: `Tệp có quá ${MAX_ROWS} dòng; hãy chia nhỏ.` }] };
  const errors: RowError[] = [];
  const records: Record_[] = [];
  for (const { record, info } of rest) {
    if (record.length !== header.length) {
      errors.push({ line: info.lines, message: `Cần ${header.length} cột, dòng này có ${record.length}.` });
    } else {
      records.push({ line: info.lines, cells: record.map((c) => c.normalize("NFC").trim()) });
    }
  }
  return { records, errors };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const THIS_YEAR = new Date().getUTCFullYear();

type RosterRow = { personnel_code: string; full_name: string; birth_year: number; agency_code: string; commune_code: string | null; status: "active" | "left" };

async function validateRoster(records: Record_[], errors: RowError[]): Promise<RosterRow[]> {
  const agencies = new Map((await db().selectFrom("agency").select(["code", "level", "commune_code"]).execute()).map((a) => [a.code, a]));
  const communes = new Set((await db().selectFrom("commune").select("code").execute()).map((c) => c.code));
  const seen = new Map<string, number>();
  const rows: RosterRow[] = [];
  for (const { line, cells } of records) {
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
    if (problems.length) errors.push({ line, message: problems.join("; ") });
    else rows.push({ personnel_code: code, full_name: fullName, birth_year: year, agency_code: agencyCode, commune_code: communeCode || null, status: status as "active" | "left" });
    if (/^[A-Z0-9-]{3,20}$/.test(code) && !seen.has(code)) seen.set(code, line);
  }
  return rows;
}

type PopulationRow = { commune_code: string; year: number; adult_population: number };

async function validatePopulation(records: Record_[], errors: RowError[]): Promise<PopulationRow[]> {
  const communes = new Set((await db().selectFrom("commune").select("code").execute()).map((c) => c.code));
  const seen = new Map<string, number>();
  const rows: PopulationRow[] = [];
  for (const { line, cells } of records) {
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

async function lastBatchHash(kind: ImportKind): Promise<string | undefined> {
  const last = await db().selectFrom("import_batch").select("sha256").where("kind", "=", kind).orderBy("id", "desc").executeTakeFirst();
  return last?.sha256;
}

export async function importCsv(kind: ImportKind, text: string, fileName: string, importedBy: string | null): Promise<ImportResult> {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return { ok: false, kind, errors: [{ line: 1, message: "Tệp lớn quá 20 MB; hãy chia nhỏ." }] };
  const { records, errors } = readCsv(text, kind === "roster" ? ROSTER_HEADER : POPULATION_HEADER);
  const rows = kind === "roster" ? await validateRoster(records, errors) : await validatePopulation(records, errors);
  if (errors.length) return { ok: false, kind, errors: errors.sort((a, b) => a.line - b.line) };
  if (rows.length === 0) return { ok: false, kind, errors: [{ line: 2, message: "Tệp không có dòng dữ liệu nào." }] };
  const hash = sha256(text);
  const sameAsLast = (await lastBatchHash(kind)) === hash;
  const now = nowIso();
  const changed = await db().transaction().execute(async (trx) => {
    let changes = 0;
    if (kind === "roster") {
      for (const r of rows as RosterRow[]) {
        const values = { ...r, search_name: foldForSearch(r.full_name) };
        const result = await trx
          .insertInto("roster_official")
          .values({ ...values, updated_at: now })
          .onConflict((oc) =>
            oc
              .column("personnel_code")
              .doUpdateSet({ ...values, updated_at: now })
              .where((eb) =>
                eb.or([
                  eb("roster_official.full_name", "!=", values.full_name),
                  eb("roster_official.birth_year", "!=", values.birth_year),
                  eb("roster_official.agency_code", "!=", values.agency_code),
                  eb("roster_official.commune_code", "is distinct from", values.commune_code),
                  eb("roster_official.status", "!=", values.status),
                ]),
              ),
          )
          .executeTakeFirst();
        changes += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      // Who counts for officials' indicators depends on the roster: recompute them (≈60,000 rows, once).
      if (changes) for (const indicator of await listIndicators(trx)) if (indicator.population === "officials") await rebuildIndicator(trx, indicator);
    } else {
      for (const r of rows as PopulationRow[]) {
        const result = await trx
          .insertInto("adult_population")
          .values(r)
          .onConflict((oc) =>
            oc
              .columns(["commune_code", "year"])
              .doUpdateSet({ adult_population: r.adult_population })
              .where("adult_population.adult_population", "!=", r.adult_population),
          )
          .executeTakeFirst();
        changes += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
    }
    await trx
      .insertInto("import_batch")
      .values({ kind, file_name: fileName.slice(0, 200), sha256: hash, rows: rows.length, changed: changes, imported_by: importedBy, imported_at: now })
      .execute();
    return changes;
  });
  return { ok: true, kind, rows: rows.length, changed, sameAsLast };
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
