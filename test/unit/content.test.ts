import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicQuizOf } from "./support/helpers";
import { formatProblem, loadContent } from "~/courses/load.server";

const FIXTURES = path.resolve("test/fixtures");
const PUBLIC = path.join(FIXTURES, "public");

describe("content loader: good fixture", () => {
  const { catalog, problems } = loadContent(path.join(FIXTURES, "good"), PUBLIC);

  it("loads without problems, courses in catalogue order", () => {
    expect(problems).toEqual([]);
    expect(catalog.courses.map((c) => c.slug)).toEqual(["lam-quen", "thu-hai"]);
  });

  it("reads front matter with defaults and course settings", () => {
    const [first, second] = catalog.courses;
    expect(first.title).toBe("Làm quen với dịch vụ công");
    expect(first.audience).toEqual(["citizen", "official"]);
    expect(first.domains).toEqual([1, 2]);
    expect(first.sets).toEqual(["adult-basic"]);
    expect(first.sequential).toBe(true);
    expect(first.quiz).toMatchObject({ passPercent: 60, maxAttempts: 3, cooldownMinutes: 5, freeAttempts: 2, questionsPerAttempt: 2 });
    expect(second.sequential).toBe(false);
    // Defaults (decision 009): a cool-down of an hour after two failures in a row; this required course draws 1 of 2.
    expect(second.quiz).toMatchObject({ passPercent: 70, maxAttempts: 0, cooldownMinutes: 60, freeAttempts: 2, questionsPerAttempt: 1 });
    expect(second.quiz.questions).toHaveLength(2);
  });

  it("reads the sector, the sources (Căn cứ) and practice tasks with their self-check answer", () => {
    const [first, second] = catalog.courses;
    expect(first.sector).toBe("health");
    expect(second.sector).toBe("general"); // the default when a course names none
    expect(first.sources).toEqual([
      { title: "Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế số 51/2024/QH15", url: null },
      { title: "Cổng Dịch vụ công quốc gia", url: "https://dichvucong.gov.vn" },
    ]);
    expect(first.tasks.map((t) => [t.id, t.answer, t.options.length])).toEqual([
      ["xem-the-bhyt", "b", 3],
      ["dat-lich-kham", "a", 2],
    ]);
    expect(first.tasks[0].options[1]).toEqual({ id: "b", text: "Thẻ còn giá trị sử dụng đến ngày nào" });
  });

  it("orders lessons by file number and takes the slug from the file name", () => {
    expect(catalog.courses[0].lessons.map((l) => [l.number, l.slug, l.title])).toEqual([
      [1, "buoc-mot", "Bước một"],
      [2, "buoc-hai", "Bước hai — theo dõi hồ sơ"],
    ]);
  });

  it("renders callouts, tables and lazy images as safe HTML", () => {
    const [one, two] = catalog.courses[0].lessons;
    expect(one.html).toContain('<aside class="callout callout-tip"><p class="callout-title">Mẹo</p>');
    expect(one.html).toContain('<aside class="callout callout-warning"><p class="callout-title">Cẩn thận</p>');
    expect(one.html).toMatch(/<img src="\/images\/test-so-do.svg" alt="Sơ đồ các bước" loading="lazy"/);
    expect(two.html).toContain('<div class="table-scroll" tabindex="0" role="region" aria-label="Bảng 1"><table>');
  });

  it("strips raw HTML so content cannot inject scripts", async () => {
    const { renderMarkdown } = await import("~/courses/render.server");
    const html = renderMarkdown('Chữ <script>alert(1)</script> <img src=x onerror="alert(1)"> [x](javascript:alert(1)) và **đậm**');
    expect(html).not.toMatch(/<script|onerror|javascript:/);
    // The text around the bad markup survives: stripping must not empty the lesson.
    expect(html).toContain("Chữ");
    expect(html).toContain("<strong>đậm</strong>");
    expect(html).toMatch(/>x<\/a>|x/);
  });

  it("parses single and multiple choice questions with ids, options and explanations", () => {
    const quiz = catalog.courses[0].quiz;
    expect(quiz.questions).toHaveLength(2);
    const [single, multiple] = quiz.questions;
    expect(single).toMatchObject({ id: "otp", kind: "single", correct: ["b"] });
    expect(single.options.map((o) => o.id)).toEqual(["a", "b", "c"]);
    expect(single.explanationHtml).toContain("Mã OTP chỉ dùng cho chính mình.");
    expect(multiple).toMatchObject({ id: "nhung-viec-nao-giup-ho-so-duoc-xu-ly-nhanh", kind: "multiple", correct: ["a", "b"] });
    expect(multiple.bodyHtml).toContain("Chọn các việc đúng.");
  });

  it("the public quiz carries neither correct options nor explanations", async () => {
    const json = JSON.stringify(await publicQuizOf(catalog.courses[0]));
    expect(json).not.toContain("correct");
    expect(json).not.toContain("Mã OTP chỉ dùng cho chính mình");
    expect(json).toContain("Gửi mã cho người nhắn");
  });

  it("gives the same version for the same files", () => {
    expect(loadContent(path.join(FIXTURES, "good"), PUBLIC).catalog.version).toBe(catalog.version);
  });
});

