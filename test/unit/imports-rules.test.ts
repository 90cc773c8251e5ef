import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, testEngine, useTempDatabase } from "./support/db";

// Issue 14, ninth round: the importer's rules as the administrator reads them — every refusal with its line and
// its exact Vietnamese reason, the boundaries of each field, what is stored, the batch record, the full-list
// preview and confirmation, the templates and the list of accounts that do not match the roster. Real
// database file of its own (nothing else imports into it); every expectation is written out by hand.

beforeAll(async () => {
  await useTempDatabase();
});

async function m() {
  return { ...(await import("~/reports/imports.server")), db: (await import("~/db.server")).db };
}

const ROSTER = "personnel_code,full_name,birth_year,agency_code,commune_code,status";
const POPULATION = "commune_code,year,adult_population";
const THIS_YEAR = new Date().getUTCFullYear();
const CONTROL_TAIL = "có ký tự ẩn không được phép (dấu xuống dòng, dấu tab hoặc ký tự điều khiển): hãy gõ lại trên một dòng, không xuống dòng trong ô";

async function roster(code: string) {
  const { db } = await m();
  return db().selectFrom("roster_official").selectAll().where("personnel_code", "=", code).executeTakeFirst();
}

async function countOf(table: "roster_official" | "adult_population" | "import_batch" | "pending_import") {
  const { db } = await m();
  const row = await db()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("a roster row refused: its line and every reason, in Vietnamese", () => {
  it("a row wrong in every field gets all five reasons on its own line, joined by “; ”", async () => {
    const { importCsv } = await m();
    const result = await importCsv("roster", `${ROSTER}\nab,,1939,KHONG-CO,,retired\n`, "sai.csv", null);
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [
        {
          line: 2,
          message:
            'mã cán bộ phải gồm 3–20 chữ cái không dấu, số hoặc dấu gạch; thiếu họ tên (hoặc dài quá 100 ký tự); năm sinh "1939" không hợp lệ; không có cơ quan mã "KHONG-CO"; status phải là "active" hoặc "left"',
        },
      ],
    });
    expect(await countOf("roster_official")).toBe(0);
  });

  it("codes, names and birth years just outside their limits are refused; a code with other characters around it too", async () => {
    const { importCsv } = await m();
    const rows = [
      "AB,Tên Hai Ký Tự,1980,SNV,,active", // 2: code of 2
      "ABCDEFGHIJ-1234567890,Tên Dài,1980,SNV,,active", // 3: code of 21
      `LONG-NAME,${"a".repeat(101)},1980,SNV,,active`, // 4: name of 101
      `YOUNG,Tên Trẻ,${THIS_YEAR - 14},SNV,,active`, // 5: 14 years old
      "DOT-YEAR,Tên,1980.5,SNV,,active", // 6: not four digits
      "X1980,Tên,x1980,SNV,,active", // 7: a letter before the year
      "!ABC,Tên,1980,SNV,,active", // 8: a character before the code
      "ABC!,Tên,1980,SNV,,active", // 9: a character after it
      "ĐÀ-1,Tên,1980,SNV,,active", // 10: letters with diacritics
      "STATUS-1,Tên,1980,SNV,,Active", // 11: status is exact
    ];
    const result = await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "bien.csv", null);
    const code = "mã cán bộ phải gồm 3–20 chữ cái không dấu, số hoặc dấu gạch";
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [
        { line: 2, message: code },
        { line: 3, message: code },
        { line: 4, message: "thiếu họ tên (hoặc dài quá 100 ký tự)" },
        { line: 5, message: `năm sinh "${THIS_YEAR - 14}" không hợp lệ` },
        { line: 6, message: 'năm sinh "1980.5" không hợp lệ' },
        { line: 7, message: 'năm sinh "x1980" không hợp lệ' },
        { line: 8, message: code },
        { line: 9, message: code },
        { line: 10, message: code },
        { line: 11, message: 'status phải là "active" hoặc "left"' },
      ],
    });
  });

  it("the limits themselves are accepted: codes of 3 and 20, a name of 100, born 1940 and 15 years ago; a lower-case code is stored in capitals", async () => {
    const { importCsv } = await m();
    const rows = ["abc,Người Mã Ngắn,1940,SNV,,active", `ABCDEFGHIJ-123456789,${"Â".repeat(100)},${THIS_YEAR - 15},UBND-25459,25459,left`];
    expect(await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "gioi-han.csv", null)).toEqual({
      ok: true,
      kind: "roster",
      rows: 2,
      changed: 2,
      sameAsLast: false,
    });
    expect(await roster("abc")).toBeUndefined();
    expect(await roster("ABC")).toMatchObject({
      full_name: "Người Mã Ngắn",
      search_name: "nguoi ma ngan",
      birth_year: 1940,
      agency_code: "SNV",
      commune_code: null,
      status: "active",
    });
    expect(await roster("ABCDEFGHIJ-123456789")).toMatchObject({
      birth_year: THIS_YEAR - 15,
      agency_code: "UBND-25459",
      commune_code: "25459",
      status: "left",
    });
  });

  it("a duplicate code, in any case, names the first line that has it, even when that line is wrong otherwise; bad codes are not compared", async () => {
    const { importCsv } = await m();
    const rows = [
      "dup-9,Người Một,19x0,SNV,,active", // 2: wrong year, code valid
      "DUP-9,Người Hai,1980,SNV,,active", // 3: same code
      "Dup-9,Người Ba,1981,SNV,,active", // 4: same code again: still line 2
      "x!,Người Bốn,1980,SNV,,active", // 5
      "x!,Người Năm,1980,SNV,,active", // 6: no duplicate message for an invalid code
    ];
    const result = await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "trung.csv", null);
    const code = "mã cán bộ phải gồm 3–20 chữ cái không dấu, số hoặc dấu gạch";
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [
        { line: 2, message: 'năm sinh "19x0" không hợp lệ' },
        { line: 3, message: "mã cán bộ DUP-9 trùng với dòng 2" },
        { line: 4, message: "mã cán bộ DUP-9 trùng với dòng 2" },
        { line: 5, message: code },
        { line: 6, message: code },
      ],
    });
  });

  it("agency and commune: a province agency takes no commune, a commune one its own, an unknown commune is named", async () => {
    const { importCsv } = await m();
    const rows = [
      "AGC-1,Tên,1980,SNV,25459,active", // 2
      "AGC-2,Tên,1980,UBND-25459,,active", // 3
      "AGC-3,Tên,1980,UBND-25459,99999,active", // 4
      "AGC-4,Tên,1980,KHONG-CO,25459,active", // 5
      "AGC-5,Tên,1980,KHONG-CO,99999,active", // 6
      "AGC-6,Tên,1980,SNV,99999,active", // 7
    ];
    const result = await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "co-quan.csv", null);
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [
        { line: 2, message: "cơ quan cấp tỉnh: để trống commune_code" },
        { line: 3, message: "cơ quan cấp xã: commune_code phải là 25459" },
        { line: 4, message: 'cơ quan cấp xã: commune_code phải là 25459; không có xã/phường mã "99999"' },
        { line: 5, message: 'không có cơ quan mã "KHONG-CO"' },
        { line: 6, message: 'không có cơ quan mã "KHONG-CO"; không có xã/phường mã "99999"' },
        { line: 7, message: 'cơ quan cấp tỉnh: để trống commune_code; không có xã/phường mã "99999"' },
      ],
    });
  });

  it("a wrong number of columns and hidden characters are reported in line order with the columns named", async () => {
    const { importCsv } = await m();
    const rows = [
      "COL-1,Tên,1980,SNV,active", // 2: five columns
      "COL-2,Tên,19x0,SNV,,active", // 3: found later, when the rows are checked
      "COL-3,Tên,1980,SN\u001bV,,active", // 4
      "COL-4,Tê\u001bn,1980,SNV,,act\u001bive", // 5
      "COL-5,Tên,1980,SNV,,active,thừa", // 6: seven
    ];
    const result = await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "cot.csv", null);
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [
        { line: 2, message: "Cần 6 cột, dòng này có 5." },
        { line: 3, message: 'năm sinh "19x0" không hợp lệ' },
        { line: 4, message: `cột agency_code ${CONTROL_TAIL}` },
        { line: 5, message: `họ tên, cột status ${CONTROL_TAIL}` },
        { line: 6, message: "Cần 6 cột, dòng này có 7." },
      ],
    });
  });

  it("cells are trimmed and names stored in composed Unicode (NFC), as typed on a Mac or pasted from Word", async () => {
    const { importCsv } = await m();
    const decomposed = "Nguyễn Thị Ánh".normalize("NFD");
    expect(decomposed).not.toBe("Nguyễn Thị Ánh");
    const text = `${ROSTER}\n  nfc-1 , ${decomposed} , 1981 , STP ,  , active \n`;
    expect(await importCsv("roster", text, "nfc.csv", null)).toMatchObject({ ok: true, rows: 1, changed: 1 });
    expect(await roster("NFC-1")).toMatchObject({
      full_name: "Nguyễn Thị Ánh",
      search_name: "nguyen thi anh",
      birth_year: 1981,
      agency_code: "STP",
      commune_code: null,
      status: "active",
    });
  });
});

