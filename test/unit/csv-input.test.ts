import { describe, expect, it } from "vitest";

// Reading an uploaded CSV the way Excel on a Vietnamese Windows PC writes it (issue 12, finding 7). Each
// expected record below is written out by hand from the file's text.

async function m() {
  return import("~/reports/csv-input.server");
}

const bytes = (...values: number[]) => new Uint8Array(values);
const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
  return new Uint8Array([0xfe, 0xff, ...be]);
};

describe("decoding the bytes", () => {
  it("reads UTF-8 with and without a BOM, and UTF-16 LE and BE with a BOM, to the same text", async () => {
    const { decodeCsvBytes } = await m();
    const text = "mã,họ tên\nA1,Nguyễn Thị Ánh\n";
    expect(decodeCsvBytes(new Uint8Array(Buffer.from(text)))).toEqual({ ok: true, text });
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]))).toEqual({ ok: true, text });
    expect(decodeCsvBytes(utf16le(text))).toEqual({ ok: true, text });
    expect(decodeCsvBytes(utf16be(text))).toEqual({ ok: true, text });
  });

  it("refuses a lone byte ≥ 0x80 (Windows-1258, CP1252) with the save-as help, and UTF-16 without a BOM", async () => {
    const { decodeCsvBytes, SAVE_AS_UTF8_HELP } = await m();
    expect(decodeCsvBytes(bytes(0x4c, 0xea, 0x0a))).toEqual({ ok: false, message: SAVE_AS_UTF8_HELP });
    const noBom = new Uint8Array(Buffer.from("code,name\nA,B\n", "utf16le"));
    expect(decodeCsvBytes(noBom)).toEqual({ ok: false, message: SAVE_AS_UTF8_HELP });
    // A NUL after the first line is not the UTF-16 sign: the header is what gives it away.
    expect(decodeCsvBytes(new Uint8Array(Buffer.from("code,name\r\nA,\u0000\n")))).toEqual({ ok: true, text: "code,name\r\nA,\u0000\n" });
    expect(decodeCsvBytes(new Uint8Array(Buffer.from("code,\u0000name")))).toMatchObject({ ok: false });
    expect(SAVE_AS_UTF8_HELP).toContain("CSV UTF-8");
  });

  it("the save-as help says what went wrong, that nothing was imported, and each step in Excel's own words", async () => {
    const { SAVE_AS_UTF8_HELP } = await m();
    // What the user reads, in order: the problem with an example, nothing imported, then the steps.
    const parts = [
      "Tệp không phải CSV UTF-8 nên chữ có dấu sẽ bị sai",
      "“Nguyễn” thành “Nguyá»…n”",
      "Chưa nhập dòng nào.",
      "mở tệp bằng Excel",
      "chọn Tệp → Lưu thành (File → Save As)",
      "ở ô “Loại tệp” (Save as type) chọn “CSV UTF-8 (phân cách bằng dấu phẩy)”",
      "bấm Lưu, rồi nhập lại tệp mới này.",
    ];
    let from = 0;
    for (const part of parts) {
      const at = SAVE_AS_UTF8_HELP.indexOf(part, from);
      expect(at, part).toBeGreaterThanOrEqual(from);
      from = at + part.length;
    }
    expect(SAVE_AS_UTF8_HELP.normalize("NFC")).toBe(SAVE_AS_UTF8_HELP);
  });

  it("a file that starts with only half a UTF-16 BOM is read as UTF-8", async () => {
    const { decodeCsvBytes, SAVE_AS_UTF8_HELP } = await m();
    expect(decodeCsvBytes(bytes(0xff))).toMatchObject({ ok: false });
    expect(decodeCsvBytes(bytes(0x41, 0xfe, 0xff))).toMatchObject({ ok: false });
    // Even lengths too (which UTF-16 could decode): a CP1252 "ÿA,B", and "A" then a lone 0xFE.
    expect(decodeCsvBytes(bytes(0xff, 0x41, 0x2c, 0x42))).toEqual({ ok: false, message: SAVE_AS_UTF8_HELP });
    expect(decodeCsvBytes(bytes(0x41, 0xfe, 0x2c, 0x42))).toEqual({ ok: false, message: SAVE_AS_UTF8_HELP });
    expect(decodeCsvBytes(bytes(0x41, 0x42))).toEqual({ ok: true, text: "AB" });
  });
});

describe("the separator", () => {
  it("is the one used more often in the header line; a tie or none means a comma", async () => {
    const { detectSeparator } = await m();
    expect(detectSeparator("a;b;c\n1,5;2,5;3")).toBe(";");
    expect(detectSeparator("a,b,c\n1;2;3;4;5")).toBe(",");
    expect(detectSeparator("a;b\r1,2,3,4")).toBe(";");
    expect(detectSeparator("a;b,c")).toBe(",");
    expect(detectSeparator("abc")).toBe(",");
    expect(detectSeparator("a;b;c")).toBe(";");
  });

  it("counts the whole header when the file has one line, and only the first line when it starts with a break", async () => {
    const { detectSeparator } = await m();
    // One line, no line break: its last character counts too (2 semicolons against 1 comma).
    expect(detectSeparator("a,b;c;")).toBe(";");
    // A file starting with an empty line has an empty header: no separator in it, so a comma.
    expect(detectSeparator("\na;b;c")).toBe(",");
    expect(detectSeparator("\r\na;b;c")).toBe(",");
  });
});

