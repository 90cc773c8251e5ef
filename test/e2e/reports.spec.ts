import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn, uniqueUsername } from "./support/accounts";
import { course, coursesInSetOf } from "./support/content";
import { passCourse } from "./support/learning";

// The admin imports a roster, an official on it completes the required courses, and the numbers move exactly
// as a hand computation says — in the page, the CSV and the JSON API alike.

async function uploadCsv(page: Page, kind: "roster" | "population", name: string, text: string) {
  await page.goto("/quan-tri/nhap-du-lieu");
  await page.locator(`input[name="kind"][value="${kind}"]`).check();
  await page.getByLabel(/Tệp CSV/).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
  await page.getByRole("button", { name: "Nhập", exact: true }).click();
}

test("admin imports a roster → an official completes the required courses → page, CSV and API agree", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const suffix = Date.now().toString(36).toUpperCase();
  const agency = `E2E-${suffix}`;
  await logIn(page, "demo-quantri");

  // A fresh agency, so the hand computation starts from zero.
  await page.goto("/quan-tri/to-chuc");
  await page.getByLabel("Mã cơ quan").fill(agency);
  await page.getByLabel("Tên cơ quan").fill(`Ban Kiểm Thử ${suffix}`);
  await page.getByRole("button", { name: "Lưu cơ quan" }).click();
  await expect(page.getByRole("status")).toContainText(`Đã lưu cơ quan ${agency}`);

  const header = "personnel_code,full_name,birth_year,agency_code,commune_code,status";
  // A bad row: nothing is imported, and the line is named.
  await uploadCsv(page, "roster", "sai.csv", `${header}\n${agency}-1,Mai Văn Một,1980,${agency},,active\n${agency}-2,Mai Thị Hai,19x5,${agency},,active\n`);
  await expect(page.getByRole("alert")).toContainText("1 dòng có lỗi");
  await expect(page.getByText("Dòng 3: năm sinh")).toBeVisible();
  await expectNoA11yViolations(page);

  const roster = [
    header,
    `${agency}-1,Mai Văn Một,1980,${agency},,active`,
    `${agency}-2,Mai Thị Hai,1985,${agency},,active`,
    `${agency}-3,Mai Văn Ba,1990,${agency},,active`,
    `${agency}-4,Mai Thị Bốn,1979,${agency},,left`,
  ].join("\n");
  await uploadCsv(page, "roster", "dung.csv", roster);
  await expect(page.getByRole("status")).toContainText("Đã nhập 4 dòng, 4 dòng thay đổi");
  await uploadCsv(page, "roster", "dung.csv", roster);
  await expect(page.getByRole("status")).toContainText("0 dòng thay đổi");

  // 0 of 3 active officials so far.
  await page.goto(`/bao-cao/co-quan/${agency}?ky=2026`);
  await expect(page.getByRole("region", { name: /Cán bộ, công chức/ })).toContainText("0 / 3");
  await expect(page.getByRole("table")).toContainText("Mai Văn Một");
  await expect(page.getByRole("table")).not.toContainText("Mai Thị Bốn"); // left: not on the list
  await expectNoA11yViolations(page);

  // The official signs up with their personnel code and completes every required course.
  const official = await browser.newContext();
  const learner = await official.newPage();
  await learner.goto("/dang-ky?loai=can-bo");
  await learner.getByRole("textbox", { name: "Họ và tên" }).fill("Mai Văn Một");
  await learner.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(uniqueUsername("mvm"));
  await learner.getByLabel("Mật khẩu", { exact: true }).fill("matkhau-123");
  await learner.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
  await learner.getByRole("textbox", { name: "Năm sinh" }).fill("1980");
  await learner.getByLabel("Xã/phường nơi bạn sống").fill("Tân Ninh");
  await learner.getByLabel("Cơ quan, đơn vị công tác").selectOption(agency);
  await learner.getByRole("textbox", { name: "Mã cán bộ" }).fill(`${agency}-1`);
  await learner.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await learner.getByRole("button", { name: "Tạo tài khoản" }).click();
  const required = coursesInSetOf("official-required");
  for (const slug of required.slice(0, -1)) await passCourse(learner, course(slug));
  // Not yet: one required course is left.
  await page.reload();
  await expect(page.getByRole("region", { name: /Cán bộ, công chức/ })).toContainText("0 / 3");
  await expect(page.getByRole("row", { name: /Mai Văn Một/ })).toContainText("Đang học");
  await passCourse(learner, course(required.at(-1)!));
  await official.close();

  // 1 of 3 = 33.3 %, target 85 %.
  const year = new Date().getFullYear();
  await page.goto(`/bao-cao/co-quan/${agency}?ky=${year}`);
  await expect(page.getByRole("region", { name: /Cán bộ, công chức/ })).toContainText("33,3%");
  await expect(page.getByRole("region", { name: /Cán bộ, công chức/ })).toContainText("1 / 3");
  await expect(page.getByRole("row", { name: /Mai Văn Một/ })).toContainText("Đã hoàn thành");

  const csv = await (await page.request.get(`/bao-cao/tai-ve.csv?ky=${year}&co-quan=${agency}&dang=may`)).text();
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain(`officials-proficient,agency,${agency},Ban Kiểm Thử ${suffix},1,3,33.3,85,${year}`);

  await page.goto("/quan-tri/api");
  await page.getByLabel("Tên (ai dùng mã này)").fill("Kiểm thử IOC");
  await page.getByRole("button", { name: "Tạo mã mới" }).click();
  const token = (await page.getByRole("status").locator("code").textContent())!.trim();
  const api = await page.request.get(`${baseURL}/api/v1/indicators?period=${year}&agency=${agency}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(api.status()).toBe(200);
  const body = await api.json();
  const officials = body.indicators.find((i: { id: string }) => i.id === "officials-proficient");
  expect(officials).toMatchObject({ target_percent: 85, target_year: 2026 });
  expect(officials.agencies).toEqual([{ code: agency, name: `Ban Kiểm Thử ${suffix}`, numerator: 1, denominator: 3, percent: 33.3 }]);
  expect(
    (await page.request.get(`${baseURL}/api/v1/indicators?period=${year}`, { headers: { Authorization: "Bearer hvs_wrongwrongwrongwrongwrong" } })).status(),
  ).toBe(401);
  expect((await page.request.get(`${baseURL}/api/v1/indicators?period=bad`, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(400);

  // Revoked tokens stop working.
  await page.getByRole("button", { name: "Thu hồi" }).first().click();
  expect((await page.request.get(`${baseURL}/api/v1/indicators?period=${year}`, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});

test("a commune officer sees only their commune", async ({ page }) => {
  await logIn(page, "demo-xa");
  await page.goto("/bao-cao");
  await expect(page).toHaveURL(/\/bao-cao\/xa\/25459/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phường Tân Ninh");
  await expectNoA11yViolations(page);
  expect((await page.request.get("/bao-cao/xa/25480")).status()).toBe(403);
  expect((await page.request.get("/bao-cao/co-quan/SKHCN")).status()).toBe(403);
  const csv = await (await page.request.get("/bao-cao/tai-ve.csv?ky=2026&dang=may")).text();
  const lines = csv.trim().split("\r\n").slice(1);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/^[a-z-]+,commune,25459,/);
});

test("the province report, with charts and tables, is accessible; the public statistics hide small groups", async ({ page }) => {
  test.setTimeout(60_000); // two axe scans of the largest pages: about 15 s on an idle 2-core machine
  await logIn(page, "demo-quantri");
  await page.goto("/bao-cao");
  await expect(page.getByRole("img", { name: /Diễn biến 12 tháng/ }).first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Tỉ lệ theo xã\/phường/ }).first()).toBeVisible();
  await expect(page.getByRole("table").first()).toBeVisible();
  await expectNoA11yViolations(page);
  await page.goto("/bao-cao?sap-xep=ten");
  const names = (await page.getByRole("table").first().getByRole("rowheader").allTextContents()).map((n) => n.replace(/^(Xã|Phường) /, ""));
  expect(names.length).toBeGreaterThan(10);
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "vi")));

  await page.goto("/thong-ke");
  await expectNoA11yViolations(page);
  const html = await page.content();
  expect(html).toContain("Người trưởng thành có kỹ năng số cơ bản");
  // Agencies with under 10 officials are not shown on the public page.
  await expect(page.getByText(/đơn vị có dưới 10 người không được hiển thị riêng/).first()).toBeVisible();
});
