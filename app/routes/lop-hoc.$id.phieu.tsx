import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { requireCohort } from "~/cohorts/cohorts.server";
import { findCourse } from "~/courses/catalog.server";
import { publicOrigin } from "~/records/origin.server";

export const meta: MetaFunction = () => [{ title: "Phiếu tham gia lớp — Học vụ số Tây Ninh" }];

// A printable sheet to hand out or pin on the wall of the cultural house: the join code, big.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  const origin = publicOrigin(request);
  return {
    cohort: { id: cohort.id, name: cohort.name, joinCode: cohort.joinCode },
    courses: cohort.courses.map((slug) => findCourse(slug)!.title),
    joinUrl: `${origin}/tham-gia?ma=${cohort.joinCode}`,
    site: origin,
  };
}

export default function JoinSheet() {
  const { cohort, courses, joinUrl, site } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to={`/lop-hoc/${cohort.id}`}>← Về lớp</Link> · Dùng chức năng In của trình duyệt để in phiếu.
      </p>
      <section className="certificate" aria-labelledby="sheet-title">
        <h1 id="sheet-title">Mời tham gia lớp: {cohort.name}</h1>
        <p>Học kỹ năng số miễn phí trên điện thoại — Học vụ số Tây Ninh</p>
        <p>Mã lớp</p>
        <p className="join-code">{cohort.joinCode}</p>
        <ol className="steps">
          <li>
            Mở trang <strong>{site}</strong> trên điện thoại.
          </li>
          <li>Đăng ký tài khoản (hoặc nhờ người hướng dẫn đăng ký hộ).</li>
          <li>Vào “Tham gia lớp học”, nhập mã lớp ở trên. Hoặc mở thẳng: {joinUrl}</li>
        </ol>
        <p>Các khóa học của lớp: {courses.join("; ")}.</p>
      </section>
    </>
  );
}