describe("whole-file refusals", () => {
  it("an empty file, a file of blank lines, and a header with no rows", async () => {
    const { importCsv } = await m();
    const batches = await countOf("import_batch");
    const empty = { ok: false, kind: "roster", errors: [{ line: 1, message: "Tệp trống." }] };
    expect(await importCsv("roster", "", "rong.csv", null)).toEqual(empty);
    expect(await importCsv("roster", " \r\n\n  \n", "rong.csv", null)).toEqual(empty);
    const noRows = { ok: false, kind: "roster", errors: [{ line: 2, message: "Tệp không có dòng dữ liệu nào." }] };
    expect(await importCsv("roster", `${ROSTER}\n`, "tieu-de.csv", null)).toEqual(noRows);
    expect(await importCsv("roster", `${ROSTER}\n,,,,,\n , ,,, ,\n`, "tieu-de.csv", null)).toEqual(noRows);
    expect(await importCsv("population", `${POPULATION}\n`, "tieu-de.csv", null)).toEqual({ ...noRows, kind: "population" });
    expect(await countOf("import_batch")).toBe(batches);
  });

  it("the header is found after blank lines, in any case and with spaces; a wrong one names the expected header on its line", async () => {
    const { importCsv } = await m();
    const loose = " Personnel_Code , FULL_NAME,birth_year,Agency_Code,commune_code,STATUS ";
    expect(await importCsv("roster", `\n\n${loose}\nHDR-1,Người Tiêu Đề,1980,SNV,,active\n`, "hoa.csv", null)).toMatchObject({ ok: true, rows: 1 });
    expect(await importCsv("roster", `\n\ncode,name\nA,B\n`, "sai-tieu-de.csv", null)).toEqual({
      ok: false,
      kind: "roster",
      errors: [{ line: 3, message: "Dòng tiêu đề phải là: personnel_code,full_name,birth_year,agency_code,commune_code,status" }],
    });
    expect(await importCsv("population", `${ROSTER}\n`, "nham.csv", null)).toEqual({
      ok: false,
      kind: "population",
      errors: [{ line: 1, message: "Dòng tiêu đề phải là: commune_code,year,adult_population" }],
    });
  });

  it("an unclosed quote is refused as a file that is not CSV, on the line where it starts", async () => {
    const { importCsv } = await m();
    const result = await importCsv("roster", `${ROSTER}\nQ-1,Người Đúng,1980,SNV,,active\nQ-2,"Người Sai,1980,SNV,,active\n`, "ngoac.csv", null);
    expect(result).toEqual({
      ok: false,
      kind: "roster",
      errors: [{ line: 3, message: "Tệp CSV không đúng định dạng (kiểm tra dấu ngoặc kép và dấu phân cách)." }],
    });
    expect(await roster("Q-1")).toBeUndefined();
  });

  it("a string input with Excel's byte-order mark imports like the bytes", async () => {
    const { importCsv } = await m();
    expect(await importCsv("roster", `\uFEFF${ROSTER}\nBOM-1,Người Có Dấu Mở Đầu,1980,SNV,,active\n`, "bom.csv", null)).toMatchObject({ ok: true, rows: 1 });
    expect(await roster("BOM-1")).toMatchObject({ full_name: "Người Có Dấu Mở Đầu" });
  });

  it("only a mark at the very start is taken off: one inside a name stays, in a string as in the bytes", async () => {
    const { importCsv } = await m();
    const row = (code: string) => `${code},Người\uFEFFGiữa,1980,SNV,,active`;
    expect(await importCsv("roster", `${ROSTER}\n${row("BOM-2")}\n`, "bom.csv", null)).toMatchObject({ ok: true, rows: 1 });
    const bytes = new Uint8Array(Buffer.from(`\uFEFF${ROSTER}\n${row("BOM-3")}\n`, "utf8"));
    expect(await importCsv("roster", bytes, "bom.csv", null)).toMatchObject({ ok: true, rows: 1 });
    expect((await roster("BOM-2"))?.full_name).toBe("Người\uFEFFGiữa");
    expect((await roster("BOM-3"))?.full_name).toBe("Người\uFEFFGiữa");
  });
});

