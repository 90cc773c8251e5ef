// npm run content:check [dir] — validates every course; prints file:line: message per problem; exit 1 if any.
import path from "node:path";
import { formatProblem, loadContent } from "../app/courses/load.server";

const dir = path.resolve(process.argv[2] ?? "content");
const { catalog, problems } = loadContent(dir, path.resolve(process.env.PUBLIC_DIR ?? "public"));
if (problems.length) {
  for (const problem of problems) console.error(formatProblem(problem));
  console.error(`\n${problems.length} lỗi trong nội dung. Sửa các dòng trên rồi chạy lại: npm run content:check`);
  process.exit(1);
}
const lessons = catalog.courses.reduce((n, c) => n + c.lessons.length, 0);
const questions = catalog.courses.reduce((n, c) => n + c.quiz.questions.length, 0);
const domains = new Set(catalog.courses.flatMap((c) => c.domains));
console.log(
  `OK: ${catalog.courses.length} khóa học, ${lessons} bài học, ${questions} câu hỏi, ` +
    `${domains.size}/6 miền năng lực (phiên bản nội dung ${catalog.version})`,
);
