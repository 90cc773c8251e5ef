import { expect, test } from "@playwright/test";
import { logIn, signUpCitizen, uniqueUsername } from "./support/accounts";
import { expectNoA11yViolations } from "./support/a11y";

test("sign-up: an old pre-2025 commune name is offered the new commune", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername(), fullName: "Đỗ Văn Tám", commune: "phuong hiep ninh" });
  await expect(page.getByRole("group", { name: "Bạn ở xã/phường nào?" })).toBeVisible();
  await expect(page.getByText("Phường Tân Ninh (nay gồm cả Phường Hiệp Ninh)")).toBeVisible();
  await expectNoA11yViolations(page);
  // The only match is already chosen (issue 18 item 3): the person just confirms.
  await expect(page.getByLabel(/Phường Tân Ninh/)).toBeChecked();
  await page.getByLabel("Mật khẩu", { exact: true }).fill("matkhau-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xin chào, Đỗ Văn Tám");
});

test("sign-up: missing consent and bad fields get clear Vietnamese messages and a 400", async ({ page }) => {
  await page.goto("/dang-ky");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Tạo tài khoản" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Vui lòng sửa các mục được đánh dấu");
  await expect(page.getByText("Vui lòng nhập họ và tên.")).toBeVisible();
  await expect(page.getByText("Bạn cần đồng ý để chúng tôi lưu kết quả học tập của bạn.")).toBeVisible();
  await expectNoA11yViolations(page);
});

test("official sign-up records agency and personnel code", async ({ page }) => {
  // One account per roster entry (decision 019): each run (and each screen size) claims its own code.
  const code = `TN-${Date.now() % 1_000_000}`;
  await page.goto("/dang-ky?loai=can-bo");
  await page.getByRole("textbox", { name: "Họ và tên" }).fill("Ngô Thị Chín");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(uniqueUsername("cb"));
  await page.getByLabel("Mật khẩu", { exact: true }).fill("matkhau-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
  await page.getByRole("textbox", { name: "Năm sinh" }).fill("1990");
  await page.getByLabel("Xã/phường nơi bạn sống").fill("Tân Biên");
  await page.getByLabel("Cơ quan, đơn vị công tác").selectOption("SKHCN");
  await page.getByRole("textbox", { name: "Mã cán bộ" }).fill(code.toLowerCase());
  await page.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xin chào, Ngô Thị Chín");
  const download = await page.request.get("/ca-nhan/du-lieu/tai-ve");
  const data = await download.json();
  expect(data.person).toMatchObject({ kind: "official", agency_code: "SKHCN", personnel_code: code, commune_code: "25486" });
  expect(JSON.stringify(data)).not.toContain("password");
});

test("a stranger's wrong passwords slow the account down, but the owner's own phone still signs in", async ({ page, browser }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Bùi Văn Mười" });
  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  for (let i = 0; i < 5; i++) {
    await stranger.goto("/dang-nhap");
    await stranger.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
    await stranger.getByLabel("Mật khẩu").fill(`sai-mat-khau-${i}`);
    await stranger.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(stranger.getByRole("alert")).toContainText("chưa đúng");
  }
  await stranger.getByLabel("Mật khẩu").fill("matkhau-123");
  const [response] = await Promise.all([
    stranger.waitForResponse((r) => r.request().method() === "POST"),
    stranger.getByRole("button", { name: "Đăng nhập" }).click(),
  ]);
  expect(response.status()).toBe(429);
  await expect(stranger.getByRole("alert")).toContainText("nhập sai quá nhiều lần");
  await expect(stranger.getByRole("alert")).toContainText("thử lại sau khoảng 1 phút");
  await strangerContext.close();

  // The phone that created the account is known to it: it signs in straight away.
  const device = (await page.context().cookies()).find((c) => c.name === "hvs_device");
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await logIn(page, username, "matkhau-123");
});

test("admin resets a password; the learner must change the one-time code at next login", async ({ page, browser }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Lý Thị Quên" });
  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "demo-quantri");
  await admin.goto(`/quan-tri/nguoi-dung?q=${username}`);
  await admin.getByRole("button", { name: /Đặt lại mật khẩu/ }).click();
  const pin = (await admin.locator(".notice strong.code").textContent())!.trim();
  expect(pin).toMatch(/^\d{6}$/);
  await expectNoA11yViolations(admin);
  await adminContext.close();

  await page.goto("/dang-nhap");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(pin);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/ca-nhan\/doi-mat-khau$/);
  await page.goto("/ca-nhan");
  await expect(page).toHaveURL(/\/ca-nhan\/doi-mat-khau$/);
  await page.getByLabel(/Mã PIN/).fill(pin);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("matkhau-moi-1");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("matkhau-moi-1");
  await page.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xin chào, Lý Thị Quên");
});

test("admin grants a role; the person then reaches pages of that role", async ({ page }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Châu Văn Quyền" });
  expect((await page.request.get("/quan-tri", { maxRedirects: 0 })).status()).toBe(403);
  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  await logIn(page, "demo-quantri");
  await page.goto("/quan-tri/nguoi-dung");
  await page.getByLabel("Tên đăng nhập", { exact: true }).fill(username);
  await page.getByLabel("Vai trò").selectOption("admin");
  await page.getByRole("button", { name: "Cấp quyền" }).click();
  await expect(page.getByRole("status")).toContainText("Đã cấp quyền");
  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  await logIn(page, username, "matkhau-123");
  expect((await page.request.get("/quan-tri", { maxRedirects: 0 })).status()).toBe(200);
});

test("a learner downloads their data and deletes the account; the account is gone", async ({ page }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Hồ Thị Xóa" });
  await page.goto("/ca-nhan/du-lieu");
  await expectNoA11yViolations(page);
  const exported = await (await page.request.get("/ca-nhan/du-lieu/tai-ve")).json();
  expect(exported.person).toMatchObject({ username, full_name: "Hồ Thị Xóa", commune_code: "25459" });
  expect(exported.person.consent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  await page.getByLabel("Nhập mật khẩu để xác nhận").fill("matkhau-123");
  await page.getByRole("checkbox", { name: /xóa vĩnh viễn/ }).check();
  await page.getByRole("button", { name: "Xóa tài khoản của tôi" }).click();
  await expect(page.getByRole("status")).toContainText("Tài khoản và dữ liệu của bạn đã được xóa.");
  await page.goto("/dang-nhap");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill("matkhau-123");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toContainText("chưa đúng");
});

test("sign out everywhere ends the session on the other device", async ({ page, browser }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Tôn Văn Xuất" });
  const other = await browser.newContext();
  const second = await other.newPage();
  await logIn(second, username, "matkhau-123");
  await page.goto("/ca-nhan");
  await page.getByRole("button", { name: "Đăng xuất trên mọi thiết bị" }).click();
  await second.goto("/ca-nhan");
  await expect(second).toHaveURL(/\/dang-nhap/);
  await other.close();
});
