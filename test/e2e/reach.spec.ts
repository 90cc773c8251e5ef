import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./support/a11y";
import { logIn, signUpCitizen, uniqueName, uniqueUsername } from "./support/accounts";
import { course } from "./support/content";
import { queryAll } from "./support/database";

// Issue 21 (decision 025): reading offline, lessons marked done offline, read aloud, text size.

const VNEID = course("vneid-va-danh-tinh-so");
const lessonUrl = (slug: string) => `/khoa-hoc/${VNEID.slug}/${slug}`;

function completedMarks(username: string, lessonSlug: string): { completed_at: string | null }[] {
  return queryAll<{ completed_at: string | null }>(
    `SELECT lp.completed_at FROM lesson_progress lp JOIN person p ON p.id = lp.person_id
     WHERE p.username = ? AND lp.course_slug = ? AND lp.lesson_slug = ? AND lp.completed_at IS NOT NULL`,
    username,
    VNEID.slug,
    lessonSlug,
  );
}

async function newLearner(page: Page): Promise<string> {
  const username = uniqueUsername("doc");
  await signUpCitizen(page, { username, fullName: uniqueName("Trần Thị") });
  await expect(page.getByRole("heading", { name: /Xin chào/ })).toBeVisible();
  return username;
}

test.describe("offline reading", () => {
  test.describe.configure({ timeout: 90_000 }); // a sign-up, a course saved, five lessons read offline
  test("save a course, read every lesson offline, mark one done, and it is recorded once when back online", async ({ page, context }) => {
    const username = await newLearner(page);
    await page.goto(`/khoa-hoc/${VNEID.slug}`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.getByRole("button", { name: "Lưu để đọc khi không có mạng" }).click();
    await expect(page.getByText(`Đã lưu ${VNEID.lessons.length} bài`)).toBeVisible();

    // The dashboard lists it with its size, worked out on the device.
    await page.goto("/ca-nhan");
    const saved = page.getByRole("region", { name: "Khóa học đã lưu trên máy này" });
    await expect(saved.getByRole("listitem")).toHaveCount(1);
    await expect(saved.getByRole("listitem")).toContainText(VNEID.title);
    await expect(saved.getByRole("listitem")).toContainText(new RegExp(`${VNEID.lessons.length} bài, \\d+ KB`));

    await context.setOffline(true);
    for (const lesson of VNEID.lessons) {
      await page.goto(lessonUrl(lesson.slug));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
      await expect(page.getByText("bạn đang đọc bản đã lưu trên máy này")).toBeVisible();
      // The saved copy keeps its stylesheet.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector(".lesson-body")!).borderTopStyle)).toBe("solid");
    }
    const first = VNEID.lessons[0];
    await page.goto(lessonUrl(first.slug));
    await page.getByRole("button", { name: "Tôi đã học xong bài này" }).click();
    await expect(page.getByText("Đã lưu, sẽ gửi khi có mạng.")).toBeVisible();
    expect(completedMarks(username, first.slug)).toHaveLength(0);

    // A page that was not saved: the offline page, listing what is saved.
    await page.goto("/tim-kiem");
    await expect(page.getByRole("heading", { level: 1, name: "Không có mạng" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Các khóa học đã lưu trên máy này" })).toContainText(VNEID.title);
    await expect(page.getByRole("status")).toContainText("sẽ gửi khi có mạng");
    // Quizzes stay online.
    await page.goto(`/khoa-hoc/${VNEID.slug}/kiem-tra`);
    await expect(page.getByRole("heading", { level: 1, name: "Không có mạng" })).toBeVisible();

    await context.setOffline(false);
    await expect(page.getByRole("status")).toContainText(`Đã gửi: ${first.title}`);
    // A second chance to send (the next page load) finds nothing left to send.
    await page.goto(lessonUrl(first.slug));
    await expect(page.getByText("✓ Bạn đã học xong bài này.")).toBeVisible();
    await expect(page.getByText(/Đã gửi|sẽ gửi khi có mạng/)).toHaveCount(0);
    const marks = completedMarks(username, first.slug);
    expect(marks).toHaveLength(1);

    // The same key sent again (a retry after a lost answer) changes nothing.
    const key = "0f5c2a9e-1111-4222-8333-944445555666";
    for (let i = 0; i < 2; i++) {
      const response = await page.request.post(lessonUrl(first.slug), {
        form: { intent: "complete", idempotency_key: key },
        headers: { Origin: new URL(page.url()).origin },
      });
      expect(response.status()).toBe(204);
    }
    expect(completedMarks(username, first.slug)).toEqual(marks);
  });

  test("signing out clears what this person left on the device", async ({ page }) => {
    await newLearner(page);
    await page.goto(lessonUrl(VNEID.lessons[0].slug));
    expect(await page.evaluate(() => localStorage.getItem("hvs-da-dang-nhap"))).toBe("1");
    // A mark still waiting (as if the network had dropped just before): it must not be sent for whoever signs in next.
    await page.evaluate(
      (url) => localStorage.setItem("hvs-hang-cho", JSON.stringify([{ url, key: "k-12345678", title: "Bài" }])),
      lessonUrl(VNEID.lessons[0].slug),
    );
    await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" }).first()).toBeVisible();
    expect(await page.evaluate(() => [localStorage.getItem("hvs-hang-cho"), localStorage.getItem("hvs-da-dang-nhap")])).toEqual([null, null]);
  });
});

// A speech engine that records what it is asked to say; each utterance ends when the test says so.
async function stubSpeech(page: Page, voices: { lang: string; name: string }[]) {
  await page.addInitScript((list) => {
    const said: { text: string; lang: string; rate: number }[] = [];
    let current: { onend?: () => void } | null = null;
    const w = window as unknown as Record<string, unknown>;
    w.__said = said;
    w.__finish = () => {
      const u = current;
      current = null;
      u?.onend?.();
    };
    w.SpeechSynthesisUtterance = class {
      text: string;
      lang = "";
      rate = 1;
      voice = null;
      onend?: () => void;
      constructor(text: string) {
        this.text = text;
      }
    };
    Object.defineProperty(window, "speechSynthesis", {
      value: {
        getVoices: () => list.map((v) => ({ ...v, voiceURI: v.name, default: false, localService: true })),
        speak(u: { text: string; lang: string; rate: number; onend?: () => void }) {
          said.push({ text: u.text, lang: u.lang, rate: u.rate });
          current = u;
        },
        cancel() {
          current = null;
        },
        pause() {
          w.__paused = true;
        },
        resume() {
          w.__paused = false;
        },
        addEventListener() {},
      },
    });
  }, voices);
}

test.describe("read aloud", () => {
  test.describe.configure({ timeout: 90_000 }); // axe-core on a shared machine
  const lesson = VNEID.lessons[1]; // has a table marked "không đọc" and the word VNeID

  test("reads the lesson in order, skips marked passages, uses pronunciations, highlights the paragraph", async ({ page }) => {
    await stubSpeech(page, [
      { lang: "en-US", name: "English" },
      { lang: "vi-VN", name: "Tiếng Việt" },
    ]);
    await page.goto(lessonUrl(lesson.slug));
    const controls = page.getByRole("group", { name: "Nghe bài học" });
    await expect(controls).toBeVisible();
    await expect(page.getByText("chưa có giọng đọc tiếng Việt")).toBeHidden();
    await expectNoA11yViolations(page);

    await controls.getByRole("button", { name: "Nghe bài học" }).click();
    // What the page shows, block by block, outside the skipped table: the order the engine must hear.
    const expected = await page.evaluate(() => {
      const blocks = [document.querySelector("article h1")!, ...document.querySelectorAll(".lesson-body :is(h2,h3,h4,p,li,th,td)")];
      return blocks
        .filter((el) => !el.closest(".read-skip") && !el.querySelector("p"))
        .map((el) => el.textContent!.replace(/\s+/g, " ").trim())
        .filter(Boolean);
    });
    for (let i = 0; i < expected.length; i++) {
      await expect.poll(() => page.evaluate(() => (window as unknown as { __said: unknown[] }).__said.length)).toBe(i + 1);
      await expect(page.locator(".reading")).toHaveCount(1);
      if (i === 2) {
        await controls.getByRole("button", { name: "Tạm dừng" }).click();
        expect(await page.evaluate(() => (window as unknown as { __paused: boolean }).__paused)).toBe(true);
        await controls.getByRole("button", { name: "Đọc tiếp" }).click();
        expect(await page.evaluate(() => (window as unknown as { __paused: boolean }).__paused)).toBe(false);
      }
      await page.evaluate(() => (window as unknown as { __finish: () => void }).__finish());
    }
    const said = await page.evaluate(() => (window as unknown as { __said: { text: string; lang: string }[] }).__said);
    const texts = said.map((s) => s.text);
    expect(texts).toEqual(expected.map((t) => t.replace(/(?<![\p{L}\p{N}])VNeID(?![\p{L}\p{N}])/gu, "vê en e ai đi")));
    expect(texts[0]).toBe(lesson.title.replace("VNeID", "vê en e ai đi"));
    expect(texts.join(" ")).not.toContain("Cách kiểm tra đúng người"); // in the skipped table
    expect(texts.join(" ")).not.toContain("VNeID");
    expect(texts.some((t) => t.includes("vê en e ai đi"))).toBe(true);
    expect(said.every((s) => s.lang === "vi-VN")).toBe(true);
    await expect(controls.getByRole("button", { name: "Nghe bài học" })).toBeVisible();
  });

  test("a new speed restarts the paragraph at that speed", async ({ page }) => {
    await stubSpeech(page, [{ lang: "vi-VN", name: "Tiếng Việt" }]);
    await page.goto(lessonUrl(lesson.slug));
    const controls = page.getByRole("group", { name: "Nghe bài học" });
    await controls.getByRole("button", { name: "Nghe bài học" }).click();
    await controls.getByLabel("Tốc độ đọc").selectOption({ label: "Chậm" });
    const said = await page.evaluate(() => (window as unknown as { __said: { text: string; rate: number }[] }).__said);
    expect(said.map((s) => s.rate)).toEqual([1, 0.75]);
    expect(said[1].text).toBe(said[0].text);
  });

  test("hidden when there is no Vietnamese voice, with how to install one", async ({ page }) => {
    await stubSpeech(page, [{ lang: "en-US", name: "English" }]);
    await page.goto(lessonUrl(lesson.slug));
    await expect(page.getByText("chưa có giọng đọc tiếng Việt")).toBeVisible();
    await expect(page.getByRole("group", { name: "Nghe bài học" })).toBeHidden();
    await expectNoA11yViolations(page);
  });

  test("without JavaScript neither the control nor the hint shows, and the lesson reads as before", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(lessonUrl(lesson.slug));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
    await expect(page.getByRole("group", { name: "Nghe bài học" })).toBeHidden();
    await expect(page.getByText("chưa có giọng đọc tiếng Việt")).toBeHidden();
    await expect(page.getByRole("button", { name: "Lưu để đọc khi không có mạng" })).toHaveCount(0);
    await context.close();
  });
});

// One page of each kind. Signed-in pages are visited as a new learner.
const PAGE_TYPES = [
  "/",
  "/khoa-hoc",
  `/khoa-hoc/${VNEID.slug}`,
  lessonUrl(VNEID.lessons[1].slug),
  `/khoa-hoc/${VNEID.slug}/kiem-tra`,
  "/nang-luc-so",
  "/tim-kiem?q=m%E1%BA%ADt+kh%E1%BA%A9u",
  "/chung-chi",
  "/quyen-rieng-tu",
  "/thong-ke",
  "/dang-nhap",
  "/dang-ky",
  "/co-chu",
  "/ngoai-tuyen",
  "/khong-co-trang-nay",
  "/ca-nhan",
  "/ca-nhan/du-lieu",
  "/ca-nhan/doi-mat-khau",
  "/tham-gia",
];
const ADMIN_PAGES = [
  "/bao-cao",
  "/bao-cao/xa/25459",
  "/bao-cao/co-quan/SKHCN",
  "/quan-tri",
  "/quan-tri/nguoi-dung",
  "/quan-tri/to-chuc",
  "/quan-tri/nhap-du-lieu",
  "/quan-tri/api",
];
const COHORT_PAGES = ["", "/buoi-hoc", "/dang-ky-ho"];

async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth) return null;
    const wide = [...document.querySelectorAll("body *")].find((el) => el.getBoundingClientRect().right > doc.clientWidth + 1);
    return `${doc.scrollWidth} > ${doc.clientWidth} (${wide?.tagName}.${wide?.className})`;
  });
}

