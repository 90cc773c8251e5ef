import { expect, test } from "@playwright/test";
import { signUpCitizen, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";
import { expectNoA11yViolations } from "./support/a11y";
import { answerQuiz as answer, completeAllLessons as completeLessons } from "./support/learning";

const COURSE = course("nhan-biet-lua-dao-truc-tuyen");
const completeAllLessons = (page: Parameters<typeof completeLessons>[0]) => completeLessons(page, COURSE);
const answerQuiz = (page: Parameters<typeof answer>[0], right: boolean) => answer(page, COURSE, right);

function plain(html: string) {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });
    // axe-core runs inside the page, so it can only audit when JavaScript is on.
    const audit = javaScriptEnabled ? expectNoA11yViolations : async () => {};

    test("sign up → lessons → fail quiz → lessons to review → pass → explanations → certificate → verify logged out", async ({ page, browser }) => {
      const username = uniqueUsername();
      await signUpCitizen(page, { username, fullName: "Nguyễn Thị Mười" });
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xin chào, Nguyễn Thị Mười");

      await completeAllLessons(page);
      await answerQuiz(page, false);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bạn chưa đạt lần này");
      await expect(page.getByRole("status")).toContainText(`0/${COURSE.quiz.questionsPerAttempt}`);
      // Before a pass: the lessons to read again, not the explanations that give the answers away (finding 12).
      await expect(page.getByRole("heading", { name: "Nên đọc lại các bài này" })).toBeVisible();
      const firstExplanation = plain(COURSE.quiz.questions[0].explanationHtml).slice(0, 60);
      await expect(page.getByText(firstExplanation, { exact: false })).toHaveCount(0);
      const failedAttempt = page.url();
      await audit(page);

      await page.getByRole("link", { name: "Làm lại bài kiểm tra" }).click();
      await answerQuiz(page, true);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chúc mừng, bạn đã đạt!");
      // Once passed, the earlier attempt shows each missed question with its explanation.
      await page.goto(failedAttempt);
      await expect(page.getByText(firstExplanation, { exact: false })).toBeVisible();
      await page.goBack();
      await page.getByRole("link", { name: "Xem chứng nhận của bạn" }).click();
      const certificate = page.getByRole("region", { name: "Chứng nhận hoàn thành khóa học" });
      await expect(certificate).toContainText("Nguyễn Thị Mười");
      await expect(certificate).toContainText(COURSE.title);
      await expect(certificate).toContainText("4.2");
      const code = (await certificate.locator(".code").textContent())!.trim();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      await audit(page);

      const stranger = await browser.newContext();
      const anonymous = await stranger.newPage();
      await anonymous.goto(`/chung-chi/${code.replace("-", "")}`);
      await expect(anonymous.getByRole("status")).toContainText("Chứng nhận hợp lệ");
      await expect(anonymous.getByText("Nguyễn Thị Mười")).toBeVisible();
      await expect(anonymous.getByText(username)).toHaveCount(0);
      await audit(anonymous);
      const wrong = await anonymous.goto("/chung-chi/ABCDE-23456");
      expect(wrong?.status()).toBe(404);
      await expect(anonymous.getByRole("alert")).toContainText("Không tìm thấy chứng nhận");
      await stranger.close();
    });
  });
}

test("resume on a second device", async ({ page, browser }) => {
  const username = uniqueUsername();
  await signUpCitizen(page, { username, fullName: "Trần Văn Tư" });
  await page.goto(`/khoa-hoc/${COURSE.slug}/${COURSE.lessons[0].slug}`);
  await page.getByRole("button", { name: /Tôi đã học xong bài này/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(COURSE.lessons[1].title);

  const phone = await browser.newContext();
  const second = await phone.newPage();
  await second.goto("/dang-nhap");
  await second.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
  await second.getByLabel("Mật khẩu").fill("matkhau-123");
  await second.getByRole("button", { name: "Đăng nhập" }).click();
  await second.goto("/");
  await expect(second.getByRole("heading", { name: "Học tiếp nơi bạn dừng lại" })).toBeVisible();
  await second.getByRole("link", { name: "Học tiếp" }).click();
  await expect(second.getByRole("heading", { level: 1 })).toHaveText(COURSE.lessons[1].title);
  await second.goto(`/khoa-hoc/${COURSE.slug}`);
  await expect(second.getByText("Bạn đã học 16%")).toBeVisible();
  await phone.close();
});

test("sequential course: a later lesson stays locked until the earlier ones are done", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername(), fullName: "Lê Thị Năm" });
  await page.goto(`/khoa-hoc/${COURSE.slug}/${COURSE.lessons[2].slug}`);
  await expect(page.getByText("Khóa học này học lần lượt từng bài")).toBeVisible();
  await expect(page.getByRole("button", { name: /Tôi đã học xong/ })).toHaveCount(0);
  await page.getByRole("link", { name: /Đến bài cần học/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(COURSE.lessons[0].title);
});

test("submitting the same quiz form twice records one attempt", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername(), fullName: "Phạm Văn Sáu" });
  await completeAllLessons(page);
  const key = await page.locator('input[name="idempotency_key"]').inputValue();
  const form: Record<string, string> = { idempotency_key: key };
  for (const q of COURSE.quiz.questions) form[`q-${q.id}`] = q.options[0].id;
  const origin = new URL(page.url()).origin;
  const post = () => page.request.post(`/khoa-hoc/${COURSE.slug}/kiem-tra`, { form, headers: { Origin: origin }, maxRedirects: 0 });
  const [first, second] = await Promise.all([post(), post()]);
  const third = await post();
  for (const r of [first, second, third]) expect(r.status()).toBe(302);
  expect(new Set([first, second, third].map((r) => r.headers()["location"])).size).toBe(1);
  await page.goto("/ca-nhan");
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2); // header + one attempt
});

