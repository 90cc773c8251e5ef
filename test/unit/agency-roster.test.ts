import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
// The router Remix itself renders with (a pinned dependency of @remix-run/react), to render one route as the server does.
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { completeAt, makePerson, useTempDatabase } from "./support/db";
import { at } from "./support/helpers";

// Issue 17, item 4: the agency officer's list computes each roster entry's status in SQL, paging before it
// computes when no status filter applies (decision 030). Every figure here is checked against a plain
// recomputation written in this file from the raw tables (loops, no SQL of the module), so a faster query
// that changed what the officer sees would fail.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  vi.useRealTimers();
});

async function m() {
  return {
    ...(await import("~/reports/agency-roster.server")),
    ...(await import("~/reports/imports.server")),
    ...(await import("~/reports/deadlines.server")),
    ...(await import("~/accounts/people.server")),
    ...(await import("~/text/folding")),
    db: (await import("~/db.server")).db,
  };
}

const HEADER = "personnel_code,full_name,birth_year,agency_code,commune_code,status";
const AGENCY = "SNV";

/** An official account holding a personnel code (written straight to the table, as older data could hold it). */
async function official(code: string, fullName: string, birthYear: number, agency = AGENCY) {
  const { db } = await m();
  const id = await makePerson({ kind: "official", fullName, birthYear });
  await db().updateTable("person").set({ personnel_code: code, agency_code: agency }).where("id", "=", id).execute();
  await new Promise((r) => setTimeout(r, 3)); // a strictly later created_at for the next account
  return id;
}

async function startAt(personId: string, courseSlug: string, iso: string) {
  const { db } = await m();
  await db()
    .insertInto("course_progress")
    .values({ person_id: personId, course_slug: courseSlug, last_lesson_slug: null, started_at: iso, updated_at: iso, completed_at: null })
    .execute();
}

type Expected = { code: string; name: string; searchName: string; personId: string | null; done: number; status: string };

/** The rule, recomputed by hand: an active entry counts through its earliest account with the same code, name, birth year. */
async function recompute(required: string[]) {
  const { db } = await m();
  const entries = await db().selectFrom("roster_official").selectAll().where("agency_code", "=", AGENCY).where("status", "=", "active").execute();
  const people = await db().selectFrom("person").selectAll().execute();
  const progress = await db().selectFrom("course_progress").selectAll().execute();
  const allActive = await db().selectFrom("roster_official").selectAll().where("status", "=", "active").execute();
  const firstClaimant = (e: { personnel_code: string; search_name: string; birth_year: number }) => {
    const claimants = people.filter((p) => p.personnel_code === e.personnel_code && p.search_name === e.search_name && p.birth_year === e.birth_year);
    claimants.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
    return claimants[0]?.id ?? null;
  };
  const rows: Expected[] = entries.map((e) => {
    const personId = firstClaimant(e);
    const mine = progress.filter((p) => p.person_id === personId && required.includes(p.course_slug));
    const done = mine.filter((p) => p.completed_at !== null).length;
    const status = required.length > 0 && done === required.length ? "completed" : mine.length > 0 ? "in-progress" : "not-started";
    return { code: e.personnel_code, name: e.full_name, searchName: e.search_name, personId, done, status };
  });
  rows.sort((a, b) => (a.searchName < b.searchName ? -1 : a.searchName > b.searchName ? 1 : a.code < b.code ? -1 : 1));
  const counted = new Set(allActive.map(firstClaimant).filter((id) => id !== null));
  const unmatched = people.filter((p) => p.kind === "official" && p.agency_code === AGENCY && !counted.has(p.id));
  return { rows, unmatched };
}