test.describe("text size", () => {
  test("chosen with a plain form (no JavaScript), remembered, and applied to every page", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(lessonUrl(VNEID.lessons[0].slug));
    const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".lesson-body p")!).fontSize));
    await page.getByRole("button", { name: "Chữ rất lớn" }).click();
    await expect(page).toHaveURL(new RegExp(`${lessonUrl(VNEID.lessons[0].slug)}$`));
    await expect(page.getByRole("button", { name: "Chữ rất lớn" })).toHaveAttribute("aria-pressed", "true");
    const larger = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".lesson-body p")!).fontSize));
    expect(larger).toBeCloseTo(normal * 1.5, 0);
    // Remembered on this device: another page, even one served from the anonymous page cache, is large too.
    await page.goto("/khoa-hoc");
    await expect(page.locator("html")).toHaveClass(/chu-rat-lon/);
    await page.getByRole("button", { name: "Chữ vừa" }).click();
    await expect(page.locator("html")).not.toHaveClass(/chu-/);
    await context.close();
  });

  test("a bad size is refused in Vietnamese", async ({ page }) => {
    await page.goto("/");
    const response = await page.request.post("/co-chu", { form: { co: "khong-lo", tiep: "/" }, headers: { Origin: new URL(page.url()).origin } });
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("Cỡ chữ không hợp lệ");
  });

  for (const setting of [
    { name: "largest text at 360 px", width: 360, size: "rat-lon" },
    { name: "200% zoom at 360 px", width: 180, size: "binh-thuong" },
  ]) {
    test(`no horizontal scrolling on any page type: ${setting.name}`, async ({ page, context, baseURL }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: setting.width, height: 740 });
      await newLearner(page);
      await context.addCookies([{ name: "hvs_chu", value: setting.size, url: baseURL! }]);
      const problems: string[] = [];
      const visit = async (urls: string[]) => {
        for (const url of urls) {
          await page.goto(url);
          const overflow = await horizontalOverflow(page);
          if (overflow) problems.push(`${url}: ${overflow}`);
        }
      };
      await visit(PAGE_TYPES);
      // The staff pages: reports and administration, then a trainer's cohort.
      const signInAs = async (username: string) => {
        await context.clearCookies();
        await context.addCookies([{ name: "hvs_chu", value: setting.size, url: baseURL! }]);
        await logIn(page, username);
      };
      await signInAs("demo-quantri");
      await visit(ADMIN_PAGES);
      await signInAs("demo-taphuan");
      await page.goto("/lop-hoc");
      const cohort = await page.locator('main a[href^="/lop-hoc/"]').first().getAttribute("href");
      await visit(["/lop-hoc", ...COHORT_PAGES.map((p) => `${cohort}${p}`)]);
      expect(problems).toEqual([]);
      await page.goto(lessonUrl(VNEID.lessons[1].slug));
      await expectNoA11yViolations(page);
    });
  }
});

test("the site can be added to the home screen: manifest and icons", async ({ page }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await page.request.get(href!)).json();
  expect(manifest).toMatchObject({ name: "Học vụ số Tây Ninh", lang: "vi", start_url: "/", display: "standalone" });
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const response = await page.request.get(icon.src);
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()["content-type"]).toContain(icon.type);
  }
});
