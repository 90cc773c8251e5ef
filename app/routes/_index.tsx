import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/accounts/session.server";
import { getCatalog, summarize } from "~/courses/catalog.server";
import { resumeLink } from "~/learning/dashboard.server";
import { CourseCard } from "~/ui/course-card";
import type { RouteHandle } from "~/serving/routes.server";

export const meta: MetaFunction = () => [
  { title: "Học vụ số Tây Ninh — học kỹ năng số miễn phí trên điện thoại" },
  {
    name: "description",
    content: "Các bài học ngắn bằng tiếng Việt giúp người dân và cán bộ Tây Ninh dùng điện thoại, dịch vụ công trực tuyến và giữ an toàn trên mạng.",
  },
];

// Anonymous visitors get the same page for the same URL and content: kept by URL (decision 014).
export const handle: RouteHandle = { publicCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const courses = getCatalog().courses.map(summarize);
  const user = await getUser(request);
  const url = new URL(request.url);
  return {
    resume: user ? await resumeLink(user.id) : null,
    signedIn: Boolean(user),
    notice: url.searchParams.has("da-xoa-tai-khoan")
      ? "Tài khoản và dữ liệu của bạn đã được xóa."
      : url.searchParams.has("da-dang-xuat")
        ? "Bạn đã đăng xuất."
        : null,
    basic: courses.filter((c) => c.sets.includes("adult-basic")),
    officialCount: courses.filter((c) => c.sets.includes("official-required")).length,
    total: courses.length,
  };
}

export default function Home() {
  const { basic, officialCount, total, resume, signedIn, notice } = useLoaderData<typeof loader>();
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {resume ? (
        <div className="card">
          <h2>Học tiếp nơi bạn dừng lại</h2>
          <p>
            {resume.courseTitle}: {resume.label}
          </p>
          <div className="position">
            <span>Đã học {resume.percent}%</span>
            <progress max={100} value={resume.percent} aria-label={`Tiến độ ${resume.courseTitle}: ${resume.percent}%`} />
          </div>
          <div className="actions">
            <Link className="button" to={resume.href}>
              Học tiếp
            </Link>
            <Link className="button secondary" to="/ca-nhan">
              Xem trang của tôi
            </Link>
          </div>
        </div>
      ) : signedIn ? (
        <p className="notice">
          Tiến độ học và chứng nhận của bạn ở <Link to="/ca-nhan">Trang của tôi</Link>.
        </p>
      ) : null}
      <h1>Học kỹ năng số, từng bước, ngay trên điện thoại</h1>
      <p className="lead">
        Học vụ số Tây Ninh là nơi học miễn phí các kỹ năng số cần cho cuộc sống hằng ngày: dùng điện thoại an toàn, làm thủ tục trên Cổng Dịch vụ công, thanh
        toán bằng mã QR, nhận biết lừa đảo trên mạng.
      </p>
      <p>
        Trang web hưởng ứng phong trào <strong>“Bình dân học vụ số”</strong>. Mục tiêu của tỉnh: đến năm 2030, 90% người trưởng thành có kỹ năng số; năm 2026,
        85% cán bộ, công chức, viên chức thành thạo kỹ năng số.
      </p>
      <div className="actions">
        <Link className="button" to="/khoa-hoc">
          Xem {total} khóa học
        </Link>
        <Link className="button secondary" to="/tim-kiem">
          Tìm bài học
        </Link>
      </div>

      <h2>Bắt đầu thế nào?</h2>
      <ol className="steps">
        <li>
          <strong>Chọn một khóa học</strong> phù hợp. Nếu mới làm quen, hãy bắt đầu từ khóa đầu tiên bên dưới.
        </li>
        <li>
          <strong>Đọc từng bài ngắn</strong> (khoảng 10 phút). Mỗi bài có ví dụ gần gũi và lời khuyên giữ an toàn.
        </li>
        <li>
          <strong>Làm bài kiểm tra cuối khóa.</strong> Sai thì xem giải thích rồi làm lại, không sao cả.
        </li>
      </ol>
      <p className="muted">Cần người hướng dẫn? Tổ công nghệ số cộng đồng ở khu phố, ấp của bạn có thể giúp bạn học ngay tại nhà.</p>

      <h2>Kỹ năng số cơ bản cho mọi người</h2>
      <ul className="cards">
        {basic.map((course) => (
          <CourseCard key={course.slug} course={course} headingLevel={3} />
        ))}
      </ul>

      <h2>Dành cho cán bộ, công chức, viên chức</h2>
      <p>
        Có {officialCount} khóa học bắt buộc cho cán bộ, công chức, viên chức: chữ ký số, an toàn thông tin, dữ liệu dùng chung và sử dụng AI có trách nhiệm.{" "}
        <Link to="/khoa-hoc?doi-tuong=can-bo">Xem các khóa dành cho cán bộ</Link>.
      </p>
      <p>
        Mỗi khóa học gắn với <Link to="/nang-luc-so">khung năng lực số quốc gia</Link>, để bạn biết mình đã học được những gì.
      </p>
    </>
  );
}
