import { expect, type Page } from "@playwright/test";
import type { Course } from "../../../app/courses/types";

/** Opens the course and marks every lesson done, in order; ends on the quiz page. */
export async function completeAllLessons(page: Page, course: Course) {
  await page.goto(`/khoa-hoc/${course.slug}`);
  await page.getByRole("link", { name: "Bắt đầu học bài 1" }).click();
  for (const lesson of course.lessons) {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
    await page.getByRole("button", { name: /Tôi đã học xong bài này/ }).click();
  }
  await expect(page).toHaveURL(new RegExp(`/khoa-hoc/${course.slug}/kiem-tra$`));
}

/** Answers every question right, or every question wrong, and submits. */
export async function answerQuiz(page: Page, course: Course, right: boolean) {
  for (const q of course.quiz.questions) {
    const group = page.getByRole("group", { name: new RegExp(`^Câu ${q.number}\\.`) });
    const choose = right ? q.correct : [q.options.find((o) => !q.correct.includes(o.id))!.id];
    for (const optionId of choose) await group.locator(`input[value="${optionId}"]`).check();
  }
  await page.getByRole("button", { name: "Nộp bài" }).click();
}

export async function passCourse(page: Page, course: Course) {
  await completeAllLessons(page, course);
  await answerQuiz(page, course, true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chúc mừng, bạn đã đạt!");
}