// The page itself, as Sở Khoa học và Công nghệ's training officer opens it: the route's loader reads the
// address (`loc`, the filter; what a bookmarked link or the filter form sends) and the page is rendered from
// what it returns. This comes first in the file on purpose: the filter list is a module constant, evaluated when
// a test first imports the module, and a mutation run credits it to that test only.
describe("the agency page's filter, as the officer reads and uses it", () => {
  const CODE = "SKHCN";
  type Page = { status: number; options: string[][]; cells: string[][]; empty: string | null };

  async function officerCookie() {
    const { db, nowIso } = await import("~/db.server");
    const { startSession } = await import("~/accounts/lucia.server");
    const officer = await makePerson({ fullName: "Cán Bộ Phụ Trách" });
    await db().insertInto("person_role").values({ person_id: officer, role: "agency_officer", scope: CODE, granted_by: null, granted_at: nowIso() }).execute();
    return (await startSession(officer)).split(";")[0];
  }

  function request(cookie: string, query: string) {
    return new Request(`http://localhost/bao-cao/co-quan/${CODE}${query}`, { headers: { Cookie: cookie } });
  }

  const text = (html: string) =>
    html
      .replace(/<[^>]*>/g, "")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&");

  /** Loads the page at `query` through its loader and renders it: the filter's options and the table's rows. */
  async function open(cookie: string, query: string): Promise<Page> {
    const route = await import("~/routes/bao-cao.co-quan.$code");
    // The server's load context, as server.ts hands it to every loader.
    const loader = ({ request, params }: { request: Request; params: Record<string, string | undefined> }) =>
      route.loader({ request, params, context: { cspNonce: "", clientIp: "127.0.0.1" } });
    const handler = createStaticHandler([{ id: "agency", path: "/bao-cao/co-quan/:code", loader, Component: route.default }]);
    const context = await handler.query(request(cookie, query));
    if (context instanceof Response) return { status: context.status, options: [], cells: [], empty: null };
    const html = renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context }));
    const select = html.match(/<select id="loc" name="loc">(.*?)<\/select>/)?.[1] ?? "";
    const options = [...select.matchAll(/<option value="([^"]*)"( selected="")?>(.*?)<\/option>/g)].map((o) => [o[1], text(o[3]), o[2] ? "chọn" : ""]);
    const body = html.match(/<tbody>(.*?)<\/tbody>/)?.[1] ?? "";
    const cells = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => text(cell[1])));
    const empty = html.match(/<p class="muted">(.*?)<\/p>/)?.[1] ?? null;
    return { status: context.statusCode, options, cells, empty };
  }

  /** What the loader answers for an address it refuses: the status and the Vietnamese sentence shown. */
  async function refused(cookie: string, query: string) {
    const route = await import("~/routes/bao-cao.co-quan.$code");
    try {
      await route.loader({ request: request(cookie, query), params: { code: CODE }, context: { cspNonce: "", clientIp: "127.0.0.1" } });
    } catch (thrown) {
      const response = thrown as Response;
      return [response.status, await response.text()];
    }
    return [200, "accepted"];
  }

  // The seven filters, in the order the officer reads them; `chọn` marks the one the page was opened with.
  const OPTIONS = [
    ["all", "Tất cả"],
    ["overdue", "Quá hạn"],
    ["at-risk", "Sắp đến hạn"],
    ["not-started", "Chưa bắt đầu"],
    ["in-progress", "Đang học"],
    ["completed", "Đã hoàn thành"],
    ["not-matched", "Chưa khớp danh sách"],
  ];
  const withChosen = (value: string) => OPTIONS.map(([v, label]) => [v, label, v === value ? "chọn" : ""]);

  // The rows as the table shows them: code, name, status, courses finished of the one required course (the
  // fixture's officials' set is `thu-hai` alone), and the reminder button for an account that has not finished.
  const CUONG = ["KH-003", "Lê Văn Cường", "Chưa bắt đầu (chưa có tài khoản)", "0/1", ""];
  const AN = ["KH-001", "Nguyễn Văn An", "Đã hoàn thành", "1/1", ""];
  const BINH = ["KH-002", "Trần Thị Bình", "Đang học", "0/1", "Nhắc nhở"];

  it("shows the seven filters in Vietnamese, reads each one from the address and lists whom it names", async () => {
    // 15/06/2026, 10:00 in Vietnam: the year's own deadline (31/12) is 199 days away, so the agency's own date decides.
    at("2026-06-15T03:00:00.000Z");
    const { importCsv, setAgencyDeadline, officialsIndicator } = await m();
    const rows = ["KH-001,Nguyễn Văn An,1980,SKHCN,,active", "KH-002,Trần Thị Bình,1981,SKHCN,,active", "KH-003,Lê Văn Cường,1982,SKHCN,,active"];
    rows.push("KH-004,Võ Thị Dung,1983,SKHCN,,left");
    expect(await importCsv("roster", `${HEADER}\n${rows.join("\n")}\n`, "skhcn.csv", null)).toMatchObject({ ok: true });
    const an = await official("KH-001", "Nguyễn Văn An", 1980, CODE);
    await completeAt(an, "thu-hai", "2026-05-01T03:00:00.000Z");
    const binh = await official("KH-002", "Trần Thị Bình", 1981, CODE);
    await startAt(binh, "thu-hai", "2026-05-02T03:00:00.000Z");
    const em = await official("KH-009", "Phạm Văn Em", 1984, CODE); // on no list: "not matched"
    const { db } = await m();
    const emLogin = (await db().selectFrom("person").select("username").where("id", "=", em).executeTakeFirstOrThrow()).username;
    const cookie = await officerCookie();
    const indicator = (await officialsIndicator())!;

    // The agency's own deadline was 10 days ago (05/06/2026): everyone not finished is overdue, nobody "at risk".
    await setAgencyDeadline(indicator.id, CODE, "2026-06-05", an);
    const wanted: [string, string[][]][] = [
      ["", [CUONG, AN, BINH]], // no filter in the address: everyone, in name order
      ["?loc=all", [CUONG, AN, BINH]],
      ["?loc=overdue", [CUONG, BINH]],
      ["?loc=at-risk", []],
      ["?loc=not-started", [CUONG]],
      ["?loc=in-progress", [BINH]],
      ["?loc=completed", [AN]],
      ["?loc=not-matched", [["KH-009", "Phạm Văn Em", emLogin]]], // code declared, name, login name
    ];
    for (const [query, list] of wanted) {
      const page = await open(cookie, query);
      expect(page.status, query).toBe(200);
      expect(page.options, query).toEqual(withChosen(query ? query.slice("?loc=".length) : "all"));
      expect(page.cells, query).toEqual(list);
    }
    expect((await open(cookie, "?loc=at-risk")).empty).toBe("Không có cán bộ nào khớp với bộ lọc.");

    // Thirty days before the agency's deadline (15/07/2026): the same two are "at risk", nobody is overdue.
    await setAgencyDeadline(indicator.id, CODE, "2026-07-15", an);
    expect((await open(cookie, "?loc=at-risk")).cells).toEqual([CUONG, BINH]);
    expect((await open(cookie, "?loc=overdue")).cells).toEqual([]);
    // A filter with a search and a page number in the address, as the "next page" link writes them.
    expect((await open(cookie, "?loc=at-risk&tim=kh-002&trang=1")).cells).toEqual([BINH]);
    // The accounts not on the list, searched by a name typed without diacritics or by the code they declared.
    for (const search of ["pham van em", "kh-009"]) {
      expect((await open(cookie, `?loc=not-matched&tim=${encodeURIComponent(search)}`)).cells, search).toEqual([["KH-009", "Phạm Văn Em", emLogin]]);
    }
    expect((await open(cookie, "?loc=not-matched&tim=binh")).cells).toEqual([]);

    // Anything else in `loc` is refused with a Vietnamese sentence, never an empty list or an error page of code.
    for (const query of ["?loc=khong-co", "?loc=", "?loc=Qu%C3%A1%20h%E1%BA%A1n", "?loc=ALL", "?loc=overdue%20"]) {
      expect(await refused(cookie, query), query).toEqual([400, "Bộ lọc không hợp lệ."]);
    }
  });

  it("the CSV download has the whole list with its Vietnamese status words", async () => {
    const cookie = await officerCookie();
    const route = await import("~/routes/bao-cao.co-quan.$code.danh-sach[.]csv");
    const response = await route.loader({
      request: new Request(`http://localhost/bao-cao/co-quan/${CODE}/danh-sach.csv`, { headers: { Cookie: cookie } }),
      params: { code: CODE },
      context: { cspNonce: "", clientIp: "127.0.0.1" },
    });
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="danh-sach-can-bo-SKHCN.csv"');
    // Read as bytes: the byte-order mark Excel needs would be dropped by response.text().
    expect(Buffer.from(await response.arrayBuffer()).toString("utf8")).toBe(
      "\uFEFFma_can_bo,ho_ten,tinh_trang,khoa_da_xong,co_tai_khoan\r\n" +
        "KH-003,Lê Văn Cường,Chưa bắt đầu,0/1,chưa\r\n" +
        "KH-001,Nguyễn Văn An,Đã hoàn thành,1/1,có\r\n" +
        "KH-002,Trần Thị Bình,Đang học,0/1,có\r\n",
    );
  });
});

