import { expect, test, type Page } from "@playwright/test";
import { queryOne } from "./support/database";
import { expectPhoneFriendlyLayout } from "./support/layout";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn, signUpCitizen, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";

// Issue 18: the seams people stumbled on, walked as they would, with JavaScript on and off.

const COURSE = course("dien-thoai-thong-minh-an-toan");

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("a visitor's reading and quiz answers come into the account made afterwards", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto(`/khoa-hoc/${COURSE.slug}`);
      await expect(page.locator(".visitor-notice")).toContainText("đăng ký miễn phí");
      await page.getByRole("link", { name: "Bắt đầu học bài 1" }).click();
      for (const lesson of COURSE.lessons) {
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
        await page.getByRole("button", { name: /Tôi đã học xong bài này/ }).click();
      }
      await expect(page).toHaveURL(new RegExp(`/khoa-hoc/${COURSE.slug}/kiem-tra$`));
      const first = COURSE.quiz.questions[0];
      await page.locator(`input[name="q-${first.id}"][value="${first.correct[0]}"]`).check();
      await page.getByRole("button", { name: "Giữ câu trả lời và đăng ký để nộp bài" }).click();
      await expect(page).toHaveURL(/\/dang-ky\?/);
      await expect(page.getByRole("status")).toContainText("Câu trả lời của bạn đã được giữ");

      await signUpCitizenHere(page);
      // Back on the quiz, unlocked (the lessons came along) and with the answer filled in.
      await expect(page).toHaveURL(new RegExp(`/khoa-hoc/${COURSE.slug}/kiem-tra$`));
      await expect(page.getByRole("status")).toContainText("1 câu bạn đã trả lời trước khi đăng ký");
      await expect(page.locator(`input[name="q-${first.id}"][value="${first.correct[0]}"]`)).toBeChecked();
      await expect(page.getByRole("button", { name: "Nộp bài" })).toBeVisible();
      await page.goto(`/khoa-hoc/${COURSE.slug}`);
      await expect(page.locator('.lesson-list [aria-label="Đã học xong"]')).toHaveCount(COURSE.lessons.length);
    });

    test("sign-up after an error: what was valid is kept, and the password boxes say to type again when empty", async ({ page }) => {
      await page.goto("/dang-ky");
      const username = uniqueUsername("gl");
      await page.getByRole("textbox", { name: "Họ và tên" }).fill("Giữ Lại Văn Đủ");
      await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
      await page.getByLabel("Mật khẩu", { exact: true }).fill("matkhau-123");
      await page.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
      await page.getByRole("textbox", { name: "Năm sinh" }).fill("19"); // the mistake
      await page.getByLabel("Xã/phường nơi bạn sống").fill("Tân Biên");
      await page.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Tạo tài khoản" }).click(),
      ]);
      expect(response.status()).toBe(400);
      await expect(page.getByRole("alert")).toContainText("Vui lòng sửa các mục được đánh dấu");
      await expect(page.getByRole("textbox", { name: "Họ và tên" })).toHaveValue("Giữ Lại Văn Đủ");
      await expect(page.getByLabel("Số điện thoại hoặc tên đăng nhập")).toHaveValue(username);
      await expect(page.getByLabel("Xã/phường nơi bạn sống")).toHaveValue("Tân Biên");
      await expect(page.getByRole("checkbox", { name: /Tôi đồng ý/ })).toBeChecked();
      // The typed password never comes back in the page (decision 027): the boxes are empty and each says so.
      const password = page.getByLabel("Mật khẩu", { exact: true });
      await expect(password).toHaveValue("");
      await expect(page.getByText("Vì an toàn, mật khẩu không được giữ lại: hãy nhập lại mật khẩu.")).toHaveCount(2);
      await expect(password).toHaveAccessibleDescription(/hãy nhập lại mật khẩu/);
      await password.fill("matkhau-123");
      await page.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
      expect(await page.content()).not.toContain("matkhau-123");
      await expectPhoneFriendlyLayout(page);
      await page.getByRole("textbox", { name: "Năm sinh" }).fill("1958");
      await page.getByRole("button", { name: "Tạo tài khoản" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xin chào, Giữ Lại Văn Đủ");
    });

    test("sessions: quick add shows who will be added and asks to confirm; an unknown name saves nothing", async ({ page, browser }) => {
      test.setTimeout(90_000);
      const learner = await browser.newContext();
      const learnerName = uniqueUsername("bh");
      await signUpCitizen(await learner.newPage(), { username: learnerName, fullName: "Buổi Học Thị Mời" });
      await learner.close();
      await logIn(page, "demo-taphuan");
      const id = await createCohort(page, `Lớp buổi học ${Date.now()}`);
      await page.goto(`/lop-hoc/${id}/buoi-hoc`);
      await page.getByLabel("Nơi học").fill("Nhà văn hóa ấp 2");
      await page.getByLabel("Nội dung").fill("Cài VNeID");
      await page.getByLabel("Thêm nhanh người chưa có trong lớp").fill(`${learnerName}, khong-co-ai-ca`);
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Ghi buổi học" }).click(),
      ]);
      expect(refused.status()).toBe(400);
      await expect(
        page.getByText("Không tìm thấy tài khoản: khong-co-ai-ca. Hãy kiểm tra lại tên đăng nhập, hoặc xóa khỏi ô này. Buổi học chưa được ghi."),
      ).toBeVisible();
      await expect(page.getByLabel("Nơi học")).toHaveValue("Nhà văn hóa ấp 2"); // nothing to retype
      await expect(page.getByRole("heading", { name: "Các buổi đã ghi (0)" })).toBeVisible();
      expect(Number(queryOne<{ n: number }>("SELECT COUNT(*) AS n FROM training_session WHERE cohort_id = ?", Number(id))!.n)).toBe(0);

      await page.getByLabel("Thêm nhanh người chưa có trong lớp").fill(learnerName);
      await page.getByRole("button", { name: "Ghi buổi học" }).click();
      const review = page.getByRole("status").filter({ hasText: "Xem lại trước khi ghi" });
      await expect(review).toContainText(`Buổi Học Thị Mời (${learnerName}): nhận lời mời vào lớp`);
      await expect(page.getByRole("heading", { name: "Các buổi đã ghi (0)" })).toBeVisible(); // still nothing saved
      await expectPhoneFriendlyLayout(page);
      await page.getByRole("button", { name: "Xác nhận và ghi buổi học" }).click();
      await expect(page.getByRole("status")).toContainText("Đã ghi buổi học với 0 người tham dự. Đã gửi lời mời vào lớp tới: Buổi Học Thị Mời.");

      // A second session the same day: the lists tell them apart by topic and the time each was written down.
      await page.getByLabel("Nơi học").fill("Nhà văn hóa ấp 2");
      await page.getByLabel("Nội dung").fill("Nộp hồ sơ trực tuyến");
      await page.getByRole("button", { name: "Ghi buổi học" }).click();
      await expect(page.getByRole("heading", { name: "Các buổi đã ghi (2)" })).toBeVisible();
      const day = /\d{2}\/\d{2}\/\d{4} — /;
      for (const topic of ["Cài VNeID", "Nộp hồ sơ trực tuyến"]) {
        await expect(page.getByText(new RegExp(`${day.source}${topic} tại Nhà văn hóa ấp 2 \\(ghi lúc \\d{2}:\\d{2}\\)`))).toBeVisible();
      }
      await page.goto(`/lop-hoc/${id}`);
      await expect(page.getByText(/Nộp hồ sơ trực tuyến tại Nhà văn hóa ấp 2 \(ghi lúc \d{2}:\d{2}\)/)).toBeVisible();
    });
  });
}

