import { readdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { contextFor, ROLES, type Role } from "./support/roles";

// Every route in app/routes, visited as each role (and logged out): the status each should get.
// Adding a route without adding it here fails the first test.

type Outcome = number | "login" | `redirect:${string}`;
type Rule = { url: string; expect: (role: Role) => Outcome };
type Rules = Rule | Rule[];

const everyone = (outcome: Outcome) => () => outcome;
const signedIn = (outcome: Outcome) => (role: Role) => (role === "anonymous" ? "login" : outcome);
const only = (allowed: Role[]) => (role: Role) => (role === "anonymous" ? "login" : allowed.includes(role) ? 200 : 403);

// Cohort 1 is the demo cohort of demo-taphuan: another trainer gets 404, exactly as for a missing id.
const demoCohort = (role: Role): Outcome => (role === "anonymous" ? "login" : role === "trainer" || role === "admin" ? 200 : role === "trainer2" ? 404 : 403);
const reportsHome = (role: Role): Outcome =>
  role === "anonymous"
    ? "login"
    : role === "admin"
      ? 200
      : role === "commune"
        ? "redirect:/bao-cao/xa/25459"
        : role === "agency"
          ? "redirect:/bao-cao/co-quan/SKHCN"
          : 403;

const MATRIX: Record<string, Rules> = {
  "_index.tsx": { url: "/", expect: everyone(200) },
  "$.tsx": { url: "/khong-co-trang-nay", expect: everyone(404) },
  "khoa-hoc._index.tsx": { url: "/khoa-hoc", expect: everyone(200) },
  "khoa-hoc.$course._index.tsx": { url: "/khoa-hoc/dich-vu-cong-truc-tuyen", expect: everyone(200) },
  "khoa-hoc.$course.$lesson.tsx": { url: "/khoa-hoc/dich-vu-cong-truc-tuyen/dang-nhap-bang-vneid", expect: everyone(200) },
  "khoa-hoc.$course.kiem-tra.tsx": { url: "/khoa-hoc/dich-vu-cong-truc-tuyen/kiem-tra", expect: everyone(200) },
  "khoa-hoc.$course.kiem-tra_.$attempt.tsx": { url: "/khoa-hoc/dich-vu-cong-truc-tuyen/kiem-tra/1", expect: signedIn(404) },
  "nang-luc-so.tsx": { url: "/nang-luc-so", expect: everyone(200) },
  "tim-kiem.tsx": { url: "/tim-kiem?q=vneid", expect: everyone(200) },
  "quyen-rieng-tu.tsx": { url: "/quyen-rieng-tu", expect: everyone(200) },
  "dang-ky.tsx": { url: "/dang-ky", expect: (r) => (r === "anonymous" ? 200 : "redirect:/ca-nhan") },
  // Signed in, the login page sends each role where its work is (issue 18).
  "dang-nhap.tsx": {
    url: "/dang-nhap",
    expect: (r) =>
      r === "anonymous"
        ? 200
        : r === "trainer" || r === "trainer2"
          ? "redirect:/lop-hoc"
          : r === "commune" || r === "agency" || r === "admin"
            ? "redirect:/bao-cao"
            : "redirect:/ca-nhan",
  },
  // Signed credentials (decision 022): the public key, the issuer and the revocation list are public.
  "[.]well-known.jwks[.]json.tsx": { url: "/.well-known/jwks.json", expect: everyone(200) },
  "ob.to-chuc[.]json.tsx": { url: "/ob/to-chuc.json", expect: everyone(200) },
  "ob.thu-hoi[.]json.tsx": { url: "/ob/thu-hoi.json", expect: everyone(200) },
  "chung-chi.kiem-tra-tep.tsx": { url: "/chung-chi/kiem-tra-tep", expect: everyone(200) },
  "ca-nhan.chung-chi.$code_.tai-ve.tsx": { url: "/ca-nhan/chung-chi/KHONGCO/tai-ve", expect: signedIn(404) },
  "quan-tri.chung-chi.tsx": { url: "/quan-tri/chung-chi", expect: only(["admin"]) },
  "quan-tri.xapi[.]json.tsx": { url: "/quan-tri/xapi.json?ky=2026", expect: only(["admin"]) },
  // The confirmation export (issue 20): administrators and commune officers.
  "bao-cao.xac-nhan.tsx": { url: "/bao-cao/xac-nhan", expect: only(["admin", "commune"]) },
  "bao-cao.xac-nhan_.tai-ve.tsx": { url: "/bao-cao/xac-nhan/tai-ve?ky=2026&dinh-dang=csv", expect: only(["admin", "commune"]) },
  // Single sign-on is off unless configured (decision 024): its pages do not exist.
  "dang-nhap_.sso._index.tsx": { url: "/dang-nhap/sso", expect: everyone(404) },
  "dang-nhap_.sso.lien-ket.tsx": { url: "/dang-nhap/sso/lien-ket", expect: everyone(404) },
  "dang-nhap_.sso.ve.tsx": { url: "/dang-nhap/sso/ve", expect: everyone(404) },
  "dang-xuat.tsx": { url: "/dang-xuat", expect: everyone("redirect:/") },
  "ca-nhan._index.tsx": { url: "/ca-nhan", expect: signedIn(200) },
  "ca-nhan.nhac-nho.tsx": { url: "/ca-nhan/nhac-nho", expect: signedIn("redirect:/ca-nhan") },
  "ca-nhan.doi-mat-khau.tsx": { url: "/ca-nhan/doi-mat-khau", expect: signedIn(200) },
  "ca-nhan.du-lieu.tsx": { url: "/ca-nhan/du-lieu", expect: signedIn(200) },
  "ca-nhan.du-lieu_.tai-ve.tsx": { url: "/ca-nhan/du-lieu/tai-ve", expect: signedIn(200) },
  "ca-nhan.chung-chi.$code.tsx": { url: "/ca-nhan/chung-chi/ABCDE23456", expect: signedIn(404) },
  "chung-chi._index.tsx": { url: "/chung-chi", expect: everyone(200) },
  "chung-chi.$code.tsx": { url: "/chung-chi/ABCDE23456", expect: everyone(404) },
  "quan-tri._index.tsx": { url: "/quan-tri", expect: only(["admin"]) },
  "quan-tri.nguoi-dung.tsx": { url: "/quan-tri/nguoi-dung", expect: only(["admin"]) },
  "quan-tri.nhap-du-lieu.tsx": { url: "/quan-tri/nhap-du-lieu", expect: only(["admin"]) },
  "quan-tri.nhap-du-lieu_.mau.$file.tsx": [
    { url: "/quan-tri/nhap-du-lieu/mau/mau-danh-sach-can-bo.csv", expect: only(["admin"]) },
    { url: "/quan-tri/nhap-du-lieu/mau/khong-co.csv", expect: (r) => (r === "anonymous" ? "login" : r === "admin" ? 404 : 403) },
  ],
  "quan-tri.to-chuc.tsx": { url: "/quan-tri/to-chuc", expect: only(["admin"]) },
  "quan-tri.han-chot.tsx": { url: "/quan-tri/han-chot", expect: only(["admin"]) },
  "quan-tri.api.tsx": { url: "/quan-tri/api", expect: only(["admin"]) },
  "bao-cao._index.tsx": { url: "/bao-cao", expect: reportsHome },
  "bao-cao.xa.$code.tsx": [
    { url: "/bao-cao/xa/25459", expect: only(["admin", "commune"]) },
    { url: "/bao-cao/xa/25480", expect: only(["admin"]) },
    { url: "/bao-cao/xa/99999", expect: (r) => (r === "anonymous" ? "login" : r === "admin" || r === "commune" || r === "agency" ? 404 : 403) },
  ],
  "bao-cao.co-quan.$code.tsx": [
    { url: "/bao-cao/co-quan/SKHCN", expect: only(["admin", "agency"]) },
    { url: "/bao-cao/co-quan/SNV", expect: only(["admin"]) },
  ],
  "bao-cao.co-quan.$code.danh-sach[.]csv.tsx": [
    { url: "/bao-cao/co-quan/SKHCN/danh-sach.csv", expect: only(["admin", "agency"]) },
    { url: "/bao-cao/co-quan/SNV/danh-sach.csv", expect: only(["admin"]) },
  ],
  "bao-cao.tai-ve[.]csv.tsx": [
    { url: "/bao-cao/tai-ve.csv?ky=2026", expect: only(["admin", "commune", "agency"]) },
    { url: "/bao-cao/tai-ve.csv?ky=2026&xa=25480", expect: only(["admin"]) },
    { url: "/bao-cao/tai-ve.csv?ky=2026&co-quan=SNV", expect: only(["admin"]) },
  ],
  "api.v1.indicators.tsx": { url: "/api/v1/indicators?period=2026", expect: everyone(401) },
  "thong-ke.tsx": { url: "/thong-ke", expect: everyone(200) },
  // Decision 025: the site's script, service worker, manifest and icons; text size; the offline page.
  "app.$file.ts": [
    { url: "/app/doc.js", expect: everyone(200) },
    { url: "/app/sw.js", expect: everyone(200) },
    { url: "/app/manifest.webmanifest", expect: everyone(200) },
    { url: "/app/khong-co.js", expect: everyone(404) },
  ],
  "co-chu.tsx": { url: "/co-chu", expect: everyone(200) },
  "ngoai-tuyen.tsx": { url: "/ngoai-tuyen", expect: everyone(200) },
  "tham-gia.tsx": { url: "/tham-gia", expect: signedIn(200) },
  "lop-hoc._index.tsx": { url: "/lop-hoc", expect: only(["trainer", "trainer2", "admin"]) },
  // The demo cohort (id 1) belongs to demo-taphuan: the second trainer gets 404, like a missing id.
  "lop-hoc.$id._index.tsx": [
    { url: "/lop-hoc/1", expect: demoCohort },
    { url: "/lop-hoc/999999", expect: (r) => (r === "anonymous" ? "login" : r === "trainer" || r === "trainer2" || r === "admin" ? 404 : 403) },
  ],
  "lop-hoc.$id.phieu.tsx": { url: "/lop-hoc/1/phieu", expect: demoCohort },
  "lop-hoc.$id.dang-ky-ho.tsx": { url: "/lop-hoc/1/dang-ky-ho", expect: demoCohort },
  "lop-hoc.$id.buoi-hoc.tsx": { url: "/lop-hoc/1/buoi-hoc", expect: demoCohort },
  "lop-hoc.$id.tai-ve[.]csv.tsx": { url: "/lop-hoc/1/tai-ve.csv", expect: demoCohort },
  "lop-hoc.$id.hoc-vien.$person.tsx": {
    url: "/lop-hoc/1/hoc-vien/nobody",
    expect: (r) => (r === "anonymous" ? "login" : r === "trainer" || r === "trainer2" || r === "admin" ? 404 : 403),
  },
};

test("the matrix covers every route file in app/routes", () => {
  const files = readdirSync("app/routes")
    .filter((f) => /\.tsx?$/.test(f))
    .sort();
  expect(Object.keys(MATRIX).sort()).toEqual(files);
});

for (const role of ROLES) {
  test(`as ${role}: every route answers as designed`, async ({ baseURL }) => {
    const context = await contextFor(role, baseURL!);
    const failures: string[] = [];
    for (const [file, rule] of Object.entries(MATRIX).flatMap(([f, r]) => (Array.isArray(r) ? r : [r]).map((x) => [f, x] as const))) {
      const response = await context.get(rule.url, { maxRedirects: 0 });
      const expected = rule.expect(role);
      const location = response.headers()["location"] ?? "";
      let actual: Outcome = response.status();
      if (response.status() === 302 || response.status() === 301) {
        actual = location.startsWith("/dang-nhap") ? "login" : `redirect:${location.split("?")[0]}`;
      }
      if (actual !== expected) failures.push(`${file} ${rule.url}: expected ${expected}, got ${actual}`);
    }
    expect(failures).toEqual([]);
    await context.dispose();
  });
}
