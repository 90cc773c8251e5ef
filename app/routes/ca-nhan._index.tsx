import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { pendingInvitations } from "~/cohorts/invitations.server";
import { learnerDashboard } from "~/learning/dashboard.server";
import { officialOverview } from "~/reports/official-overview.server";
import { OfficialSection } from "~/reports/official-section";
import { officialExtras } from "~/reminders/reminders.server";
import { dashboardGuidance } from "~/learning/my-classes.server";
import { CompetenceProfile, MyClasses, NextStep } from "~/ui/dashboard-sections";
import { AttemptsTable } from "~/ui/attempts-table";
import { formatDate } from "~/ui/certificate";
import { SavedCourses } from "~/ui/saved-courses";

export const meta: MetaFunction = () => [{ title: "Trang của tôi — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const welcome = new URL(request.url).searchParams.has("chao");
  const invitations = user.supervisedBy ? 0 : (await pendingInvitations(user.id)).length;
  // Officials see their required courses, deadline and whether they are counted first (issue 17).
  const official = await officialOverview(user.id);
  const extras = official ? await officialExtras(user.id) : null;
  return { fullName: user.fullName, welcome, invitations, official, extras, ...(await learnerDashboard(user.id)), ...(await dashboardGuidance(user)) };
}

export default function Dashboard() {
  const { fullName, welcome, invitations, official, extras, resume, courses, attempts, certificates, profile, achievedCount, classes, suggestion } =
    useLoaderData<typeof loader>();
  return (
    <>
      <h1>Xin chào, {fullName}</h1>
      {welcome ? (
        <p className="notice" role="status">
          Tài khoản đã được tạo. Chúc bạn học tốt!
        </p>
      ) : null}
      {invitations ? (
        <p className="notice">
          Bạn có {invitations} lời mời vào lớp học. <Link to="/tham-gia">Xem và trả lời lời mời</Link>
        </p>
      ) : null}
      {official && extras ? <OfficialSection overview={official} reminders={extras.reminders} email={extras.email} /> : null}
      <NextStep resume={resume} doneCount={courses.filter((c) => c.completedAt).length} suggestion={suggestion} />
      <MyClasses classes={classes} />

      <h2>Khóa học của tôi</h2>
      {courses.length ? (
        <ul className="cards">
          {courses.map((c) => (
            <li key={c.slug} className="card">
              <h3>
                <Link to={`/khoa-hoc/${c.slug}`}>{c.title}</Link>
              </h3>
              <div className="position">
                <span>{c.completedAt ? <span className="done-mark">✓ Đã hoàn thành</span> : `Đã học ${c.percent}%`}</span>
                <progress max={100} value={c.percent} aria-label={`Tiến độ ${c.title}: ${c.percent}%`} />
              </div>
              {c.next ? <Link to={c.next.href}>Học tiếp: {c.next.label}</Link> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Chưa có.</p>
      )}

      <SavedCourses heading="Khóa học đã lưu trên máy này" />

      <h2>Chứng nhận</h2>
      {certificates.length ? (
        <ul>
          {certificates.map((c) => (
            <li key={c.code}>
              <Link to={`/ca-nhan/chung-chi/${c.code}`}>{c.courseTitle}</Link> — cấp ngày {formatDate(c.issuedAt)}, mã <strong>{c.displayCode}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Hoàn thành một khóa học (học hết bài và đạt bài kiểm tra) để nhận chứng nhận.</p>
      )}

      <h2>Bài kiểm tra đã làm</h2>
      {attempts.length ? <AttemptsTable label="Bài kiểm tra đã làm (20 lần gần nhất)" attempts={attempts} linkToResult /> : <p className="muted">Chưa có.</p>}

      <CompetenceProfile profile={profile} achievedCount={achievedCount} />

      <h2>Tài khoản</h2>
      <ul className="link-list">
        <li>
          <Link to="/ca-nhan/doi-mat-khau">Đổi mật khẩu</Link>
        </li>
        <li>
          <Link to="/ca-nhan/du-lieu">Dữ liệu của tôi: tải về hoặc xóa tài khoản</Link>
        </li>
      </ul>
      <Form method="post" action="/dang-xuat">
        <input type="hidden" name="intent" value="everywhere" />
        <button type="submit" className="secondary">
          Đăng xuất trên mọi thiết bị
        </button>
      </Form>
    </>
  );
}
