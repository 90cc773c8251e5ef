import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn } from "./support/accounts";
import { expectPhoneFriendlyLayout } from "./support/layout";

// Security review, issue 12, finding 7, as the administrator meets it: Excel's files, the page's templates.

async function upload(page: Page, kind: "roster" | "population", name: string, buffer: Buffer) {
  await page.locator(`input[name="kind"][value="${kind}"]`).check();
  await page.getByLabel(/Tệp CSV/).setInputFiles({ name, mimeType: "text/csv", buffer });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/quan-tri/nhap-du-lieu")),
    page.getByRole("button", { name: "Nhập", exact: true }).click(),
  ]);
  return response;
}

test.beforeEach(async ({ page }) => {
  await logIn(page, "demo-quantri");
  await page.goto("/quan-tri/nhap-du-lieu");
});

test("the roster template downloads as UTF-8 with a BOM and imports back as it is", async ({ page }) => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Tải tệp mẫu danh sách cán bộ/ }).click()]);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  expect(lines[0]).toBe("personnel_code,full_name,birth_year,agency_code,commune_code,status");
  expect(lines).toHaveLength(2);
  await expectNoA11yViolations(page);

  const response = await upload(page, "roster", download.suggestedFilename(), bytes);
  expect(response.status()).toBeLessThan(400);
  await expect(page.getByRole("status")).toContainText("Đã nhập 1 dòng");
});

test("a Windows-1258 file is refused (400) with how to save it as CSV UTF-8, and nothing is imported", async ({ page }) => {
  // "E2E-CP,Nguyễn An,…" as Excel saves it on a Vietnamese Windows: ê = 0xEA, combining tilde = 0xDE.
  const cp1258 = Buffer.concat([
    Buffer.from("personnel_code,full_name,birth_year,agency_code,commune_code,status\r\nE2E-CP1258,"),
    Buffer.from([0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e]),
    Buffer.from(" An,1980,SNV,,active\r\n"),
  ]);
  const response = await upload(page, "roster", "windows-1258.csv", cp1258);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Lưu thành CSV UTF-8 (phân cách bằng dấu phẩy)");
  await expect(page.getByRole("table", { name: "Các lần nhập gần đây" })).not.toContainText("windows-1258.csv");
  await expectNoA11yViolations(page);
});

test("a semicolon-separated file with Excel's trailing empty rows imports", async ({ page }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const text = `personnel_code;full_name;birth_year;agency_code;commune_code;status\r\nSEMI-${suffix};Võ Thị Sáu;1984;SNV;;active\r\n;;;;;\r\n;;;;;\r\n`;
  await upload(page, "roster", "cham-phay.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
  await expect(page.getByRole("status")).toContainText("Đã nhập 1 dòng, 1 dòng thay đổi");
});

test("after an error the list type stays chosen, the page fits a phone, and import times are Vietnam time (issue 18 item 14)", async ({ page }) => {
  const bad = Buffer.from("commune_code,year,adult_population\r\n25459,2026,abc\r\n");
  const response = await upload(page, "population", "sai-dong.csv", bad);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Chưa nhập");
  await expect(page.locator('input[name="kind"][value="population"]')).toBeChecked();
  await expect(page.locator('input[name="kind"][value="roster"]')).not.toBeChecked();
  await expectPhoneFriendlyLayout(page); // the long column lists wrap instead of widening the page
  // A good file: its time in the recent imports, day first, in Vietnam time (UTC+7).
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Tải tệp mẫu danh sách cán bộ/ }).click()]);
  const before = Date.now();
  const ok = await upload(page, "roster", "gio-viet-nam.csv", readFileSync((await download.path())!));
  expect(ok.status()).toBe(200);
  const row = page.getByRole("table", { name: "Các lần nhập gần đây" }).locator("tbody tr").first();
  await expect(row).toContainText("gio-viet-nam.csv");
  const shown = (await row.locator("td").first().textContent())!.trim();
  const vietnam = new Date(before + 7 * 3600_000).toISOString();
  expect(shown.slice(0, 10)).toBe(`${vietnam.slice(8, 10)}/${vietnam.slice(5, 7)}/${vietnam.slice(0, 4)}`);
  expect(shown).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
});