describe("the adult population file", () => {
  it("each bad row gets its reasons; a duplicate names the first line", async () => {
    const { importCsv } = await m();
    const rows = [
      "2545,2026,10", // 2
      "25459,2019,10", // 3
      "25459,2101,10", // 4
      "25459,2026,-5", // 5
      "25459,2027,123456789", // 6
      "25480,2026,7", // 7
      "25480,2026,8", // 8
      "25486,x2026,1.5", // 9
      "25486,2026.5,1", // 10
    ];
    const result = await importCsv("population", `${POPULATION}\n${rows.join("\n")}\n`, "dan-so.csv", null);
    expect(result).toEqual({
      ok: false,
      kind: "population",
      errors: [
        { line: 2, message: 'không có xã/phường mã "2545" (mã 5 chữ số, giữ số 0 ở đầu)' },
        { line: 3, message: 'năm "2019" không hợp lệ' },
        { line: 4, message: 'năm "2101" không hợp lệ' },
        { line: 5, message: 'số người trưởng thành "-5" phải là số nguyên không âm' },
        { line: 6, message: 'số người trưởng thành "123456789" phải là số nguyên không âm' },
        { line: 8, message: "trùng xã/phường và năm với dòng 7" },
        { line: 9, message: 'năm "x2026" không hợp lệ; số người trưởng thành "1.5" phải là số nguyên không âm' },
        { line: 10, message: 'năm "2026.5" không hợp lệ' },
      ],
    });
    expect(await countOf("adult_population")).toBe(0);
  });

  it("the limits are accepted and stored; the same file again changes nothing; one edited number changes one row", async () => {
    const { importCsv, db } = await m();
    const text = (last: number) => `${POPULATION}\n25486,2020,0\n25486,2100,${last}\n`;
    expect(await importCsv("population", text(12345678), "ds1.csv", null)).toEqual({ ok: true, kind: "population", rows: 2, changed: 2, sameAsLast: false });
    const stored = await db().selectFrom("adult_population").selectAll().where("commune_code", "=", "25486").orderBy("year").execute();
    expect(stored).toEqual([
      { commune_code: "25486", year: 2020, adult_population: 0 },
      { commune_code: "25486", year: 2100, adult_population: 12345678 },
    ]);
    expect(await importCsv("population", text(12345678), "ds1.csv", null)).toEqual({ ok: true, kind: "population", rows: 2, changed: 0, sameAsLast: true });
    expect(await importCsv("population", text(99), "ds2.csv", null)).toEqual({ ok: true, kind: "population", rows: 2, changed: 1, sameAsLast: false });
    expect((await db().selectFrom("adult_population").select("adult_population").where("year", "=", 2100).executeTakeFirstOrThrow()).adult_population).toBe(99);
  });
});

