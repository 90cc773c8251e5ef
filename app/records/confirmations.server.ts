import { findCourse } from "~/courses/catalog.server";
import { COURSE_SETS, findCompetence } from "~/courses/framework";
import { db, nowIso } from "~/db.server";
import { contribution, listIndicators, officialCountedAt, type Indicator } from "~/reports/indicators.server";
import { parsePeriod } from "~/reports/report.server";

// The confirmation export for the national records (docs/exports.md): one record per person counted by an
// indicator as of the end of a period — exactly the people behind the report's numerators, found with the same
// rule (`contribution`) the report's counts are kept with. Nothing here decides who counts.

export type ExportScope = { kind: "province" } | { kind: "commune"; code: string };

export type Confirmation = {
  indicator: string;
  course_set: string;
  course_set_name: string;
  full_name: string;
  birth_year: number;
  commune_code: string;
  personnel_code: string | null;
  citizen_id: string | null;
  citizen_id_consented_at: string | null;
  completed_at: string;
  counted_from_month: string;
  courses: Array<{ slug: string; title: string; completed_at: string; certificate_code: string | null }>;
  competences: Array<{ code: string; name: string }>;
};

/** "2026" → "2026-12", "2026-03" → "2026-03": the last month counted, read exactly as the report reads it. */
export function lastMonthOf(period: string): string | null {
  if (!period.trim()) return null;
  return parsePeriod(period)?.endMonth ?? null;
}

export async function confirmations(period: string, scope: ExportScope): Promise<Confirmation[] | null> {
  const lastMonth = lastMonthOf(period);
  if (!lastMonth) return null;
  const out: Confirmation[] = [];
  // The course-set indicators only: the adults' basic skills and the officials' required training.
  for (const indicator of (await listIndicators()).filter((i) => i.measure === "course-set")) {
    for (const personId of await peopleWhoFinished(indicator)) {
      const counted =
        indicator.population === "officials" ? await officialCountedAt(db(), personId, indicator, lastMonth) : await contribution(db(), personId, indicator);
      if (!counted || counted.month > lastMonth) continue;
      if (scope.kind === "commune" && counted.commune !== scope.code) continue;
      out.push(await record(personId, indicator, counted.month));
    }
  }
  return out.sort(
    (a, b) => a.indicator.localeCompare(b.indicator) || a.commune_code.localeCompare(b.commune_code) || a.full_name.localeCompare(b.full_name, "vi"),
  );
}

/** Everyone who completed every course of the indicator's set (whether they count is `contribution`'s call). */
async function peopleWhoFinished(indicator: Indicator): Promise<string[]> {
  if (indicator.courses.length === 0) return [];
  const rows = await db()
    .selectFrom("course_progress")
    .select("person_id")
    .where("completed_at", "is not", null)
    .where("course_slug", "in", indicator.courses)
    .groupBy("person_id")
    .having((eb) => eb.fn.count("course_slug").distinct(), "=", indicator.courses.length)
    .execute();
  return rows.map((r) => r.person_id);
}