describe("records", () => {
  const records = async (text: string, separator = ",") => [...(await m()).csvRecords(text, separator)];

  it("splits on the separator and on LF, CRLF or CR, with each record's line number", async () => {
    expect(await records("a,b\nc,d\r\ne,f\rg,h")).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["c", "d"] },
      { line: 3, cells: ["e", "f"] },
      { line: 4, cells: ["g", "h"] },
    ]);
    expect(await records("a;b,c\n", ";")).toEqual([{ line: 1, cells: ["a", "b,c"] }]);
  });

  it("keeps empty cells, including at the end of a line, and skips a leading BOM", async () => {
    expect(await records("\uFEFFa,,b,\n,\n")).toEqual([
      { line: 1, cells: ["a", "", "b", ""] },
      { line: 2, cells: ["", ""] },
    ]);
    expect(await records("")).toEqual([]);
    expect(await records("\n\n")).toEqual([
      { line: 1, cells: [""] },
      { line: 2, cells: [""] },
    ]);
  });

  it("reads quoted cells with separators, doubled quotes and line breaks; later records keep their real line", async () => {
    expect(await records('"Lê, Văn","nói ""chào""",x\n"dòng 1\ndòng 2\r\ndòng 3",y\nz,w')).toEqual([
      { line: 1, cells: ["Lê, Văn", 'nói "chào"', "x"] },
      { line: 2, cells: ["dòng 1\ndòng 2\r\ndòng 3", "y"] },
      { line: 5, cells: ["z", "w"] },
    ]);
    // Excel's own lines end in CRLF, often right after a quoted cell.
    expect(await records('"Lê, Văn",1980\r\nB,"Tây Ninh, Việt Nam"\r\nC,1990\r\n')).toEqual([
      { line: 1, cells: ["Lê, Văn", "1980"] },
      { line: 2, cells: ["B", "Tây Ninh, Việt Nam"] },
      { line: 3, cells: ["C", "1990"] },
    ]);
    expect(await records('"a\rb",c\nd')).toEqual([
      { line: 1, cells: ["a\rb", "c"] },
      { line: 3, cells: ["d"] },
    ]);
  });

  it("keeps spaces of unquoted cells, and allows spaces around a quoted one", async () => {
    expect(await records(' a , b \n  "c d"  ,"e"')).toEqual([
      { line: 1, cells: [" a ", " b "] },
      { line: 2, cells: ["c d", "e"] },
    ]);
    expect(await records('"x"  \n"y"')).toEqual([
      { line: 1, cells: ["x"] },
      { line: 2, cells: ["y"] },
    ]);
    expect(await records('"x"  ')).toEqual([{ line: 1, cells: ["x"] }]);
  });

  it("throws a syntax error with the line the broken record starts on", async () => {
    const { CsvSyntaxError } = await m();
    const lineOf = async (text: string) => {
      try {
        await records(text);
      } catch (error) {
        expect(error).toBeInstanceOf(CsvSyntaxError);
        expect((error as Error).message).toBe(`CSV syntax error on line ${(error as InstanceType<typeof CsvSyntaxError>).line}`);
        return (error as InstanceType<typeof CsvSyntaxError>).line;
      }
      return "no error";
    };
    expect(await lineOf('a,b\n"c,d')).toBe(2);
    // A stray quote as the very first character of the file.
    expect(await lineOf('"Nguyễn Văn A,1980\nB,1990')).toBe(1);
    expect(await lineOf('a\n"b\nc"\n"d"e,f')).toBe(4);
    expect(await lineOf('"x" y')).toBe(1);
    expect(await lineOf('"x"y')).toBe(1);
  });
});

describe("control characters", () => {
  it("C0 controls, DEL and C1 controls are caught; printable text, accents and non-breaking spaces are not", async () => {
    const { hasControlCharacter } = await m();
    for (const bad of ["\u0000", "a\tb", "a\nb", "\r", "\u001b", "\u001f", "\u007f", "\u0080", "Nguy\u009fn"]) expect(hasControlCharacter(bad)).toBe(true);
    for (const good of ["", "Nguyễn Thị Ánh", " ", "~", "\u00a0", "\u00a0Lê", "đ"]) expect(hasControlCharacter(good)).toBe(false);
  });
});

describe("sharing the event loop", () => {
  it("carries on without waiting inside the budget, then yields once to pending I/O and starts a new slice", async () => {
    const { eventLoopSlicer } = await m();
    const slice = eventLoopSlicer(20);
    expect(slice()).toBeUndefined();
    const until = performance.now() + 25;
    while (performance.now() < until) {
      /* use the budget up */
    }
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const pause = slice();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    expect(ranBetween).toBe(true);
    // The new slice starts when the pause ends: the next call carries on at once.
    expect(slice()).toBeUndefined();
  });

  it("has a budget of a few milliseconds by default", async () => {
    const { eventLoopSlicer } = await m();
    const slice = eventLoopSlicer();
    expect(slice()).toBeUndefined();
    const until = performance.now() + 9;
    while (performance.now() < until) {
      /* spend 9 ms */
    }
    const pause = slice();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
  });
});