describe("the batch record", () => {
  it("keeps kind, the first 200 characters of the file name, the file's SHA-256, rows, changed rows and who imported", async () => {
    const { importCsv, db } = await m();
    const admin = await makePerson({ fullName: "Người Nhập" });
    const text = `${ROSTER}\nBAT-1,Người Lô Một,1980,SCT,,active\nBAT-2,Người Lô Hai,1981,SCT,,active\n`;
    const longName = `${"d".repeat(196)}.csv${"x".repeat(50)}`;
    expect(await importCsv("roster", text, longName, admin)).toMatchObject({ ok: true, rows: 2, changed: 2 });
    const batch = await db().selectFrom("import_batch").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(batch).toMatchObject({
      kind: "roster",
      file_name: `${"d".repeat(196)}.csv`,
      sha256: createHash("sha256").update(text).digest("hex"),
      rows: 2,
      changed: 2,
      imported_by: admin,
    });
    expect(Date.now() - Date.parse(batch.imported_at)).toBeLessThan(60_000);
  });

  it("“same as last” compares with the last file of the same kind, with a population file in between", async () => {
    const { importCsv } = await m();
    const text = `${ROSTER}\nSAME-9,Người Giống,1980,SCT,,active\n`;
    expect(await importCsv("roster", text, "a.csv", null)).toMatchObject({ ok: true, changed: 1, sameAsLast: false });
    expect(await importCsv("population", `${POPULATION}\n25489,2030,10\n`, "p.csv", null)).toMatchObject({ ok: true, sameAsLast: false });
    expect(await importCsv("roster", text, "a.csv", null)).toMatchObject({ ok: true, changed: 0, sameAsLast: true });
  });

  it("the full-list option means nothing for a population file", async () => {
    const { importCsv } = await m();
    expect(await importCsv("population", `${POPULATION}\n25489,2031,11\n`, "p.csv", null, { fullList: true })).toEqual({
      ok: true,
      kind: "population",
      rows: 1,
      changed: 1,
      sameAsLast: false,
    });
  });
});

describe("another import landing between the comparison and the write", () => {
  // Within one process imports queue up; the CLI or a second app process can still land an import between this
  // import's comparison with the stored roster and its write. Stood in for by a TEMP trigger (SQLite's one
  // connection sees the TEMP staging table; on PostgreSQL it belongs to whichever pooled connection ran it).
  it("a row that was the same when compared but was changed meanwhile is still written as the file says", async ({ skip }) => {
    skip(testEngine !== "sqlite", "needs SQLite's single connection to reach the TEMP staging table");
    const { importCsv, db } = await m();
    const { sql } = await import("kysely");
    const text = `${ROSTER}\nSTALE-1,Người Đúng Tên,1980,SXD,,active\nSTALE-2,Người Khác,1981,SXD,,active\n`;
    expect(await importCsv("roster", text, "stale.csv", null)).toMatchObject({ ok: true, changed: 2 });
    // When STALE-1 is found unchanged, "another import" renames it and records its batch.
    await sql`create temp trigger other_import after update of changed on import_stage_roster
      when new.changed = 0 and new.personnel_code = 'STALE-1'
      begin
        update roster_official set full_name = 'Tên Do Lần Nhập Khác' where personnel_code = 'STALE-1';
        insert into import_batch (kind, file_name, sha256, rows, changed, imported_by, imported_at)
          values ('roster', 'other.csv', 'other', 1, 1, null, '2026-12-01T00:00:00.000Z');
      end`.execute(db());
    try {
      const again = `${ROSTER}\nSTALE-1,Người Đúng Tên,1980,SXD,,active\nSTALE-2,Người Khác,1981,SXD,,left\n`;
      expect(await importCsv("roster", again, "stale-2.csv", null)).toEqual({ ok: true, kind: "roster", rows: 2, changed: 2, sameAsLast: false });
    } finally {
      await sql`drop trigger other_import`.execute(db());
    }
    expect(await roster("STALE-1")).toMatchObject({ full_name: "Người Đúng Tên", status: "active" });
    expect(await roster("STALE-2")).toMatchObject({ status: "left" });
  });
});

describe("a write that breaks a rule of the database", () => {
  it("a constraint refused at write time (a catalogue changed meanwhile) rolls back everything and says to import again", async () => {
    const { importCsv, db } = await m();
    const { sql } = await import("kysely");
    // Stands in for an agency deleted between the check and the write: the database refuses one row.
    if (testEngine === "sqlite") {
      await sql`create trigger refuse_boom before insert on roster_official when new.personnel_code = 'BOOM-2'
        begin select raise(abort, 'refused'); end`.execute(db());
    } else {
      await sql`create function refuse_boom() returns trigger language plpgsql as $$
        begin if new.personnel_code = 'BOOM-2' then raise exception 'refused' using errcode = '23503'; end if; return new; end $$`.execute(db());
      await sql`create trigger refuse_boom before insert on roster_official for each row execute function refuse_boom()`.execute(db());
    }
    const before = await countOf("roster_official");
    const batches = await countOf("import_batch");
    const message = "Danh mục cơ quan hoặc xã/phường vừa thay đổi trong lúc nhập. Chưa nhập dòng nào; hãy nhập lại tệp.";
    const text = `${ROSTER}\nBOOM-1,Người Một,1980,SXD,,active\nBOOM-2,Người Hai,1980,SXD,,active\n`;
    expect(await importCsv("roster", text, "boom.csv", null)).toEqual({ ok: false, kind: "roster", errors: [{ line: 1, message }], fileError: message });
    expect(await countOf("roster_official")).toBe(before);
    expect(await countOf("import_batch")).toBe(batches);
    if (testEngine === "sqlite") await sql`drop trigger refuse_boom`.execute(db());
    else await sql`drop trigger refuse_boom on roster_official`.execute(db());
    // Nothing was left staged: the same file now imports its two rows.
    expect(await importCsv("roster", text, "boom.csv", null)).toMatchObject({ ok: true, rows: 2, changed: 2 });
  });

  it("any other database failure is not dressed up as a changed catalogue: the import fails loudly", async () => {
    const { importCsv, db } = await m();
    const { sql } = await import("kysely");
    // As on a connection's first population import (SQLite has one connection; earlier tests staged on it).
    if (testEngine === "sqlite") await sql`drop table if exists temp.import_stage_population`.execute(db());
    await sql`alter table import_batch rename to import_batch_away`.execute(db());
    try {
      // The cause is the missing table, not "no such table: import_stage_population" from the clean-up.
      await expect(importCsv("population", `${POPULATION}\n25498,2040,5\n`, "p.csv", null)).rejects.toThrow(/import_batch/);
    } finally {
      await sql`alter table import_batch_away rename to import_batch`.execute(db());
    }
  });
});