async function createCohort(page: Page, name: string): Promise<string> {
  await page.goto("/lop-hoc");
  await page.getByLabel("Tên lớp").fill(name);
  await page.getByLabel("Xã/phường").selectOption("25486");
  await page.getByRole("checkbox", { name: COURSE.title }).check();
  await page.getByRole("button", { name: "Tạo lớp" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  return /\/lop-hoc\/(\d+)/.exec(page.url())![1];
}

async function signUpCitizenHere(page: import("@playwright/test").Page) {
  // The sign-up form the visitor was sent to (it keeps ?tiep=), filled as signUpCitizen does.
  await page.getByRole("textbox", { name: "Họ và tên" }).fill("Khách Văn Giữ");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(uniqueUsername("kh"));
  await page.getByLabel("Mật khẩu", { exact: true }).fill("matkhau-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("matkhau-123");
  await page.getByRole("textbox", { name: "Năm sinh" }).fill("1960");
  await page.getByLabel("Xã/phường nơi bạn sống").fill("tan ninh");
  await page.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
}

test("each role lands where its work is; learners find 'Tham gia lớp học' in the menu", async ({ page }) => {
  const landing: [string, RegExp][] = [
    ["demo-xa", /\/bao-cao\/xa\/25459/], // the report page opens on the officer's own commune
    ["demo-quantri", /\/bao-cao$/],
    ["demo-taphuan", /\/lop-hoc$/],
    ["demo-hocvien", /\/ca-nhan$/],
  ];
  for (const [username, url] of landing) {
    await page.context().clearCookies();
    await logIn(page, username);
    await expect(page, username).toHaveURL(url);
  }
  // Still signed in as the learner: the menu (on a phone, under "Menu") offers joining a class.
  const menu = page.locator("summary", { hasText: "Menu" });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("link", { name: "Tham gia lớp học" }).first().click();
  await expect(page).toHaveURL(/\/tham-gia$/);
  // Asked for a page, a person goes there instead.
  await page.context().clearCookies();
  await page.goto("/dang-nhap?tiep=/khoa-hoc");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill("demo-xa");
  await page.getByLabel("Mật khẩu").fill("hocvuso-demo");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/khoa-hoc$/);
});

test("the header stays one row on a phone, even for an administrator", async ({ page }) => {
  await logIn(page, "demo-quantri");
  const height = (await page.locator(".site-header").boundingBox())!.height;
  const width = page.viewportSize()!.width;
  if (width <= 640) expect(height).toBeLessThanOrEqual(60);
  else expect(height).toBeLessThanOrEqual(120);
});

test("dashboard: a class member sees the class and its courses; a next course is suggested; skills in plain words", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername("lop"), fullName: "Thành Viên Lớp" });
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Thành Viên Lớp");
  await expect(page.getByText("Bạn chưa bắt đầu khóa học nào.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Khóa học nên học tiếp" })).toBeVisible();
  await page.goto("/tham-gia");
  await page.getByLabel("Mã lớp").fill("MAU234");
  await page.getByRole("button", { name: "Tham gia" }).click();
  await page.goto("/ca-nhan");
  const classes = page.getByRole("region", { name: "Lớp học của tôi" });
  await expect(classes).toContainText("Lớp mẫu ấp Thạnh Tây");
  await expect(classes).toContainText("Người hướng dẫn:");
  await expect(classes.getByRole("link", { name: COURSE.title })).toBeVisible();
  await expect(page.getByText(/Đã đạt 0 trên \d+ kỹ năng/).first()).toBeVisible();
  await expect(page.getByText(/^Miền 1\. Khai thác dữ liệu và thông tin: \d\/\d$/)).toHaveCount(0);
  await expectNoA11yViolations(page);
});

