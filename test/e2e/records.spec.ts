import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn, signUpCitizen, uniqueName, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";
import { queryOne } from "./support/database";
import { passCourse } from "./support/learning";

// Issue 20, Done when: a downloaded credential is authentic on the public upload page and is not after one
// byte changes; once an administrator revokes it, the code page and the upload page both say it is revoked.
// Everything as the people involved see it: the learner, a stranger checking the file, the administrator.

const COURSE = course("nhan-biet-lua-dao-truc-tuyen");

/** A stranger (no account) opens the upload page and checks the credential `text` as a .jwt file. */
async function checkFile(browser: Browser, text: string): Promise<{ page: Page; status: number; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/chung-chi/kiem-tra-tep");
  await page.getByLabel("Tệp chứng nhận").setInputFiles({ name: "chung-chi.jwt", mimeType: "application/jwt", buffer: Buffer.from(text) });
  const response = page.waitForResponse((r) => r.url().includes("/chung-chi/kiem-tra-tep") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  const status = (await response).status();
  return { page, status, close: () => context.close() };
}

/** The credential with one character of its payload changed (the signature left as it was). */
function oneByteChanged(jwt: string): string {
  const [header, payload, signature] = jwt.trim().split(".");
  const at = Math.floor(payload.length / 2);
  return [header, payload.slice(0, at) + (payload[at] === "A" ? "B" : "A") + payload.slice(at + 1), signature].join(".");
}

test("a downloaded credential is authentic, a changed one is not, and a revoked one shows as revoked everywhere", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const fullName = uniqueName("Lê Thị");
  await signUpCitizen(page, { username: uniqueUsername("cc"), fullName });
  await passCourse(page, COURSE);
  await page.getByRole("link", { name: "Xem chứng nhận của bạn" }).click();
  const code = (await page.getByRole("region", { name: "Chứng nhận hoàn thành khóa học" }).locator(".code").textContent())!.trim();

  // The learner downloads the signed file and sends it to whoever needs it.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Tải chứng nhận điện tử/ }).click()]);
  const jwt = readFileSync((await download.path())!, "utf8");

  const authentic = await checkFile(browser, jwt);
  expect(authentic.status).toBe(200);
  const verdict = authentic.page.getByRole("status");
  await expect(verdict).toContainText("Chứng nhận thật, còn giá trị");
  await expect(verdict).toContainText(fullName);
  await expect(verdict).toContainText(COURSE.title);
  await expect(verdict).toContainText(code);
  await expectNoA11yViolations(authentic.page);
  await authentic.close();

  const changed = await checkFile(browser, oneByteChanged(jwt));
  expect(changed.status).toBe(422);
  await expect(changed.page.getByRole("alert")).toContainText("Không công nhận");
  await expect(changed.page.getByText(fullName)).toHaveCount(0);
  await changed.close();

  // The administrator revokes it, with a reason.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "demo-quantri");
  await admin.goto("/quan-tri/chung-chi");
  await admin.getByLabel("Mã chứng nhận").fill(code);
  await admin.getByLabel("Lý do thu hồi").fill("Cấp nhầm người, kiểm tra lại hồ sơ.");
  await admin.getByRole("button", { name: "Thu hồi" }).click();
  await expect(admin.getByRole("status")).toHaveText(`Đã thu hồi chứng nhận ${code}.`);
  await expect(admin.getByRole("listitem").filter({ hasText: code })).toContainText("Cấp nhầm người, kiểm tra lại hồ sơ.");
  await adminContext.close();
  expect(queryOne<{ reason: string }>("select reason from certificate_revocation where code = ?", code.replace("-", ""))?.reason).toBe(
    "Cấp nhầm người, kiểm tra lại hồ sơ.",
  );

  // A stranger checking by the printed code, then by the file: revoked, in plain words.
  const stranger = await browser.newContext();
  const byCode = await stranger.newPage();
  await byCode.goto(`/chung-chi/${code.replace("-", "")}`);
  await expect(byCode.getByRole("alert")).toContainText("Chứng nhận đã bị thu hồi");
  await expect(byCode.getByRole("status")).toHaveCount(0); // no "valid" notice beside it
  await expectNoA11yViolations(byCode);
  await stranger.close();

  const revoked = await checkFile(browser, jwt);
  await expect(revoked.page.getByRole("alert")).toContainText("Chứng nhận đã bị thu hồi");
  await expect(revoked.page.getByRole("alert")).toContainText(fullName);
  await expect(revoked.page.getByText("Chứng nhận thật, còn giá trị")).toHaveCount(0);
  await revoked.close();
});

test("a commune officer downloads the confirmation export from its page: a CSV with Vietnamese headers", async ({ page }) => {
  await logIn(page, "demo-xa");
  await page.goto("/bao-cao/xac-nhan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xuất dữ liệu xác nhận hoàn thành");
  await expectNoA11yViolations(page);
  const before = queryOne<{ n: number }>("select count(*) as n from export_download where scope = ?", "commune:25459")!.n;
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Tải về" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^xac-nhan-ky-nang-so-\d{4}-xa-25459\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.startsWith("\uFEFFChỉ tiêu,Bộ khóa học,Họ và tên,Năm sinh,Mã xã/phường")).toBe(true);
  expect(queryOne<{ n: number }>("select count(*) as n from export_download where scope = ?", "commune:25459")!.n).toBe(before + 1);
});