describe("full lists: preview, pending, confirmation", () => {
  it("the preview lists who would leave by agency code, then by name, with the agency's name; people marked left in the file are not listed", async () => {
    const { importCsv, previewFullList } = await m();
    const first = [
      "FL-1,Trần Văn Bảy,1980,SYT,,active",
      "FL-2,Lê Thị An,1981,SYT,,active",
      "FL-3,Ngô Văn Cả,1982,SGDDT,,active",
      "FL-4,Đỗ Thị Dung,1983,SGDDT,,active",
      "FL-5,Phan Văn Én,1984,SGDDT,,left", // already left: never listed
      "FL-6,Vũ Văn Giữ,1985,SGDDT,,active",
      "FL-7,Hồ Văn Khác,1986,SCT,,active", // another agency, not named in the full list
    ];
    expect(await importCsv("roster", `${ROSTER}\n${first.join("\n")}\n`, "fl.csv", null)).toMatchObject({ ok: true, changed: 7 });
    const full = `${ROSTER}\nFL-6,Vũ Văn Giữ,1985,SGDDT,,left\nFL-9,Người Mới,1990,SYT,,active\n`;
    expect(await previewFullList(full)).toEqual({
      ok: true,
      rows: 2,
      leaving: [
        { personnelCode: "FL-4", fullName: "Đỗ Thị Dung", agencyCode: "SGDDT", agencyName: "Sở Giáo dục và Đào tạo" },
        { personnelCode: "FL-3", fullName: "Ngô Văn Cả", agencyCode: "SGDDT", agencyName: "Sở Giáo dục và Đào tạo" },
        { personnelCode: "FL-2", fullName: "Lê Thị An", agencyCode: "SYT", agencyName: "Sở Y tế" },
        { personnelCode: "FL-1", fullName: "Trần Văn Bảy", agencyCode: "SYT", agencyName: "Sở Y tế" },
      ],
    });
  });

  it("a preview of a bad file lists the bad rows in line order; an empty list is refused; nothing is written", async () => {
    const { previewFullList, startFullListImport } = await m();
    const bad = `${ROSTER}\nPV-1,Tên,1980,SNV,active\nPV-2,Tên,19x0,SNV,,active\n`;
    const errors = [
      { line: 2, message: "Cần 6 cột, dòng này có 5." },
      { line: 3, message: 'năm sinh "19x0" không hợp lệ' },
    ];
    expect(await previewFullList(bad)).toEqual({ ok: false, errors });
    expect(await previewFullList(`${ROSTER}\n`)).toEqual({ ok: false, errors: [{ line: 2, message: "Tệp không có dòng dữ liệu nào." }] });
    const admin = await makePerson({ fullName: "Quản Trị Xem Trước" });
    expect(await startFullListImport(bad, "sai.csv", admin)).toEqual({ ok: false, errors });
    expect(await countOf("pending_import")).toBe(0);
  });

  it("a preview lists a wrong value before a short row further down: errors come in line order", async () => {
    const { previewFullList, startFullListImport } = await m();
    const bad = `${ROSTER}\nPV-3,Tên,19x0,SNV,,active\nPV-4,Tên,1980,SNV,active\n`;
    const errors = [
      { line: 2, message: 'năm sinh "19x0" không hợp lệ' },
      { line: 3, message: "Cần 6 cột, dòng này có 5." },
    ];
    expect(await previewFullList(bad)).toEqual({ ok: false, errors });
    const admin = await makePerson({ fullName: "Quản Trị Thứ Tự" });
    expect(await startFullListImport(bad, "sai.csv", admin)).toEqual({ ok: false, errors });
  });

  it("a confirmation compares who leaves, not the order they are shown in: a renamed leaver still applies", async () => {
    const { importCsv, startFullListImport, confirmFullListImport } = await m();
    const admin = await makePerson({ fullName: "Quản Trị Đổi Tên" });
    const rows = ["DT-1,An Văn Một,1980,SDTTG,,active", "DT-2,Bùi Văn Hai,1981,SDTTG,,active", "DT-3,Cao Văn Ở,1982,SDTTG,,active"];
    expect(await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "dt.csv", null)).toMatchObject({ ok: true, changed: 3 });
    const preview = await startFullListImport(`${ROSTER}\nDT-3,Cao Văn Ở,1982,SDTTG,,active\n`, "dt-day-du.csv", admin);
    expect(preview).toMatchObject({ ok: true, leaving: [{ personnelCode: "DT-1" }, { personnelCode: "DT-2" }] });
    // Meanwhile DT-1's name is corrected: the list would now show DT-2 first, but the same two people leave.
    expect(await importCsv("roster", `${ROSTER}\nDT-1,Yên Văn Một,1980,SDTTG,,active\n`, "ten.csv", null)).toMatchObject({ ok: true, changed: 1 });
    expect(await confirmFullListImport(preview.pendingId!, admin)).toEqual({
      status: "done",
      leaving: 2,
      result: { ok: true, kind: "roster", rows: 3, changed: 2, sameAsLast: false },
    });
    expect([(await roster("DT-1"))?.status, (await roster("DT-2"))?.status, (await roster("DT-3"))?.status]).toEqual(["left", "left", "active"]);
  });

  it("a confirmation notices other people leaving even when their codes run together into the same letters", async () => {
    const { importCsv, startFullListImport, confirmFullListImport, cancelFullListImport } = await m();
    const admin = await makePerson({ fullName: "Quản Trị Mã Giống" });
    // EFG and KHCD leave at the preview; meanwhile they move out and EFGK and HCD move in ("EFG"+"KHCD" = "EFGK"+"HCD").
    const before = ["KH-0,Người Ở Lại,1980,SKHCN,,active", "EFG,Người Một,1981,SKHCN,,active", "KHCD,Người Hai,1982,SKHCN,,active"];
    const outside = ["EFGK,Người Ba,1983,VP-UBND,,active", "HCD,Người Bốn,1984,VP-UBND,,active"];
    expect(await importCsv("roster", `${ROSTER}\n${[...before, ...outside].join("\n")}\n`, "kh.csv", null)).toMatchObject({ ok: true, changed: 5 });
    const preview = await startFullListImport(`${ROSTER}\nKH-0,Người Ở Lại,1980,SKHCN,,active\n`, "kh-day-du.csv", admin);
    expect(preview).toMatchObject({ ok: true, leaving: [{ personnelCode: "KHCD" }, { personnelCode: "EFG" }] }); // by name: Hai, Một
    const moves = [
      "EFG,Người Một,1981,VP-UBND,,active",
      "KHCD,Người Hai,1982,VP-UBND,,active",
      "EFGK,Người Ba,1983,SKHCN,,active",
      "HCD,Người Bốn,1984,SKHCN,,active",
    ];
    expect(await importCsv("roster", `${ROSTER}\n${moves.join("\n")}\n`, "chuyen.csv", null)).toMatchObject({ ok: true, changed: 4 });
    expect(await confirmFullListImport(preview.pendingId!, admin)).toMatchObject({
      status: "changed",
      preview: { ok: true, leaving: [{ personnelCode: "EFGK" }, { personnelCode: "HCD" }] },
    });
    expect((await roster("EFGK"))?.status).toBe("active");
    expect((await roster("HCD"))?.status).toBe("active");
    // Not applied: the administrator cancels the new list instead.
    expect(await cancelFullListImport(preview.pendingId!)).toBe(true);
  });

  it("a pending list keeps the first 200 characters of its name; one left for more than 24 hours is cleared by the next preview", async () => {
    const { startFullListImport, db } = await m();
    const admin = await makePerson({ fullName: "Quản Trị Chờ" });
    const text = `${ROSTER}\nPD-1,Người Chờ,1980,SNNMT,,active\n`;
    const old = await startFullListImport(text, "cu.csv", admin);
    const recent = await startFullListImport(text, "moi.csv", admin);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    await db()
      .updateTable("pending_import")
      .set({ created_at: hoursAgo(24.1) })
      .where("id", "=", old.pendingId!)
      .execute();
    await db()
      .updateTable("pending_import")
      .set({ created_at: hoursAgo(23.9) })
      .where("id", "=", recent.pendingId!)
      .execute();
    const longName = `${"t".repeat(196)}.csv${"x".repeat(30)}`;
    const next = await startFullListImport(text, longName, admin);
    expect(next).toMatchObject({ ok: true, rows: 1, leaving: [], fileName: longName });
    const pending = await db().selectFrom("pending_import").select(["id", "file_name", "content", "created_by"]).orderBy("created_at").execute();
    expect(pending).toEqual([
      { id: recent.pendingId, file_name: "moi.csv", content: text, created_by: admin },
      { id: next.pendingId, file_name: `${"t".repeat(196)}.csv`, content: text, created_by: admin },
    ]);
  });

  it("a file that became wrong before its confirmation (an agency moved to commune level) shows its errors and writes nothing", async () => {
    const { importCsv, startFullListImport, confirmFullListImport, cancelFullListImport, db } = await m();
    const admin = await makePerson({ fullName: "Quản Trị Xác Nhận" });
    expect(await importCsv("roster", `${ROSTER}\nCF-1,Người Ở,1980,TTT,,active\nCF-2,Người Đi,1981,TTT,,active\n`, "cf.csv", null)).toMatchObject({ ok: true });
    const preview = await startFullListImport(`${ROSTER}\nCF-1,Người Ở,1980,TTT,,active\n`, "cf-day-du.csv", admin);
    expect(preview).toMatchObject({ ok: true, leaving: [{ personnelCode: "CF-2" }] });
    await db().updateTable("agency").set({ level: "commune", commune_code: "25459" }).where("code", "=", "TTT").execute();
    try {
      expect(await confirmFullListImport(preview.pendingId!, admin)).toEqual({
        status: "changed",
        preview: { ok: false, errors: [{ line: 2, message: "cơ quan cấp xã: commune_code phải là 25459" }] },
      });
      expect((await roster("CF-2"))?.status).toBe("active");
    } finally {
      await db().updateTable("agency").set({ level: "province", commune_code: null }).where("code", "=", "TTT").execute();
    }
    // Put back, the same pending list applies: one official leaves.
    expect(await confirmFullListImport(preview.pendingId!, admin)).toEqual({
      status: "done",
      leaving: 1,
      result: { ok: true, kind: "roster", rows: 2, changed: 1, sameAsLast: false },
    });
    expect((await roster("CF-2"))?.status).toBe("left");
    expect(await cancelFullListImport(preview.pendingId!)).toBe(false);
    expect(await cancelFullListImport("khong-co")).toBe(false);
  });
});