describe("the agency officer's list (issue 17, item 4)", () => {
  it("counts, every filter, search and pages equal a recomputation, also after deleting a claimant and a roster import", async () => {
    const { importCsv, officialsIndicator, rosterCounts, rosterPage, fullRoster, officialsBehind, deletePerson, foldForSearch } = await m();
    const required = (await officialsIndicator())!.courses;
    expect(required.length).toBeGreaterThan(0);
    // 60 entries: more than one page of 50.
    const lines = Array.from({ length: 60 }, (_, i) => `SNV-${String(i).padStart(3, "0")},Cán Bộ Số ${String(i).padStart(3, "0")},1980,SNV,,active`);
    lines.push("SNV-DONE,Đặng Thị Xong,1975,SNV,,active", "SNV-HALF,Bùi Văn Đang,1976,SNV,,active", "SNV-TWO,Lý Văn Hai,1977,SNV,,active");
    lines.push("SNV-OLD,Trần Đã Nghỉ,1970,SNV,,left");
    expect(await importCsv("roster", `${HEADER}\n${lines.join("\n")}\n`, "snv.csv", null)).toMatchObject({ ok: true });

    const done = await official("SNV-DONE", "Đặng Thị Xong", 1975);
    for (const course of required) await completeAt(done, course, "2026-03-01T03:00:00.000Z");
    const half = await official("SNV-HALF", "Bùi Văn Đang", 1976);
    await startAt(half, required[0], "2026-03-02T03:00:00.000Z"); // started, not finished
    if (required.length > 1) await completeAt(half, required[1], "2026-03-03T03:00:00.000Z");
    const twoFirst = await official("SNV-TWO", "Lý Văn Hai", 1977); // the claimant: has not started
    const twoSecond = await official("SNV-TWO", "Ly Van Hai", 1977); // same folded name, later: unmatched though finished
    for (const course of required) await completeAt(twoSecond, course, "2026-03-04T03:00:00.000Z");
    await official("SNV-OLD", "Trần Đã Nghỉ", 1970); // entry has left: unmatched
    await official("SNV-NONE", "Phạm Không Có", 1979); // no entry at all: unmatched
    const early = await official("SNV-007", "Cán Bộ Số 007", 1980);
    await startAt(early, required[0], "2026-03-05T03:00:00.000Z");

    const overdue = { date: "2026-01-01", label: "01/01/2026", daysLeft: -5, source: "target" as const, targetYear: 2026 };
    async function expectSameAsRecomputation() {
      const { rows, unmatched } = await recompute(required);
      const counts = await rosterCounts(AGENCY, required);
      expect(counts).toEqual({
        total: rows.length,
        completed: rows.filter((r) => r.status === "completed").length,
        inProgress: rows.filter((r) => r.status === "in-progress").length,
        notStarted: rows.filter((r) => r.status === "not-started").length,
        withoutAccount: rows.filter((r) => r.personId === null).length,
        notMatched: unmatched.length,
      });
      const shown = (list: Expected[]) =>
        list.map((r) => ({ personnelCode: r.code, fullName: r.name, status: r.status, coursesCompleted: r.done, personId: r.personId }));
      const filters = [
        ["all", () => true],
        ["completed", (r: Expected) => r.status === "completed"],
        ["in-progress", (r: Expected) => r.status === "in-progress"],
        ["not-started", (r: Expected) => r.status === "not-started"],
        ["overdue", (r: Expected) => r.status !== "completed"],
      ] as const;
      for (const [filter, keep] of filters) {
        const wanted = rows.filter(keep);
        for (const page of [1, 2]) {
          const got = await rosterPage(AGENCY, required, overdue, { filter, search: "", page });
          expect(got.rows, `${filter} page ${page}`).toEqual(shown(wanted.slice((page - 1) * 50, page * 50)));
          expect(got.hasMore).toBe(wanted.length > page * 50);
        }
      }
      // Without a deadline nobody is overdue or at risk.
      expect(await rosterPage(AGENCY, required, null, { filter: "overdue", search: "", page: 1 })).toEqual({ rows: [], unmatched: [], hasMore: false });
      expect((await rosterPage(AGENCY, required, null, { filter: "at-risk", search: "", page: 1 })).rows).toEqual([]);
      // At risk: from the deadline day itself (0 days left) to 60 days before it; overdue only after the day.
      const notDone = shown(rows.filter((r) => r.status !== "completed").slice(0, 50));
      const dueIn = (daysLeft: number) => ({ ...overdue, daysLeft });
      for (const [daysLeft, atRisk, late] of [
        [-5, [], notDone],
        [0, notDone, []],
        [60, notDone, []],
        [61, [], []],
      ] as const) {
        expect((await rosterPage(AGENCY, required, dueIn(daysLeft), { filter: "at-risk", search: "", page: 1 })).rows, `at risk, ${daysLeft} days`).toEqual(
          atRisk,
        );
        expect((await rosterPage(AGENCY, required, dueIn(daysLeft), { filter: "overdue", search: "", page: 1 })).rows, `overdue, ${daysLeft} days`).toEqual(
          late,
        );
      }
      // Search: a name typed without diacritics, or the start of a personnel code.
      const byName = await rosterPage(AGENCY, required, null, { filter: "all", search: "dang thi xong", page: 1 });
      expect(byName.rows).toEqual(shown(rows.filter((r) => r.searchName.includes(foldForSearch("dang thi xong")))));
      const byCode = await rosterPage(AGENCY, required, null, { filter: "all", search: "snv-00", page: 1 });
      expect(byCode.rows).toEqual(shown(rows.filter((r) => r.code.startsWith("SNV-00"))));
      // A code pasted with spaces around it finds the same people.
      expect((await rosterPage(AGENCY, required, null, { filter: "all", search: "  snv-00 ", page: 1 })).rows).toEqual(byCode.rows);
      const byCodeFiltered = await rosterPage(AGENCY, required, overdue, { filter: "in-progress", search: "snv-00", page: 1 });
      expect(byCodeFiltered.rows).toEqual(shown(rows.filter((r) => r.code.startsWith("SNV-00") && r.status === "in-progress")));
      const notMatched = await rosterPage(AGENCY, required, null, { filter: "not-matched", search: "", page: 1 });
      expect(notMatched.unmatched.map((u) => u.personId).sort()).toEqual(unmatched.map((u) => u.id).sort());
      // The CSV and the reminder reach the same people.
      expect((await fullRoster(AGENCY, required)).map((r) => [r.personnel_code, r.status, Number(r.done), r.person_id])).toEqual(
        rows.map((r) => [r.code, r.status, r.done, r.personId]),
      );
      expect((await officialsBehind(AGENCY, required)).sort()).toEqual(
        rows
          .filter((r) => r.personId !== null && r.status !== "completed")
          .map((r) => r.personId)
          .sort(),
      );
      return { rows, counts };
    }

    // An agency with no roster and no accounts: every count is zero, none missing.
    expect(await rosterCounts("KHONG-CO-DANH-SACH", required)).toEqual({
      total: 0,
      completed: 0,
      inProgress: 0,
      notStarted: 0,
      withoutAccount: 0,
      notMatched: 0,
    });
    const before = await expectSameAsRecomputation();
    expect(before.counts).toMatchObject({ total: 63, completed: 1, inProgress: 2, notStarted: 60, withoutAccount: 59, notMatched: 3 });

    // The first claimant of SNV-TWO deletes their account: the entry now counts through the second, who finished.
    await deletePerson(twoFirst);
    const afterDelete = await expectSameAsRecomputation();
    expect(afterDelete.counts).toMatchObject({ completed: 2, notMatched: 2 });
    expect(afterDelete.rows.find((r) => r.code === "SNV-TWO")).toMatchObject({ personId: twoSecond, status: "completed" });

    // A roster import: SNV-DONE leaves, SNV-NONE joins.
    expect(
      await importCsv("roster", `${HEADER}\nSNV-DONE,Đặng Thị Xong,1975,SNV,,left\nSNV-NONE,Phạm Không Có,1979,SNV,,active\n`, "snv2.csv", null),
    ).toMatchObject({ ok: true });
    const afterImport = await expectSameAsRecomputation();
    expect(afterImport.counts).toMatchObject({ total: 63, completed: 1, notMatched: 2 });
    expect(afterImport.rows.some((r) => r.code === "SNV-DONE")).toBe(false);
    expect(afterImport.rows.find((r) => r.code === "SNV-NONE")).toMatchObject({ status: "not-started" });
  });

  it("the officials not on the list come 50 to a page, in name order, and the page says when more follow", async () => {
    const { officialsIndicator, rosterPage, db } = await m();
    const required = (await officialsIndicator())!.courses;
    // Accounts of Sở Tài chính whose personnel codes are on no list (written straight to the table: no password
    // hashing needed for what this page shows).
    const add = async (i: number) => {
      const n = String(i).padStart(3, "0");
      await db()
        .insertInto("person")
        .values({
          id: `stc-${n}`,
          username: `stc-${n}`,
          full_name: `Người Ngoài ${n}`,
          search_name: `nguoi ngoai ${n}`,
          birth_year: 1985,
          commune_code: "25459",
          kind: "official",
          agency_code: "STC",
          personnel_code: `STC-${n}`,
          password_hash: "x",
          consent_at: "2026-01-01T00:00:00.000Z",
          consent_method: "self",
          created_at: "2026-01-01T00:00:00.000Z",
        })
        .execute();
    };
    const page = (n: number) => rosterPage("STC", required, null, { filter: "not-matched", search: "", page: n });
    for (let i = 0; i < 50; i++) await add(i);
    const exactlyFifty = await page(1);
    expect(exactlyFifty.unmatched.map((u) => u.personId)).toEqual(Array.from({ length: 50 }, (_, i) => `stc-${String(i).padStart(3, "0")}`));
    expect(exactlyFifty.hasMore).toBe(false);
    await add(50);
    const first = await page(1);
    expect(first.unmatched).toHaveLength(50);
    expect(first.unmatched[0]).toEqual({ personId: "stc-000", username: "stc-000", fullName: "Người Ngoài 000", personnelCode: "STC-000" });
    expect(first.hasMore).toBe(true);
    const second = await page(2);
    expect(second.unmatched.map((u) => u.personId)).toEqual(["stc-050"]);
    expect(second.hasMore).toBe(false);
  });

  it("a list of exactly 50 fits one page: no next page, with or without a status filter", async () => {
    const { importCsv, officialsIndicator, rosterPage } = await m();
    const required = (await officialsIndicator())!.courses;
    const lines = Array.from({ length: 50 }, (_, i) => `SXD-${String(i).padStart(3, "0")},Kỹ Sư Số ${String(i).padStart(3, "0")},1982,SXD,,active`);
    expect(await importCsv("roster", `${HEADER}\n${lines.join("\n")}\n`, "sxd.csv", null)).toMatchObject({ ok: true });
    for (const filter of ["all", "not-started"] as const) {
      const page = await rosterPage("SXD", required, null, { filter, search: "", page: 1 });
      expect(
        page.rows.map((r) => r.personnelCode),
        filter,
      ).toEqual(lines.map((l) => l.split(",")[0]));
      expect(page.hasMore, filter).toBe(false);
    }
  });

  it("with no required course (content without the officials' set) the list still answers: nobody has started", async () => {
    const { importCsv, rosterCounts, rosterPage, fullRoster, officialsBehind } = await m();
    const lines = ["GD-001,Hồ Văn Một,1980,SGDDT,,active", "GD-002,Đỗ Thị Hai,1981,SGDDT,,active"];
    expect(await importCsv("roster", `${HEADER}\n${lines.join("\n")}\n`, "sgddt.csv", null)).toMatchObject({ ok: true });
    const mot = await official("GD-001", "Hồ Văn Một", 1980, "SGDDT");
    await completeAt(mot, "thu-hai", "2026-04-01T03:00:00.000Z"); // a course, but no longer a required one
    expect(await rosterCounts("SGDDT", [])).toEqual({ total: 2, completed: 0, inProgress: 0, notStarted: 2, withoutAccount: 1, notMatched: 0 });
    const page = await rosterPage("SGDDT", [], null, { filter: "all", search: "", page: 1 });
    expect(page.rows).toEqual([
      { personnelCode: "GD-002", fullName: "Đỗ Thị Hai", status: "not-started", coursesCompleted: 0, personId: null },
      { personnelCode: "GD-001", fullName: "Hồ Văn Một", status: "not-started", coursesCompleted: 0, personId: mot },
    ]);
    expect((await rosterPage("SGDDT", [], null, { filter: "not-started", search: "", page: 1 })).rows.map((r) => r.personnelCode)).toEqual([
      "GD-002",
      "GD-001",
    ]);
    expect((await fullRoster("SGDDT", [])).map((r) => [r.personnel_code, r.status, Number(r.done)])).toEqual([
      ["GD-002", "not-started", 0],
      ["GD-001", "not-started", 0],
    ]);
    expect(await officialsBehind("SGDDT", [])).toEqual([mot]);
  });
});
