import { Link } from "@remix-run/react";
import type { CourseSummary } from "~/courses/catalog.server";
import { AUDIENCES, COURSE_SETS } from "~/courses/framework";
import { SECTORS } from "~/courses/services";
import { formatMinutes } from "~/courses/text";

/** The sets a course belongs to (required ones stand out) and who it is for. */
export function CourseBadges({ course }: { course: Pick<CourseSummary, "sets" | "audience" | "sector"> }) {
  return (
    <ul className="badges" aria-label="Thông tin khóa học">
      {course.sets.map((set) => (
        <li key={set} className="badge required">
          {COURSE_SETS[set]}
        </li>
      ))}
      {course.audience.map((a) => (
        <li key={a} className="badge">
          {AUDIENCES[a]}
        </li>
      ))}
      {course.sector !== "general" ? <li className="badge">Lĩnh vực: {SECTORS[course.sector]}</li> : null}
    </ul>
  );
}

export function CourseCard({ course, headingLevel = 2 }: { course: CourseSummary; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <li className="card">
      <Heading>
        <Link to={`/khoa-hoc/${course.slug}`}>{course.title}</Link>
      </Heading>
      <p>{course.summary}</p>
      <CourseBadges course={course} />
      <p className="muted">
        {course.lessonCount} bài học · {course.questionCount} câu hỏi kiểm tra{course.taskCount ? ` · ${course.taskCount} nhiệm vụ thực hành` : ""} · khoảng{" "}
        {formatMinutes(course.minutes)}
      </p>
    </li>
  );
}