describe("templates", () => {
  it("the examples use the first commune code, this year, and the first province agency by code", async () => {
    const { importTemplate } = await m();
    const text = async (kind: "roster" | "population") => Buffer.from((await importTemplate(kind)).bytes.slice(3)).toString("utf8");
    expect(await text("population")).toBe(`commune_code,year,adult_population\r\n25459,${THIS_YEAR},12500\r\n`);
    expect(await text("roster")).toBe(`${ROSTER}\r\nVIDU-0001,Nguyễn Thị Mẫu,1985,BQL-KKT,,active\r\n`);
    expect((await importTemplate("roster")).fileName).toBe("mau-danh-sach-can-bo.csv");
    expect((await importTemplate("population")).fileName).toBe("mau-dan-so-truong-thanh.csv");
  });

  it("the examples follow the catalogue: a lower commune code, and only commune-level agencies (their commune code given); both import as they are", async () => {
    const { importTemplate, importCsv, db } = await m();
    const text = async (kind: "roster" | "population") => Buffer.from((await importTemplate(kind)).bytes.slice(3)).toString("utf8");
    await db().insertInto("commune").values({ code: "25001", name: "Xã Thử Mẫu", type: "xã", search_name: "xa thu mau" }).execute();
    const provinceLevel = (await db().selectFrom("agency").select("code").where("level", "=", "province").execute()).map((a) => a.code);
    await db().updateTable("agency").set({ level: "commune", commune_code: "25480" }).where("code", "in", provinceLevel).execute();
    try {
      expect(await text("population")).toBe(`commune_code,year,adult_population\r\n25001,${THIS_YEAR},12500\r\n`);
      expect(await text("roster")).toBe(`${ROSTER}\r\nVIDU-0001,Nguyễn Thị Mẫu,1985,BQL-KKT,25480,active\r\n`);
      expect(await importCsv("population", (await importTemplate("population")).bytes, "mau.csv", null)).toMatchObject({ ok: true, rows: 1 });
      expect(await importCsv("roster", (await importTemplate("roster")).bytes, "mau.csv", null)).toMatchObject({ ok: true, rows: 1 });
    } finally {
      await db().updateTable("agency").set({ level: "province", commune_code: null }).where("code", "in", provinceLevel).execute();
    }
    expect(await roster("VIDU-0001")).toMatchObject({ agency_code: "BQL-KKT", commune_code: "25480" });
  });
});

