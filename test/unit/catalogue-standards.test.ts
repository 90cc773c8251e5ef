import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadContent } from "~/courses/load.server";
import { SERVICE_SECTORS } from "~/courses/services";

// The real catalogue (content/) against the standards of issue 19: every course names its sources, every
// sector of the province's third target has a course with at least two practice tasks, and the digital
// services courses have at least 4 lessons and 8 situation questions with explanations.

const { catalog, problems } = loadContent(path.resolve("content"), path.resolve("public"));

describe("the catalogue in content/", () => {
  it("passes the content checker", () => {
    expect(problems).toEqual([]);
  });

  it("every course lists its sources (Căn cứ)", () => {
    for (const course of catalog.courses) expect(course.sources.length, course.slug).toBeGreaterThan(0);
  });

  it("each sector of the target, and household businesses, has a course with two practice tasks or more", () => {
    for (const sector of [...SERVICE_SECTORS, "business"]) {
      const courses = catalog.courses.filter((c) => c.sector === sector);
      expect(courses.length, sector).toBeGreaterThan(0);
      expect(
        courses.reduce((n, c) => n + c.tasks.length, 0),
        sector,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it("digital services courses: at least 4 lessons, 8 questions, each lesson with a goal, steps, a callout and a summary", () => {
    const services = catalog.courses.filter((c) => c.tasks.length > 0);
    expect(services.length).toBeGreaterThanOrEqual(5);
    for (const course of services) {
      expect(course.lessons.length, course.slug).toBeGreaterThanOrEqual(4);
      expect(course.quiz.questions.length, course.slug).toBeGreaterThanOrEqual(8);
      for (const lesson of course.lessons) {
        const where = `${course.slug}/${lesson.slug}`;
        expect(lesson.html, where).toContain("<strong>Mục tiêu:</strong>");
        expect(lesson.html, where).toContain("<strong>Tóm lại:</strong>");
        expect(lesson.html, where).toContain("<ol>");
        expect(lesson.html, where).toMatch(/callout-(warning|tip)/);
      }
    }
  });
});
