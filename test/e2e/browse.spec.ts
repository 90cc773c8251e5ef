import { expect, test } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";

// A citizen finds a course and reads it; the same journey with JavaScript disabled.
for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("catalogue → course → lesson → next lesson → quiz", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Học kỹ năng số");
      await page.getByRole("link", { name: /Xem \d+ khóa học/ }).click();
      await expect(page).toHaveURL(/\/khoa-hoc$/);
      await expect(page.getByRole("heading", { level: 1, name: "Khóa học" })).toBeVisible();

      await page.getByRole("link", { name: "Dịch vụ công trực tuyến" }).first().click();
      await expect(page).toHaveURL(/\/khoa-hoc\/dich-vu-cong-truc-tuyen$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dịch vụ công trực tuyến");
      await expect(page.getByText(/5 bài học/).first()).toBeVisible();

      await page.getByRole("link", { name: "Bắt đầu học bài 1" }).click();
      await expect(page).toHaveURL(/\/khoa-hoc\/dich-vu-cong-truc-tuyen\/dich-vu-cong-truc-tuyen-la-gi$/);
      await expect(page.getByText("Bài 1/5")).toBeVisible();
      const firstTitle = await page.getByRole("heading", { level: 1 }).textContent();

      await page.getByRole("link", { name: /Bài tiếp theo/ }).click();
      await expect(page).toHaveURL(/\/khoa-hoc\/dich-vu-cong-truc-tuyen\/dang-nhap-bang-vneid$/);
      await expect(page.getByText("Bài 2/5")).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(firstTitle ?? "");
      await page.getByRole("link", { name: /Bài trước/ }).click();
      await expect(page.getByText("Bài 1/5")).toBeVisible();

      await page.goto("/khoa-hoc/dich-vu-cong-truc-tuyen/nop-phi-va-tim-tro-giup");
      await page.getByRole("link", { name: /Bước cuối/ }).click();
      await expect(page).toHaveURL(/\/kiem-tra$/);
      await expect(page.getByRole("group").first()).toBeVisible();
    });

    test("search ignores diacritics", async ({ page }) => {
      await page.goto("/tim-kiem");
      await page.getByLabel("Bạn muốn học về điều gì?").fill("dich vu cong");
      await page.getByRole("button", { name: "Tìm" }).click();
      await expect(page).toHaveURL(/q=dich\+vu\+cong/);
      await expect(page.getByRole("status")).toContainText("Tìm thấy");
      await expect(page.getByRole("link", { name: "Dịch vụ công trực tuyến" }).first()).toBeVisible();

      await page.goto("/tim-kiem?q=lua%20dao");
      await expect(page.getByRole("link", { name: /Nhận biết lừa đảo trực tuyến/ }).first()).toBeVisible();
    });

    test("catalogue filters by audience and competence domain", async ({ page }) => {
      await page.goto("/khoa-hoc");
      await page.getByLabel("Dành cho").selectOption("can-bo");
      await page.getByRole("button", { name: "Lọc khóa học" }).click();
      await expect(page).toHaveURL(/doi-tuong=can-bo/);
      await expect(page.getByRole("link", { name: "Chữ ký số và văn bản điện tử" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Thanh toán không dùng tiền mặt và mã QR" })).toHaveCount(0);

      await page.getByLabel("Dành cho").selectOption("");
      await page.getByLabel("Miền năng lực số").selectOption("6");
      await page.getByRole("button", { name: "Lọc khóa học" }).click();
      await expect(page.getByRole("link", { name: "Trí tuệ nhân tạo (AI) trong đời sống" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Dịch vụ công trực tuyến" })).toHaveCount(0);
    });
  });
}

test("reading pages ship no JavaScript but the site's one small script (decision 025)", async ({ page }) => {
  const scripts = new Set<string>();
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname);
  });
  for (const url of ["/", "/khoa-hoc", "/khoa-hoc/dich-vu-cong-truc-tuyen", "/khoa-hoc/dich-vu-cong-truc-tuyen/dang-nhap-bang-vneid"]) {
    await page.goto(url);
  }
  expect([...scripts]).toEqual(["/app/doc.js"]);
});

test("unknown pages get a Vietnamese 404", async ({ page }) => {
  for (const url of ["/khong-co-trang-nay", "/khoa-hoc/khong-co", "/khoa-hoc/dich-vu-cong-truc-tuyen/khong-co"]) {
    const response = await page.goto(url);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await expect(page.getByRole("link", { name: "Xem danh sách khóa học" })).toBeVisible();
  }
});

test("a bad filter value gets a clear 400, not an error page", async ({ page }) => {
  const response = await page.goto("/khoa-hoc?mien=9");
  expect(response?.status()).toBe(400);
  await expect(page.getByText("Miền năng lực không hợp lệ")).toBeVisible();
});

test("quiz page never contains the correct answers or explanations", async ({ page, request }) => {
  const html = await (await request.get("/khoa-hoc/dich-vu-cong-truc-tuyen/kiem-tra")).text();
  expect(html).not.toContain('"correct"');
  expect(html).not.toContain("explanationHtml");
  await page.goto("/khoa-hoc/dich-vu-cong-truc-tuyen/kiem-tra");
  await expect(page.getByRole("group").first()).toBeVisible();
});

test.describe("accessibility (axe-core) on every page type", () => {
  const pages = {
    home: "/",
    catalogue: "/khoa-hoc",
    "catalogue filtered": "/khoa-hoc?doi-tuong=nguoi-dan&mien=4",
    course: "/khoa-hoc/nhan-biet-lua-dao-truc-tuyen",
    lesson: "/khoa-hoc/nhan-biet-lua-dao-truc-tuyen/dau-hieu-lua-dao",
    quiz: "/khoa-hoc/nhan-biet-lua-dao-truc-tuyen/kiem-tra",
    framework: "/nang-luc-so",
    search: "/tim-kiem?q=ma%20qr",
    "not found": "/khong-co-trang-nay",
  };
  for (const [name, url] of Object.entries(pages)) {
    test(name, async ({ page }) => {
      await page.goto(url);
      await expectNoA11yViolations(page);
      // Nothing may force sideways scrolling on a 360 px phone.
      const width = page.viewportSize()?.width ?? 0;
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
});