describe("accounts that do not match the roster", () => {
  // Accounts written straight to the table (as older data can hold them): no password hashing, no sign-up rules.
  // One minute apart, in the order they are written: the sign-up order.
  let minute = 0;
  const account = async (kind: "official" | "citizen", fullName: string, birthYear: number, code: string | null, agency: string | null) => {
    const { db } = await m();
    const { foldForSearch } = await import("~/text/folding");
    minute += 1;
    const at = `2026-03-01T08:${String(minute).padStart(2, "0")}:00.000Z`;
    const username = `mm-${minute}`;
    await db()
      .insertInto("person")
      .values({
        id: `mm-person-${minute}`,
        username,
        full_name: fullName,
        search_name: foldForSearch(fullName),
        birth_year: birthYear,
        commune_code: "25459",
        kind,
        phone: null,
        agency_code: agency,
        personnel_code: code,
        password_hash: "-",
        consent_at: at,
        consent_method: "self",
        consent_recorded_by: null,
        created_at: at,
        created_by: null,
        email: null,
      })
      .execute();
    return username;
  };

  it("each reason, in personnel-code order then sign-up order; a matching account is listed only after another took the code; the limit", async () => {
    const { importCsv, rosterMismatches } = await m();
    const rows = ["MM-A,Lê Văn An,1980,SNV,,active", "MM-B,Trần Thị Bình,1981,SNV,,left", "MM-C,Phạm Văn Cường,1982,STC,,active"];
    expect(await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "mm.csv", null)).toMatchObject({ ok: true });
    const wrongName = await account("official", "Lê Văn Anh", 1979, "MM-A", "SNV"); // signed up first, but does not match
    const firstMatch = await account("official", "Le Van An", 1980, "MM-A", "SNV"); // matches (same folded name): takes the code
    const secondMatch = await account("official", "Lê Văn An", 1980, "MM-A", "SNV");
    const leftOther = await account("official", "Trần Thị Bình", 1981, "MM-B", "STC");
    const unknown = await account("official", "Người Lạ", 1990, "MM-Z", null);
    await account("official", "Phạm Văn Cường", 1982, "MM-C", "STC"); // all matches: not listed
    await account("citizen", "Người Dân", 1970, "MM-Z", null); // not an official
    await account("official", "Cán Bộ Chưa Khai", 1975, null, "SNV"); // no code declared
    const all = [
      {
        username: wrongName,
        fullName: "Lê Văn Anh",
        personnelCode: "MM-A",
        declaredAgency: "SNV",
        reason: "họ tên khác danh sách (Lê Văn An); năm sinh khác danh sách (1980)",
      },
      { username: secondMatch, fullName: "Lê Văn An", personnelCode: "MM-A", declaredAgency: "SNV", reason: `mã đã được tài khoản ${firstMatch} dùng trước` },
      {
        username: leftOther,
        fullName: "Trần Thị Bình",
        personnelCode: "MM-B",
        declaredAgency: "STC",
        reason: "đã nghỉ theo danh sách; cơ quan khai báo khác danh sách (SNV)",
      },
      { username: unknown, fullName: "Người Lạ", personnelCode: "MM-Z", declaredAgency: null, reason: "mã cán bộ không có trong danh sách" },
    ];
    expect(await rosterMismatches()).toEqual(all);
    expect(await rosterMismatches(4)).toEqual(all);
    expect(await rosterMismatches(2)).toEqual(all.slice(0, 2));
  });

  it("only the right name and the right birth year together take a code: either one alone does not", async () => {
    const { importCsv, rosterMismatches } = await m();
    const rows = ["MN-A,Đặng Văn Đúng,1980,SNV,,active", "MN-B,Hà Thị Hoa,1985,SNV,,active"];
    expect(await importCsv("roster", `${ROSTER}\n${rows.join("\n")}\n`, "mn.csv", null)).toMatchObject({ ok: true, changed: 2 });
    const rightNameOnly = await account("official", "Đặng Văn Đúng", 1981, "MN-A", "SNV"); // signed up first
    await account("official", "Đặng Văn Đúng", 1980, "MN-A", "SNV"); // the real one: not listed
    const rightYearOnly = await account("official", "Hà Thị Hồng", 1985, "MN-B", "SNV"); // signed up first
    await account("official", "Hà Thị Hoa", 1985, "MN-B", "SNV"); // the real one: not listed
    const listed = (await rosterMismatches()).filter((row) => row.personnelCode.startsWith("MN-"));
    expect(listed).toEqual([
      { username: rightNameOnly, fullName: "Đặng Văn Đúng", personnelCode: "MN-A", declaredAgency: "SNV", reason: "năm sinh khác danh sách (1980)" },
      { username: rightYearOnly, fullName: "Hà Thị Hồng", personnelCode: "MN-B", declaredAgency: "SNV", reason: "họ tên khác danh sách (Hà Thị Hoa)" },
    ]);
  });
});

