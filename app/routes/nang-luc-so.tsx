import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCatalog } from "~/courses/catalog.server";
import { DOMAINS, FRAMEWORK_NAME, LEVELS, QD_757_NOTE } from "~/courses/framework";
import type { RouteHandle } from "~/serving/routes.server";

export const meta: MetaFunction = () => [{ title: "Khung năng lực số — Học vụ số Tây Ninh" }];

// Anonymous visitors get the same page for the same URL and content: kept by URL (decision 014).
export const handle: RouteHandle = { publicCache: true };

export function loader() {
  const byCompetence: Record<string, { slug: string; title: string }[]> = {};
  for (const course of getCatalog().courses) {
    for (const code of course.competences) (byCompetence[code] ??= []).push({ slug: course.slug, title: course.title });
  }
  return { byCompetence };
}

export default function FrameworkPage() {
  const { byCompetence } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Khung năng lực số</h1>
      <p className="lead">
        “Năng lực số” là khả năng dùng thiết bị và dịch vụ số một cách hiệu quả và an toàn. Mỗi khóa học ở đây gắn với các năng lực trong {FRAMEWORK_NAME}.
      </p>
      <p>
        Khung có <strong>6 miền</strong> và <strong>24 năng lực</strong>, mỗi năng lực có 4 mức: {LEVELS.join(", ").toLowerCase()}. Các khóa học trên trang này
        nhắm tới mức cơ bản — những gì ai cũng cần để sống và làm việc trong môi trường số.
      </p>
      <p>{QD_757_NOTE}</p>
      {DOMAINS.map((domain) => (
        <section key={domain.number} className="domain" aria-labelledby={`mien-${domain.number}`}>
          <h2 id={`mien-${domain.number}`}>
            Miền {domain.number}. {domain.name}
          </h2>
          <p>{domain.summary}</p>
          <ul>
            {domain.competences.map((c) => (
              <li key={c.code}>
                <strong>{c.code}</strong> {c.name}
                {byCompetence[c.code]?.length ? (
                  <>
                    {" — học trong: "}
                    {byCompetence[c.code].map((course, i) => (
                      <span key={course.slug}>
                        {i > 0 ? ", " : ""}
                        <Link to={`/khoa-hoc/${course.slug}`}>{course.title}</Link>
                      </span>
                    ))}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <p>
            <Link to={`/khoa-hoc?mien=${domain.number}`}>Các khóa học thuộc miền {domain.number}</Link>
          </p>
        </section>
      ))}
      <p className="muted">Tên năng lực 6.2 và 6.3 đang chờ xác nhận theo văn bản chính thức.</p>
    </>
  );
}
