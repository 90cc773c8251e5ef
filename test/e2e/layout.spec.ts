import { expect, test, type Page } from "@playwright/test";
import { logIn, signUpCitizen, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";
import { answerQuiz, completeAllLessons } from "./support/learning";
import { expectPhoneFriendlyLayout } from "./support/layout";

// Every page type, for every role, at the project's screen size (360 px and desktop): targets big enough to tap,
// no sideways scrolling, no text spilling out of its card (issue 18, "checks that would have caught these").

const COURSE = course("dich-vu-cong-truc-tuyen");

async function checkAll(page: Page, paths: string[]) {
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    await expectPhoneFriendlyLayout(page);
  }
}

test("pages anyone can open", async ({ page }) => {
  await checkAll(page, [
    "/",
    "/khoa-hoc",
    `/khoa-hoc/${COURSE.slug}`,
    `/khoa-hoc/${COURSE.slug}/${COURSE.lessons[0].slug}`,
    `/khoa-hoc/${COURSE.slug}/kiem-tra`,
    "/nang-luc-so",
    "/tim-kiem?q=m%C3%A3+QR",
    "/dang-nhap",
    "/dang-ky",
    "/chung-chi",
    "/thong-ke",
    "/quyen-rieng-tu",
  ]);
  await page.goto("/khong-co-trang-nay");
  await expectPhoneFriendlyLayout(page);
  // Forms after an error, where messages add text next to the inputs.
  await page.goto("/dang-ky");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expectPhoneFriendlyLayout(page);
});

test("a learner's pages, including a quiz result and a certificate", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpCitizen(page, { username: uniqueUsername("bc"), fullName: "Bố Cục Thị Thử" });
  await checkAll(page, ["/ca-nhan", "/ca-nhan/du-lieu", "/ca-nhan/doi-mat-khau", "/tham-gia", "/"]);
  await completeAllLessons(page, COURSE);
  await expectPhoneFriendlyLayout(page);
  await answerQuiz(page, COURSE, false);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("chưa đạt");
  await expectPhoneFriendlyLayout(page);
  await page.goto(`/khoa-hoc/${COURSE.slug}/kiem-tra`);
  await answerQuiz(page, COURSE, true);
  await expectPhoneFriendlyLayout(page);
  await page.goto("/ca-nhan");
  await expectPhoneFriendlyLayout(page);
  await page.locator(`a[href^="/ca-nhan/chung-chi/"]`).first().click();
  await expectPhoneFriendlyLayout(page);
  // Issue 18 item 6: one heading, a QR code to the public check, a print button (JavaScript is on here).
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page.getByRole("img", { name: /Mã QR mở trang kiểm tra chứng nhận: .*\/chung-chi\// })).toBeVisible();
  await expect(page.getByRole("button", { name: "In chứng nhận" })).toBeVisible();
  const code = (await page.locator(".certificate .code").textContent())!.trim();
  await checkAll(page, [`/chung-chi/${code}`]);
});

test("a trainer's pages", async ({ page }) => {
  await logIn(page, "demo-taphuan");
  await checkAll(page, ["/lop-hoc"]);
  await page
    .getByRole("link", { name: /Lớp mẫu/ })
    .first()
    .click();
  const id = /\/lop-hoc\/(\d+)/.exec(page.url())![1];
  await expectPhoneFriendlyLayout(page);
  await checkAll(page, [`/lop-hoc/${id}/buoi-hoc`, `/lop-hoc/${id}/dang-ky-ho`, `/lop-hoc/${id}/phieu`]);
  await page.goto(`/lop-hoc/${id}`);
  await page.locator(`a[href^="/lop-hoc/${id}/hoc-vien/"]`).first().click();
  await expectPhoneFriendlyLayout(page);
});

test("a commune officer's and an agency officer's reports", async ({ page }) => {
  await logIn(page, "demo-xa");
  await checkAll(page, ["/bao-cao", "/bao-cao/xa/25459"]);
  await page.context().clearCookies();
  await logIn(page, "demo-donvi");
  await checkAll(page, ["/bao-cao", "/bao-cao/co-quan/SKHCN"]);
});

test("an administrator's pages", async ({ page }) => {
  await logIn(page, "demo-quantri");
  await checkAll(page, ["/bao-cao", "/bao-cao?ky=2026", "/quan-tri", "/quan-tri/nguoi-dung", "/quan-tri/nhap-du-lieu", "/quan-tri/to-chuc", "/quan-tri/api"]);
});
