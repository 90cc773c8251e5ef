import { expect, test, type Locator, type Page } from "@playwright/test";
import { logIn, signUpCitizen, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";

// Screenshot comparison of the main page types at 360 px and on desktop (issue 18, "checks that would have caught
// these"), so a layout change shows up in review as a changed picture. Baselines live next to this file
// (screenshots.spec.ts-snapshots/, one per page and screen size) and are made in Debian's chromium on this machine:
//   E2E_PORT=… npx playwright test test/e2e/screenshots.spec.ts --update-snapshots
// Deterministic by construction: fixed content and demo data, a past report period (2025) that no test changes,
// fresh accounts and classes with fixed names, animations off, and whatever changes by itself (dates, codes,
// generated usernames, counts that other tests move) masked. The tolerance absorbs anti-aliasing only.

const COURSE = course("dich-vu-cong-truc-tuyen");
const TOLERANCE = { maxDiffPixelRatio: 0.01, animations: "disabled", caret: "hide" } as const;

async function compare(page: Page, name: string, mask: Locator[] = [], fullPage = true) {
  await page.evaluate(() => document.fonts.ready);
  // Two identical shots in a row make a stable picture; a long page on a busy 2-core machine needs more than 5 s.
  await expect(page).toHaveScreenshot(`${name}.png`, { ...TOLERANCE, fullPage, mask, timeout: 30_000 });
}

test("pages anyone can open: home, course, lesson, quiz", async ({ page }) => {
  await page.goto("/");
  await compare(page, "home", [page.locator(".stat-grid, [data-changes]")]);
  await page.goto(`/khoa-hoc/${COURSE.slug}`);
  await compare(page, "course");
  await page.goto(`/khoa-hoc/${COURSE.slug}/${COURSE.lessons[0].slug}`);
  await compare(page, "lesson");
  await page.goto(`/khoa-hoc/${COURSE.slug}/kiem-tra`);
  // The draw of questions differs per visitor (decision 009): the page's frame is compared, not the questions.
  await compare(page, "quiz", [page.locator("fieldset.question")]);
});

test("a new learner's dashboard", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername("anh"), fullName: "Ảnh Chụp Thị Mẫu" });
  await page.goto("/ca-nhan");
  await compare(page, "dashboard", [page.getByText(/Tên đăng nhập/)]);
});

test("a trainer's new class", async ({ page }) => {
  await logIn(page, "demo-taphuan");
  await page.goto("/lop-hoc");
  await page.getByLabel("Tên lớp").fill("Lớp ảnh chụp mẫu");
  await page.getByLabel("Xã/phường").selectOption("25486");
  await page.getByRole("checkbox", { name: COURSE.title }).check();
  await page.getByRole("button", { name: "Tạo lớp" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lớp ảnh chụp mẫu");
  await compare(page, "cohort", [page.locator(".join-code"), page.locator("h1 + p + p + p.muted, p.muted").first()]);
});

test("the province report for a past year", async ({ page }) => {
  await logIn(page, "demo-quantri");
  await page.goto("/bao-cao?ky=2025");
  // The first screen (summary, trend and the communes chart's start): the page below is 96 communes of tables.
  await compare(page, "report", [page.locator(".deadline, [role=status]")], false);
  // And the first indicator's charts: the 12-month trend and the communes (on a phone, the lowest and highest ten).
  const charts = page.locator("main section").first().locator("figure.chart");
  await expect(charts.nth(0)).toHaveScreenshot("report-trend.png", { ...TOLERANCE, timeout: 30_000 });
  await expect(charts.nth(1)).toHaveScreenshot("report-communes.png", { ...TOLERANCE, timeout: 30_000 });
});