// Last in the file: the slowest tests (a mutation run stops at the first failing test, so most mutants never
// reach them).
describe("files at the size limits", () => {
  it("more than 300,000 rows are refused as one message; exactly 300,000 are each checked", async () => {
    const { importCsv } = await m();
    const lines = (n: number) => `${ROSTER}\n${"x\n".repeat(n)}`;
    const at = await importCsv("roster", lines(300_000), "du.csv", null);
    expect(at.ok).toBe(false);
    if (!at.ok) {
      expect(at.errors).toHaveLength(300_000);
      expect(at.errors[299_999]).toEqual({ line: 300_001, message: "Cần 6 cột, dòng này có 1." });
    }
    expect(await importCsv("roster", lines(300_001), "qua.csv", null)).toEqual({
      ok: false,
      kind: "roster",
      errors: [{ line: 1, message: "Tệp có quá 300000 dòng; hãy chia nhỏ." }],
    });
  }, 60_000);

  it("a file over 20 MB is refused before reading, for an import, a preview and a pending full list; exactly 20 MB is read", async () => {
    const { importCsv, previewFullList, startFullListImport, MAX_IMPORT_BYTES } = await m();
    const message = "Tệp lớn quá 20 MB; hãy chia nhỏ.";
    const over = `code,name\n${"x".repeat(MAX_IMPORT_BYTES - 9)}`;
    expect(Buffer.byteLength(over)).toBe(MAX_IMPORT_BYTES + 1);
    expect(await importCsv("roster", over, "to.csv", null)).toEqual({ ok: false, kind: "roster", errors: [{ line: 1, message }], fileError: message });
    expect(await importCsv("population", new Uint8Array(Buffer.from(over)), "to.csv", null)).toEqual({
      ok: false,
      kind: "population",
      errors: [{ line: 1, message }],
      fileError: message,
    });
    expect(await previewFullList(over)).toEqual({ ok: false, errors: [{ line: 1, message }], fileError: message });
    const admin = await makePerson({ fullName: "Quản Trị Tệp To" });
    const pending = await countOf("pending_import");
    expect(await startFullListImport(over, "to.csv", admin)).toEqual({ ok: false, errors: [{ line: 1, message }], fileError: message });
    expect(await countOf("pending_import")).toBe(pending);
    // One byte less: read, and refused for its header instead.
    const result = await importCsv("roster", over.slice(1).replace(/^ode/, "cod"), "vua.csv", null);
    expect(result).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringContaining("Dòng tiêu đề phải là") }] });
  }, 60_000);
});
