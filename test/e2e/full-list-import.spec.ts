import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn } from "./support/accounts";
import { queryAll } from "./support/database";

// Issue 17, part 5, as the administrator meets it: a roster declared a full list is previewed (who will be
// marked as left), can be cancelled, and on confirmation the agency's officials' denominator goes down by
// exactly the people the preview named. Without JavaScript: plain forms only.

test.use({ javaScriptEnabled: false });

const HEADER = "personnel_code,full_name,birth_year,agency_code,commune_code,status";

async function upload(page: Page, name: string, text: string, fullList: boolean) {
  await page.goto("/quan-tri/nhap-du-lieu");
  await page.locator('input[name="kind"][value="roster"]').check();
  await page.getByLabel(/Tệp CSV/).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
  if (fullList) await page.getByRole("checkbox", { name: /Đây là danh sách đầy đủ/ }).check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/quan-tri/nhap-du-lieu")),
    page.getByRole("button", { name: "Nhập", exact: true }).click(),
  ]);
  return response;
}

async function officialsOf(page: Page, agency: string) {
  await page.goto(`/bao-cao/co-quan/${agency}?ky=${new Date().getFullYear()}`);
  return page.getByRole("region", { name: /Cán bộ, công chức/ });
}

test("a full list: preview names who will leave, cancel changes nothing, confirm lowers the denominator by exactly them", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const suffix = Date.now().toString(36).toUpperCase();
  const agency = `FL-${suffix}`;
  const agencyName = `Ban Danh Sách ${suffix}`;
  await logIn(page, "demo-quantri");
  await page.goto("/quan-tri/to-chuc");
  await page.getByLabel("Mã cơ quan").fill(agency);
  await page.getByLabel("Tên cơ quan").fill(agencyName);
  await page.getByRole("button", { name: "Lưu cơ quan" }).click();
  await expect(page.getByRole("status")).toContainText(`Đã lưu cơ quan ${agency}`);

  // Five active officials and one who already left: the denominator is 5.
  const people = [
    [`${agency}-1`, "Lê Văn Một", 1980, "active"],
    [`${agency}-2`, "Lê Thị Hai", 1981, "active"],
    [`${agency}-3`, "Lê Văn Ba", 1982, "active"],
    [`${agency}-4`, "Lê Thị Bốn", 1983, "active"],
    [`${agency}-5`, "Lê Văn Năm", 1984, "active"],
    [`${agency}-6`, "Lê Thị Sáu", 1985, "left"],
  ] as const;
  const line = ([code, name, year, status]: (typeof people)[number]) => `${code},${name},${year},${agency},,${status}`;
  await upload(page, "dau-nam.csv", [HEADER, ...people.map(line)].join("\n"), false);
  await expect(page.getByRole("status")).toContainText("Đã nhập 6 dòng, 6 dòng thay đổi");
  await expect(await officialsOf(page, agency)).toContainText("0 / 5");

  // The new full list keeps 1, 3 and 5: 2 (Hai) and 4 (Bốn) are absent; 6 has left already and is not listed.
  const full = [HEADER, line(people[0]), line(people[2]), line(people[4])].join("\n");
  const expectedLeaving = 2; // by hand: 5 active − 3 listed
  const response = await upload(page, "day-du.csv", full, true);
  expect(response.status()).toBe(200);
  const preview = page.getByRole("table", { name: /Những người sẽ được ghi là đã nghỉ/ });
  await expect(preview.getByRole("row")).toHaveCount(1 + expectedLeaving);
  await expect(preview.getByRole("row", { name: /Lê Thị Hai/ })).toContainText(`${agency}-2`);
  await expect(preview.getByRole("row", { name: /Lê Thị Hai/ })).toContainText(agencyName);
  await expect(preview.getByRole("row", { name: /Lê Thị Bốn/ })).toContainText(`${agency}-4`);
  await expect(preview).not.toContainText("Lê Văn Một");
  await expect(preview).not.toContainText("Lê Thị Sáu");
  await expect(page.getByRole("heading", { name: /Xem trước danh sách đầy đủ/ })).toBeVisible();
  await expect(page.getByText(/Tệp có 3 cán bộ\. Chưa có gì được lưu\./)).toBeVisible();
  for (const button of [page.getByRole("button", { name: /Xác nhận nhập/ }), page.getByRole("button", { name: "Huỷ, không nhập" })]) {
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
  // Nothing written yet.
  await expect(await officialsOf(page, agency)).toContainText("0 / 5");

  // The same preview with JavaScript (axe needs it), then cancel: still 5.
  const withScript = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize(), storageState: await page.context().storageState() });
  const scripted = await withScript.newPage();
  await upload(scripted, "day-du.csv", full, true);
  await expect(scripted.getByRole("table", { name: /Những người sẽ được ghi là đã nghỉ/ }).getByRole("row")).toHaveCount(1 + expectedLeaving);
  await expectNoA11yViolations(scripted);
  await scripted.getByRole("button", { name: "Huỷ, không nhập" }).click();
  await expect(scripted.getByRole("status")).toContainText("Đã huỷ. Danh sách cán bộ không thay đổi.");
  await withScript.close();
  await expect(await officialsOf(page, agency)).toContainText("0 / 5");

  // Confirm: 5 − 2 = 3, and the two are marked as left from today in the roster.
  await upload(page, "day-du.csv", full, true);
  const pendingId = await page.locator('input[name="pendingId"]').first().inputValue();
  await page.getByRole("button", { name: `Xác nhận nhập và ghi ${expectedLeaving} người đã nghỉ` }).click();
  await expect(page.getByRole("status")).toContainText(`${expectedLeaving} người được ghi là đã nghỉ`);
  await expect(await officialsOf(page, agency)).toContainText(`0 / ${5 - expectedLeaving}`);
  await expect(page.getByRole("table")).not.toContainText("Lê Thị Hai");
  const statuses = queryAll<{ personnel_code: string; status: string }>(
    "select personnel_code, status from roster_official where agency_code = ? order by personnel_code",
    agency,
  );
  expect(statuses.map((s) => `${s.personnel_code.slice(agency.length + 1)}:${s.status}`)).toEqual([
    "1:active",
    "2:left",
    "3:active",
    "4:left",
    "5:active",
    "6:left",
  ]);

  // The same confirmation sent again (a double click, a resent form): refused in plain words, nothing applied twice.
  const again = await page.request.post("/quan-tri/nhap-du-lieu", { form: { intent: "confirm", pendingId }, headers: { Origin: baseURL! } });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain("đã được xác nhận hoặc huỷ rồi");
  await expect(await officialsOf(page, agency)).toContainText(`0 / ${5 - expectedLeaving}`);
});

test("a full list only for the officials' roster; the choice is refused with population figures", async ({ page }) => {
  await logIn(page, "demo-quantri");
  await page.goto("/quan-tri/nhap-du-lieu");
  await page.locator('input[name="kind"][value="population"]').check();
  await page
    .getByLabel(/Tệp CSV/)
    .setInputFiles({ name: "dan-so.csv", mimeType: "text/csv", buffer: Buffer.from("commune_code,year,adult_population\n25459,2026,100\n", "utf8") });
  await page.getByRole("checkbox", { name: /Đây là danh sách đầy đủ/ }).check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/quan-tri/nhap-du-lieu")),
    page.getByRole("button", { name: "Nhập", exact: true }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Chỉ danh sách cán bộ mới có thể là danh sách đầy đủ");
});
