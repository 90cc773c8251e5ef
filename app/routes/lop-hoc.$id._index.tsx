import { SessionList } from "~/ui/session-label";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { hasRole, requireUser } from "~/accounts/session.server";
import { forbidden } from "~/ui/http.server";
import { cohortMatrix, cohortMostMissed, cohortSessions } from "~/cohorts/cohort-report.server";
import { addCoTrainer, archiveCohort, requireCohort, trainersOf } from "~/cohorts/cohorts.server";
import { INACTIVE_DAYS } from "~/cohorts/needs-help";
import { findCourse } from "~/courses/catalog.server";
import { communeByCode } from "~/organisation/communes.server";
import { ActionResult, Field } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";
import { TableScroll } from "~/ui/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cohort.name ?? "Lớp học"} — Học vụ số Tây Ninh` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const [matrix, missed, sessions, trainers, commune] = await Promise.all([
    cohortMatrix(cohort),
    cohortMostMissed(cohort),
    cohortSessions(cohort.id),
    trainersOf(cohort.id),
    communeByCode(cohort.communeCode),
  ]);
  return {
    cohort,
    commune: commune?.label ?? cohort.communeCode,
    courses: cohort.courses.map((slug) => ({ slug, title: findCourse(slug)!.title })),
    matrix,
    missed,
    sessions: sessions.slice(0, 5),
    sessionCount: sessions.length,
    attendanceCount: sessions.reduce((s, x) => s + x.attendees, 0),
    trainers,
    isAdmin: hasRole(user, "admin"),
    created: new URL(request.url).searchParams.has("moi"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const fields = formFields(await readForm(request));
  if (fields.intent === "archive" || fields.intent === "unarchive") {
    await archiveCohort(cohort.id, fields.intent === "archive");
    return data({ ok: true as const, message: fields.intent === "archive" ? "Đã lưu trữ lớp: không nhận thêm học viên." : "Đã mở lại lớp." });
  }
  if (fields.intent === "co-trainer") {
    if (!hasRole(user, "admin")) forbidden("Chỉ quản trị viên được thêm người hướng dẫn cho lớp.");
    const result = await addCoTrainer(cohort.id, fields.username ?? "");
    return result.ok ? data({ ok: true as const, message: result.message }) : invalid({ error: result.message });
  }
  return invalid({ error: "Thao tác không hợp lệ." });
}

const HELP_LABEL = { inactive: (d: number) => `${d} ngày chưa học`, failed: (n: number, t: string) => `làm sai bài kiểm tra “${t}” ${n} lần` };

export default function CohortPage() {
  const { cohort, commune, courses, matrix, missed, sessions, sessionCount, attendanceCount, trainers, isAdmin, created } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const needHelp = matrix.filter((m) => m.help.length);
  return (
    <>
      <p className="no-print">
        <Link to="/lop-hoc">← Lớp học của tôi</Link>
      </p>
      <h1>{cohort.name}</h1>
      {created ? (
        <p className="notice" role="status">
          Đã tạo lớp. Đưa mã lớp cho học viên, hoặc in phiếu tham gia.
        </p>
      ) : null}
      <ActionResult result={result} />
      <p>
        Mã lớp: <span className="join-code">{cohort.joinCode}</span>
      </p>
      <p className="muted">
        {commune} · từ {cohort.startDate}
        {cohort.endDate ? ` đến ${cohort.endDate}` : ""} · người hướng dẫn: {trainers.map((t) => t.full_name).join(", ")}
        {cohort.archivedAt ? " · đã lưu trữ" : ""}
      </p>
      <div className="actions no-print">
        <Link className="button" to={`/lop-hoc/${cohort.id}/dang-ky-ho`}>
          Đăng ký hộ người học
        </Link>
        <Link className="button secondary" to={`/lop-hoc/${cohort.id}/buoi-hoc`}>
          Ghi buổi học trực tiếp
        </Link>
        <Link className="button secondary" to={`/lop-hoc/${cohort.id}/phieu`}>
          In phiếu tham gia
        </Link>
        <a className="button secondary" href={`/lop-hoc/${cohort.id}/tai-ve.csv`} download>
          Tải bảng tiến độ (CSV)
        </a>
      </div>

      <h2>Cần giúp đỡ ({needHelp.length})</h2>
      {needHelp.length ? (
        <ul>
          {needHelp.map((m) => (
            <li key={m.personId}>
              <Link to={`/lop-hoc/${cohort.id}/hoc-vien/${m.personId}`}>{m.fullName}</Link>:{" "}
              {m.help
                .map((h) =>
                  h.kind === "inactive"
                    ? HELP_LABEL.inactive(h.days)
                    : HELP_LABEL.failed(h.failures, courses.find((c) => c.slug === h.courseSlug)?.title ?? h.courseSlug),
                )
                .join("; ")}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Không ai cần giúp lúc này (quy tắc: {INACTIVE_DAYS} ngày không học, hoặc làm sai một bài kiểm tra 2 lần).</p>
      )}

      <h2>Tiến độ ({matrix.length} học viên)</h2>
      {matrix.length ? (
        <>
          <ol className="narrow-only matrix-legend" aria-label="Tên các khóa trong bảng">
            {courses.map((c, i) => (
              <li key={c.slug}>
                Khóa {i + 1}: {c.title}
              </li>
            ))}
          </ol>
          <TableScroll label="Tiến độ của từng học viên">
            <table className="matrix data-table">
              <caption className="visually-hidden">Tiến độ của từng học viên theo khóa học</caption>
              <thead>
                <tr>
                  <th scope="col">Học viên</th>
                  {courses.map((c, i) => (
                    <th key={c.slug} scope="col">
                      <span className="narrow-only">Khóa {i + 1}</span>
                      <span className="wide-only-text">{c.title}</span>
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Buổi học
                  </th>
                </tr>
              </thead>
              <tbody>
                {matrix.map((m) => (
                  <tr key={m.personId}>
                    <th scope="row">
                      <Link to={`/lop-hoc/${cohort.id}/hoc-vien/${m.personId}`}>{m.fullName}</Link>
                    </th>
                    {courses.map((c) => {
                      const cell = m.courses[c.slug];
                      return (
                        <td key={c.slug}>
                          {cell.completed ? "✓ xong" : `${cell.lessonsDone}/${cell.lessonCount} bài`}
                          {!cell.completed && cell.quiz ? ` · bài kiểm tra ${cell.quiz === "passed" ? "đạt" : "chưa đạt"}` : ""}
                        </td>
                      );
                    })}
                    <td className="num">{m.attended}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      ) : (
        <p>Lớp chưa có học viên. Học viên tham gia bằng mã lớp tại trang “Tham gia lớp học”, hoặc bạn đăng ký hộ.</p>
      )}

      <h2>Câu hỏi hay sai</h2>
      {missed.every((c) => c.questions.length === 0) ? <p className="muted">Chưa có bài kiểm tra nào bị làm sai.</p> : null}
      {missed
        .filter((c) => c.questions.length)
        .map((c) => (
          <section key={c.courseSlug} aria-label={`Câu hỏi hay sai: ${c.courseTitle}`}>
            <h3>{c.courseTitle}</h3>
            <ol>
              {c.questions.map((q) => (
                <li key={q.questionId}>
                  Câu {q.number}. <span dangerouslySetInnerHTML={{ __html: q.stemHtml }} /> — sai {q.wrong}/{q.answered} lần
                  {q.topWrongOptionHtml ? (
                    <>
                      ; hay chọn nhầm: “<span dangerouslySetInnerHTML={{ __html: q.topWrongOptionHtml }} />” ({q.topWrongOption!.count} lần)
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ))}

      <h2>Buổi học trực tiếp</h2>
      <p>
        {sessionCount} buổi, tổng {attendanceCount} lượt tham dự. <Link to={`/lop-hoc/${cohort.id}/buoi-hoc`}>Xem và ghi buổi học</Link>
      </p>
      <SessionList sessions={sessions} />

      <h2>Quản lý lớp</h2>
      <Form method="post">
        <input type="hidden" name="intent" value={cohort.archivedAt ? "unarchive" : "archive"} />
        <button type="submit" className="secondary">
          {cohort.archivedAt ? "Mở lại lớp" : "Lưu trữ lớp (kết thúc lớp)"}
        </button>
      </Form>
      {isAdmin ? (
        <Form method="post">
          <input type="hidden" name="intent" value="co-trainer" />
          <Field name="username" label="Thêm người hướng dẫn cùng lớp (tên đăng nhập)" required />
          <button type="submit" className="secondary">
            Thêm người hướng dẫn
          </button>
        </Form>
      ) : null}
    </>
  );
}