async function record(personId: string, indicator: Indicator, month: string): Promise<Confirmation> {
  const person = await db()
    .selectFrom("person")
    .leftJoin("citizen_id_consent", "citizen_id_consent.person_id", "person.id")
    .select(["full_name", "birth_year", "commune_code", "kind", "personnel_code", "citizen_id_consent.citizen_id", "citizen_id_consent.consented_at"])
    .where("person.id", "=", personId)
    .executeTakeFirstOrThrow();
  const progress = await db()
    .selectFrom("course_progress")
    .leftJoin("certificate", (join) =>
      join.onRef("certificate.person_id", "=", "course_progress.person_id").onRef("certificate.course_slug", "=", "course_progress.course_slug"),
    )
    .select(["course_progress.course_slug", "course_progress.completed_at", "certificate.code", "certificate.course_title", "certificate.competences"])
    .where("course_progress.person_id", "=", personId)
    .where("course_progress.course_slug", "in", indicator.courses)
    .orderBy("course_progress.course_slug")
    .execute();
  const competenceCodes = new Set<string>();
  for (const p of progress) {
    const codes: string[] = p.competences ? JSON.parse(p.competences) : (findCourse(p.course_slug)?.competences ?? []);
    codes.forEach((c) => competenceCodes.add(c));
  }
  return {
    indicator: indicator.id,
    course_set: indicator.courseSet,
    course_set_name: COURSE_SETS[indicator.courseSet as keyof typeof COURSE_SETS] ?? indicator.courseSet,
    full_name: person.full_name,
    birth_year: person.birth_year,
    commune_code: person.commune_code,
    personnel_code: indicator.population === "officials" ? person.personnel_code : null,
    citizen_id: person.citizen_id ?? null,
    citizen_id_consented_at: person.consented_at ?? null,
    completed_at: progress
      .map((p) => p.completed_at!)
      .sort()
      .at(-1)!,
    counted_from_month: month,
    courses: progress.map((p) => ({
      slug: p.course_slug,
      title: p.course_title ?? findCourse(p.course_slug)?.title ?? p.course_slug,
      completed_at: p.completed_at!,
      certificate_code: p.code ?? null,
    })),
    competences: [...competenceCodes].sort().map((code) => ({ code, name: findCompetence(code)?.name ?? code })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Files.

const CSV_HEADERS = [
  "Chỉ tiêu",
  "Bộ khóa học",
  "Họ và tên",
  "Năm sinh",
  "Mã xã/phường",
  "Mã cán bộ",
  "Số CCCD",
  "Ngày đồng ý cung cấp CCCD",
  "Ngày hoàn thành",
  "Các khóa học",
  "Mã chứng nhận",
  "Năng lực số",
];

/** dd/mm/yyyy in Vietnam time. */
function vietnamDate(iso: string | null): string {
  if (!iso) return "";
  const t = new Date(Date.parse(iso) + 7 * 3_600_000);
  return `${String(t.getUTCDate()).padStart(2, "0")}/${String(t.getUTCMonth() + 1).padStart(2, "0")}/${t.getUTCFullYear()}`;
}

function csvCell(value: string | number): string {
  let text = String(value);
  // A cell starting with = + - @ would be run as a formula by a spreadsheet: neutralise it.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a UTF-8 BOM (Excel reads the diacritics right), CRLF line ends, Vietnamese headers. */
export function confirmationsCsv(rows: Confirmation[]): string {
  const lines = [CSV_HEADERS.map(csvCell).join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.indicator,
        r.course_set_name,
        r.full_name,
        r.birth_year,
        r.commune_code,
        r.personnel_code ?? "",
        r.citizen_id ?? "",
        vietnamDate(r.citizen_id_consented_at),
        vietnamDate(r.completed_at),
        r.courses.map((c) => c.title).join("; "),
        r.courses
          .map((c) => c.certificate_code ?? "")
          .filter(Boolean)
          .join("; "),
        r.competences.map((c) => `${c.code} ${c.name}`).join("; "),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export function confirmationsJson(rows: Confirmation[], period: string, scope: ExportScope) {
  return {
    schema: "hoc-vu-so/xac-nhan/1",
    period,
    scope: scope.kind === "province" ? "province" : `commune:${scope.code}`,
    generated_at: nowIso(),
    records: rows,
  };
}

/** Every download is logged: who, which scope and period, which format, how many records. */
export async function logDownload(personId: string, scope: ExportScope, period: string, format: "csv" | "json", rows: number): Promise<void> {
  await db()
    .insertInto("export_download")
    .values({ person_id: personId, scope: scope.kind === "province" ? "province" : `commune:${scope.code}`, period, format, rows, downloaded_at: nowIso() })
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// The learner's citizen ID, given only by choice, with consent recorded.

export const CITIZEN_ID = /^\d{12}$/;

export async function saveCitizenId(personId: string, citizenId: string): Promise<void> {
  const now = nowIso();
  await db()
    .insertInto("citizen_id_consent")
    .values({ person_id: personId, citizen_id: citizenId, consented_at: now })
    .onConflict((oc) => oc.column("person_id").doUpdateSet({ citizen_id: citizenId, consented_at: now }))
    .execute();
}

export async function removeCitizenId(personId: string): Promise<void> {
  await db().deleteFrom("citizen_id_consent").where("person_id", "=", personId).execute();
}

export async function citizenIdOf(personId: string) {
  return db().selectFrom("citizen_id_consent").select(["citizen_id", "consented_at"]).where("person_id", "=", personId).executeTakeFirst();
}