test("a locked quiz says why and links the next lesson instead of showing questions", async ({ page }) => {
  await signUpCitizen(page, { username: uniqueUsername("kt"), fullName: "Khóa Thị Chờ" });
  await page.goto(`/khoa-hoc/${COURSE.slug}/kiem-tra`);
  await expect(page.getByText(`Bạn còn ${COURSE.lessons.length} bài chưa học`)).toBeVisible();
  await expect(page.locator("fieldset.question")).toHaveCount(0);
  await page.getByRole("link", { name: `Học tiếp: Bài 1. ${COURSE.lessons[0].title}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(COURSE.lessons[0].title);
  await expectNoA11yViolations(page);
});

test("report CSV: Vietnamese for people, stable English columns with ?dang=may", async ({ page }) => {
  await logIn(page, "demo-quantri");
  const people = await (await page.request.get("/bao-cao/tai-ve.csv?ky=2026")).text();
  expect(people.slice(1).split("\r\n")[0]).toBe("Chỉ tiêu,Cấp,Mã,Tên,Số đã đạt,Tổng số,Tỉ lệ (%),Mục tiêu (%),Kỳ báo cáo");
  expect(people).toContain(",Toàn tỉnh,");
  const machine = await (await page.request.get("/bao-cao/tai-ve.csv?ky=2026&dang=may")).text();
  expect(machine.slice(1).split("\r\n")[0]).toBe("indicator,level,code,name,numerator,denominator,percent,target_percent,period");
  // The same rows, only the words differ.
  expect(people.trim().split("\r\n").length).toBe(machine.trim().split("\r\n").length);
});

test("cohort CSV has the page's facts: every learner shown '✓ xong' has 'xong' in the CSV", async ({ page }) => {
  await logIn(page, "demo-taphuan");
  await page
    .getByRole("link", { name: /Lớp mẫu/ })
    .first()
    .click();
  const id = /\/lop-hoc\/(\d+)/.exec(page.url())![1];
  const rows = page.getByRole("region", { name: "Tiến độ của từng học viên" }).locator("tbody tr");
  const pageFacts = new Map<string, string[]>();
  for (const row of await rows.all()) {
    const name = (await row.locator("th").textContent())!.trim();
    pageFacts.set(
      name,
      (await row.locator("td").allTextContents()).slice(0, -1).map((t) => (t.includes("✓ xong") ? "xong" : t.trim().split(" · ")[0])),
    );
  }
  const csv = await (await page.request.get(`/lop-hoc/${id}/tai-ve.csv`)).text();
  const [header, ...lines] = csv.slice(1).trim().split("\r\n");
  expect(header.startsWith("Họ và tên,Tên đăng nhập,Hoạt động gần nhất (giờ Việt Nam),Số buổi tham dự,")).toBe(true);
  const resultColumns = header
    .split(",")
    .map((h, i) => [h, i] as const)
    .filter(([h]) => h.endsWith(": kết quả"))
    .map(([, i]) => i);
  expect(lines.length).toBe(await rows.count()); // two learners may share a name
  for (const line of lines) {
    const cells = line.split(",");
    expect(cells[2]).toMatch(/^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})?$/);
    expect(
      resultColumns.map((i) => cells[i]),
      cells[0],
    ).toEqual(pageFacts.get(cells[0]));
  }
});

test("progress matrix on a phone: a one-line header explained by a list, six learners on a screen, words not abbreviations", async ({ page }) => {
  await logIn(page, "demo-taphuan");
  await page
    .getByRole("link", { name: /Lớp mẫu/ })
    .first()
    .click();
  const table = page.getByRole("region", { name: "Tiến độ của từng học viên" });
  const headerHeight = (await table.locator("thead").boundingBox())!.height;
  const rowHeight = (await table.locator("tbody tr").first().boundingBox())!.height;
  const screen = page.viewportSize()!;
  expect(headerHeight + 6 * rowHeight, "header and six learners").toBeLessThanOrEqual(screen.height - 80);
  if (screen.width <= 640) {
    expect(headerHeight).toBeLessThanOrEqual(60);
    await expect(page.getByRole("list", { name: "Tên các khóa trong bảng" })).toContainText(`Khóa 1: ${COURSE.title}`);
  }
  expect(await table.textContent()).not.toMatch(/\bKT\b/);
  await expectPhoneFriendlyLayout(page);
});

test("report charts on a phone: text at least 12 px, nothing cut, target labelled, a short list instead of 96 bars; gaps in people", async ({ page }) => {
  await logIn(page, "demo-quantri");
  await page.goto("/bao-cao");
  const charts = await page.locator("figure.chart svg").evaluateAll((svgs) =>
    svgs
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .map((svg) => {
        const box = svg.getBoundingClientRect();
        const scale = box.width / (svg as SVGSVGElement).viewBox.baseVal.width;
        const texts = Array.from(svg.querySelectorAll("text")).map((t) => ({
          text: t.textContent ?? "",
          px: Number(t.getAttribute("font-size")) * scale,
          box: t.getBoundingClientRect(),
        }));
        return {
          height: box.height,
          smallest: Math.min(...texts.map((t) => t.px)),
          cut: texts.filter((t) => t.box.left < box.left - 0.5 || t.box.right > box.right + 0.5).map((t) => t.text),
          target: texts.some((t) => t.text.startsWith("Mục tiêu")),
        };
      }),
  );
  expect(charts.length).toBeGreaterThan(2);
  for (const chart of charts) {
    expect(chart.smallest).toBeGreaterThanOrEqual(12);
    expect(chart.cut).toEqual([]);
  }
  expect(charts.filter((c) => c.target).length).toBeGreaterThan(1); // trend lines and bars carry "Mục tiêu …%"
  if (page.viewportSize()!.width <= 640) {
    expect(Math.max(...charts.map((c) => c.height))).toBeLessThan(600); // not 1,400 px of communes
    await expect(page.getByText("10 đơn vị có tỉ lệ thấp nhất").first()).toBeVisible();
  }
  await expectPhoneFriendlyLayout(page);
  await page.goto("/bao-cao/xa/25459");
  await expect(page.getByText(/còn thiếu [\d.]+ người \([\d,]+ điểm %\)|đã đạt mục tiêu/).first()).toBeVisible();
  await page.context().clearCookies();
  await logIn(page, "demo-donvi");
  await page.goto("/bao-cao/co-quan/SKHCN");
  await expect(page.getByText(/còn thiếu [\d.]+ người \([\d,]+ điểm %\)|đã đạt mục tiêu/).first()).toBeVisible();
});
