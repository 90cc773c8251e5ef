import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn, signUpCitizen, uniqueName, uniqueUsername } from "./support/accounts";

// Practice tasks and the third indicator (decision 021): a learner's self-reported task and a trainer's in-person
// confirmation each move "adults using digital services" by exactly one — in the commune page, the CSV and the
// JSON API alike — and the confirmed-only row moves only with the confirmation.

const ANY = "adults-using-digital-services";
const CONFIRMED = "adults-using-digital-services-confirmed";
const NAMES: Record<string, string> = {
  [ANY]: "Người trưởng thành sử dụng dịch vụ số (y tế, giáo dục, bảo hiểm, giao thông)",
  [CONFIRMED]: "Sử dụng dịch vụ số — được người hướng dẫn xác nhận trực tiếp",
};
const COMMUNE = "25459"; // Phường Tân Ninh: where signUpCitizen puts people
const COURSE = "/khoa-hoc/dich-vu-so-y-te";
const TASK = "Mở thẻ bảo hiểm y tế trên VNeID và xem hạn sử dụng";

type Numerators = { page: number; csv: number; api: number };

/** The commune's numerator for an indicator, read three ways by an administrator. */
async function numerators(admin: Page, token: string, id: string): Promise<Numerators> {
  const year = new Date().getFullYear();
  await admin.goto(`/bao-cao/xa/${COMMUNE}?ky=${year}`);
  const strong = await admin.getByRole("region", { name: NAMES[id], exact: true }).locator("p strong").first().textContent();
  const csv = await (await admin.request.get(`/bao-cao/tai-ve.csv?ky=${year}&xa=${COMMUNE}&dang=may`)).text();
  const row = csv
    .split("\r\n")
    .find((l) => l.startsWith(`${id},commune,${COMMUNE},`))!
    .split(",");
  const api = await (await admin.request.get(`/api/v1/indicators?period=${year}&commune=${COMMUNE}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const indicator = api.indicators.find((i: { id: string }) => i.id === id);
  return { page: Number(strong!.replace(/\D/g, "")), csv: Number(row[4]), api: indicator.communes[0].numerator };
}

function plus(n: Numerators, by: number): Numerators {
  return { page: n.page + by, csv: n.csv + by, api: n.api + by };
}

test("a self-reported task and a trainer's confirmation each move the third indicator by one in page, CSV and API", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await logIn(page, "demo-quantri");
  await page.goto("/quan-tri/api");
  await page.getByLabel("Tên (ai dùng mã này)").fill("Kiểm thử dịch vụ số");
  await page.getByRole("button", { name: "Tạo mã mới" }).click();
  const token = (await page.getByRole("status").locator("code").textContent())!.trim();
  const start = { any: await numerators(page, token, ANY), confirmed: await numerators(page, token, CONFIRMED) };
  expect(start.any.csv).toBe(start.any.page);
  expect(start.any.api).toBe(start.any.page);

  // A learner answers the self-check question: wrong first (nothing recorded), then right.
  const lan = await browser.newContext();
  const learner = await lan.newPage();
  await signUpCitizen(learner, { username: uniqueUsername("dvs"), fullName: uniqueName("Lê Thị Lan") });
  await learner.goto(COURSE);
  await expect(learner.getByRole("heading", { name: "Căn cứ" })).toBeVisible();
  const task = learner.locator("li.task", { has: learner.getByRole("heading", { name: TASK }) });
  await task.getByRole("radio", { name: "Ngày cài đặt ứng dụng VNeID" }).check();
  await task.getByRole("button", { name: "Tôi đã làm xong nhiệm vụ này" }).click();
  await expect(learner.getByRole("alert")).toContainText("Câu trả lời chưa đúng");
  expect(await numerators(page, token, ANY)).toEqual(start.any);
  await learner.goto(COURSE);
  await task.getByRole("radio", { name: "Thời hạn sử dụng ghi trên thẻ" }).check();
  await task.getByRole("button", { name: "Tôi đã làm xong nhiệm vụ này" }).click();
  await expect(learner.getByRole("status").filter({ hasText: "Đã ghi nhận" })).toContainText(`Đã ghi nhận: ${TASK}`);
  await expect(task).toContainText("Bạn đã báo làm xong ngày");
  await expectNoA11yViolations(learner);
  await lan.close();

  expect(await numerators(page, token, ANY)).toEqual(plus(start.any, 1));
  expect(await numerators(page, token, CONFIRMED)).toEqual(start.confirmed);

  // Another learner joins the demo trainer's cohort; the trainer confirms a task seen in person.
  const binhName = uniqueName("Trần Văn Bình");
  const binh = await browser.newContext();
  const other = await binh.newPage();
  await signUpCitizen(other, { username: uniqueUsername("dvs"), fullName: binhName });
  await other.goto("/tham-gia?ma=MAU234");
  await other.getByRole("button", { name: "Tham gia" }).click();
  await expect(other.getByRole("status")).toContainText("Bạn đã tham gia lớp");
  await binh.close();
  // Joining a cohort is not using a service: only the confirmation below may move the count.
  expect(await numerators(page, token, ANY)).toEqual(plus(start.any, 1));
  expect(await numerators(page, token, CONFIRMED)).toEqual(start.confirmed);

  const trainerContext = await browser.newContext();
  const trainer = await trainerContext.newPage();
  await logIn(trainer, "demo-taphuan");
  await trainer.goto("/lop-hoc");
  await trainer
    .getByRole("link", { name: /Lớp mẫu ấp Thạnh Tây/ })
    .first()
    .click();
  await trainer.getByRole("link", { name: binhName }).first().click();
  await trainer.locator("details", { hasText: "Dịch vụ số trong khám chữa bệnh" }).locator("summary").click();
  await trainer.getByRole("button", { name: `Xác nhận: ${TASK}` }).click();
  await expect(trainer.getByRole("status")).toContainText("Đã ghi nhận xác nhận của bạn");
  await expect(trainer.locator("details", { hasText: "Dịch vụ số trong khám chữa bệnh" })).toContainText("đã xác nhận ngày");
  await expectNoA11yViolations(trainer);
  await trainerContext.close();

  expect(await numerators(page, token, ANY)).toEqual(plus(start.any, 2));
  expect(await numerators(page, token, CONFIRMED)).toEqual(plus(start.confirmed, 1));
});

test("the catalogue filters by sector without JavaScript, and a bad sector is a clear 400", async ({ page }) => {
  await page.goto("/khoa-hoc?linh-vuc=giao-thong");
  await expect(page.getByRole("status")).toHaveText("Có 1 khóa học.");
  await expect(page.getByRole("link", { name: "Giao thông và dịch vụ số" })).toBeVisible();
  await page.getByLabel("Lĩnh vực").selectOption("y-te");
  await page.getByRole("button", { name: "Lọc khóa học" }).click();
  await expect(page.getByRole("link", { name: "Dịch vụ số trong khám chữa bệnh" })).toBeVisible();
  await expectNoA11yViolations(page);
  const bad = await page.request.get("/khoa-hoc?linh-vuc=khong-co");
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("Lĩnh vực không hợp lệ");
});
