import { Link } from "@remix-run/react";
import { formatDate } from "./certificate";
import { TableScroll } from "./table-scroll";

export type AttemptRow = {
  id: number;
  course_slug: string;
  courseTitle: string;
  submitted_at: string;
  correct_count: number;
  question_count: number;
  percent: number;
  passed: number;
  supervised_by?: string | null;
};

/** Quiz attempts with score and result; the learner's own rows link to their feedback page. */
export function AttemptsTable({ label, attempts, linkToResult }: { label: string; attempts: AttemptRow[]; linkToResult: boolean }) {
  return (
    <TableScroll label={label}>
      <table className="data-table">
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Khóa học</th>
            <th scope="col">Ngày</th>
            <th scope="col">Điểm</th>
            <th scope="col">Kết quả</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id}>
              <td>
                {linkToResult ? <Link to={`/khoa-hoc/${a.course_slug}/kiem-tra/${a.id}`}>{a.courseTitle}</Link> : a.courseTitle}
                {a.supervised_by ? " (có giám sát)" : ""}
              </td>
              <td>{formatDate(a.submitted_at)}</td>
              <td>
                {a.correct_count}/{a.question_count} ({a.percent}%)
              </td>
              <td>{a.passed ? "Đạt" : "Chưa đạt"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