test("the quiz page and its loader data never contain the correct answers", async ({ page, request }) => {
  await signUpCitizen(page, { username: uniqueUsername(), fullName: "Võ Thị Bảy" });
  const secrets = COURSE.quiz.questions.map((q) => plain(q.explanationHtml).slice(0, 40));
  for (const url of [`/khoa-hoc/${COURSE.slug}/kiem-tra`, `/khoa-hoc/${COURSE.slug}/kiem-tra.data`]) {
    for (const body of [await (await request.get(url)).text(), await (await page.request.get(url)).text()]) {
      expect(body).not.toMatch(/"correct"|explanationHtml/);
      for (const secret of secrets) expect(body).not.toContain(secret);
    }
  }
});

test("signed-in lesson pages come from the render cache, byte for byte as rendered, and follow each learner", async ({ browser }) => {
  const [first, second] = COURSE.lessons;
  const url = `/khoa-hoc/${COURSE.slug}/${first.slug}`;
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signUpCitizen(pageA, { username: uniqueUsername(), fullName: "Đỗ Thị Một" });
  await signUpCitizen(pageB, { username: uniqueUsername(), fullName: "Đỗ Văn Hai" });

  // The second request for the same page and the same progress is answered from the cache, identically.
  const rendered = await pageA.request.get(url, { headers: { "Accept-Encoding": "identity" } });
  const cached = await pageA.request.get(url, { headers: { "Accept-Encoding": "identity" } });
  expect(cached.headers()["x-cache"]).toBe("hit");
  expect(await cached.text()).toBe(await rendered.text());
  expect(cached.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  // Progress changes what the learner sees at once; another learner's view is untouched.
  await pageA.goto(url);
  await pageA.getByRole("button", { name: /Tôi đã học xong bài này/ }).click();
  await expect(pageA).toHaveURL(new RegExp(`/${second.slug}$`));
  await pageA.goto(url);
  await expect(pageA.getByText("✓ Bạn đã học xong bài này.")).toBeVisible();
  await pageA.reload();
  await expect(pageA.getByText("✓ Bạn đã học xong bài này.")).toBeVisible();
  await pageB.goto(url);
  await expect(pageB.getByRole("button", { name: /Tôi đã học xong bài này/ })).toBeVisible();
  // The second lesson was locked for B (sequential course) and is open for A.
  await pageB.goto(`/khoa-hoc/${COURSE.slug}/${second.slug}`);
  await expect(pageB.getByText("Hãy học xong các bài trước đã.")).toBeVisible();
  await pageA.goto(`/khoa-hoc/${COURSE.slug}/${second.slug}`);
  await expect(pageA.getByText("Hãy học xong các bài trước đã.")).toHaveCount(0);

  // After signing out, the old cookie gets the page a visitor gets, never the learner's.
  const [cookie] = (await a.cookies()).filter((c) => c.name === "hvs_session");
  await pageA.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  const afterSignOut = await pageA.request.get(url, { headers: { Cookie: `hvs_session=${cookie.value}` } });
  const html = await afterSignOut.text();
  expect(html).not.toContain("Đăng xuất");
  expect(html).not.toContain("Bạn đã học xong bài này");
  await a.close();
  await b.close();
});

test("a required course asks a draw from its bank, and after two failures in a row asks to wait until a given time", async ({ page }) => {
  const required = course("an-toan-thong-tin-noi-cong-so");
  await signUpCitizen(page, { username: uniqueUsername(), fullName: "Huỳnh Văn Tám" });
  await completeLessons(page, required);
  await expect(page.locator("fieldset.question")).toHaveCount(required.quiz.questionsPerAttempt);
  expect(required.quiz.questions.length).toBeGreaterThanOrEqual(required.quiz.questionsPerAttempt * 1.5);
  await expect(page.getByText(`chọn ngẫu nhiên từ ${required.quiz.questions.length} câu hỏi`)).toBeVisible();
  await answer(page, required, false);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bạn chưa đạt lần này");
  await page.getByRole("link", { name: "Làm lại bài kiểm tra" }).click();
  await answer(page, required, false);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bạn chưa đạt lần này");
  await expect(page.getByText(/làm lại từ \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4} \(giờ Việt Nam\)/)).toBeVisible();
  await page.goto(`/khoa-hoc/${required.slug}/kiem-tra`);
  await expect(page.getByText(/làm lại từ \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Nộp bài" })).toHaveCount(0);
});