// Each broken fixture must fail with the file, the line and a message a trainer understands.
const EXPECTED: Record<string, [file: string, line: number, fragment: string][]> = {
  "bad-audience": [["khoa-loi/course.md", 4, "chỉ nhận citizen"]],
  "bad-lesson-name": [["khoa-loi/bai-mot.md", 1, "tên tệp bài học"]],
  "bad-minutes": [["khoa-loi/01-bai-mot.md", 3, 'trường "minutes"']],
  "bad-yaml": [["khoa-loi/course.md", 5, "không đúng cú pháp YAML"]],
  "broken-link": [["khoa-loi/01-bai-mot.md", 8, "không dẫn tới trang nào"]],
  "duplicate-order": [["khoa-mot/course.md", 1, "trùng với khóa học"]],
  "h1-in-lesson": [["khoa-loi/01-bai-mot.md", 6, "tiêu đề cấp 1"]],
  "image-no-alt": [["khoa-loi/01-bai-mot.md", 8, "thiếu mô tả"]],
  "missing-image": [["khoa-loi/01-bai-mot.md", 8, "không tìm thấy ảnh"]],
  "missing-title": [["khoa-loi/course.md", 1, 'trường "title": bắt buộc']],
  "no-front-matter": [["khoa-loi/01-bai-mot.md", 1, "phải bắt đầu bằng"]],
  "non-nfc": [["khoa-loi/01-bai-mot.md", 8, "NFC"]],
  "quiz-duplicate-id": [["khoa-loi/quiz.md", 12, 'mã câu hỏi "mau" trùng']],
  "quiz-missing": [["khoa-loi/quiz.md", 1, "thiếu tệp bài kiểm tra"]],
  "quiz-no-correct": [["khoa-loi/quiz.md", 5, "chưa có đáp án đúng"]],
  "quiz-no-explanation": [["khoa-loi/quiz.md", 5, "thiếu phần giải thích"]],
  "quiz-small-bank": [["khoa-loi/course.md", 10, "cần ngân hàng câu hỏi lớn gấp 1.5 lần số câu mỗi lần làm"]],
  "unknown-competence": [["khoa-loi/course.md", 5, 'mã năng lực "7.2" không có']],
  "unknown-field": [["khoa-loi/course.md", 7, 'trường "teacher" không được hỗ trợ']],
  "missing-sources": [["khoa-loi/course.md", 1, 'trường "sources": bắt buộc']],
  "source-bad-url": [["khoa-loi/course.md", 10, "phải bắt đầu bằng https://"]],
  "bad-sector": [["khoa-loi/course.md", 8, 'trường "sector": chỉ nhận một trong: health, education, insurance, transport']],
  "task-bad-answer": [["khoa-loi/course.md", 15, "cần đúng một lựa chọn đánh dấu [x] (đang có 2)"]],
  "task-duplicate-id": [["khoa-loi/course.md", 15, 'mã nhiệm vụ "tra-cuu" bị trùng']],
};

describe("content checker: broken fixtures", () => {
  it("has an expectation for every broken fixture folder", () => {
    expect(readdirSync(path.join(FIXTURES, "broken")).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: reports file:line and a clear message`, () => {
      const dir = path.join(FIXTURES, "broken", name);
      const lines = loadContent(dir, PUBLIC).problems.map((p) => formatProblem(p, dir));
      for (const [file, line, fragment] of expected) {
        expect(
          lines.some((l) => l.startsWith(`${file}:${line}: `) && l.includes(fragment)),
          lines.join("\n"),
        ).toBe(true);
      }
    });
  }
});
