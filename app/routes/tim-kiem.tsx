import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { search } from "~/courses/search.server";
import { CourseCard } from "~/ui/course-card";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query ? `Tìm “${data.query}” — Học vụ số Tây Ninh` : "Tìm kiếm — Học vụ số Tây Ninh" },
];

export function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return search(q);
}

export default function SearchPage() {
  const { query, courses, lessons } = useLoaderData<typeof loader>();
  const total = courses.length + lessons.length;
  return (
    <>
      <h1>Tìm kiếm</h1>
      <Form method="get" role="search" aria-label="Tìm bài học">
        <label htmlFor="q">Bạn muốn học về điều gì?</label>
        <div className="search-row">
          <input id="q" name="q" type="search" defaultValue={query} placeholder="Ví dụ: dich vu cong, lừa đảo, mã QR" />
          <button type="submit">Tìm</button>
        </div>
        <p className="hint">Gõ có dấu hay không dấu đều được.</p>
      </Form>
      {query ? (
        <p role="status">
          {total === 0
            ? `Không tìm thấy kết quả cho “${query}”. Hãy thử từ khác ngắn hơn.`
            : `Tìm thấy ${courses.length} khóa học và ${lessons.length} bài học cho “${query}”.`}
        </p>
      ) : null}
      {courses.length ? (
        <>
          <h2>Khóa học</h2>
          <ul className="cards">
            {courses.map((c) => (
              <CourseCard key={c.slug} course={c} headingLevel={3} />
            ))}
          </ul>
        </>
      ) : null}
      {lessons.length ? (
        <>
          <h2>Bài học</h2>
          <ul className="cards">
            {lessons.map((l) => (
              <li key={`${l.courseSlug}/${l.slug}`} className="card">
                <h3>
                  <Link to={`/khoa-hoc/${l.courseSlug}/${l.slug}`}>{l.title}</Link>
                </h3>
                <p className="muted">Trong khóa: {l.courseTitle}</p>
                <p className="snippet">{l.snippet}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
