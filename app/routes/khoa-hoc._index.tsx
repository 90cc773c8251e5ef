import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getCatalog, summarize } from "~/courses/catalog.server";
import { DOMAINS } from "~/courses/framework";
import { SECTORS, type Sector } from "~/courses/services";
import { foldForSearch } from "~/text/folding";
import { CourseCard } from "~/ui/course-card";
import { badRequest } from "~/ui/http.server";
import type { RouteHandle } from "~/serving/routes.server";

export const meta: MetaFunction = () => [{ title: "Danh sách khóa học — Học vụ số Tây Ninh" }];

// URL values are Vietnamese words without diacritics so links stay readable: /khoa-hoc?doi-tuong=nguoi-dan&mien=4
const AUDIENCE_PARAM = { "nguoi-dan": "citizen", "can-bo": "official" } as const;
type AudienceParam = keyof typeof AUDIENCE_PARAM;
// /khoa-hoc?linh-vuc=y-te: the service sector a course teaches (decision 021).
const SECTOR_PARAM: Record<string, Sector> = {
  "y-te": "health",
  "giao-duc": "education",
  "bao-hiem": "insurance",
  "giao-thong": "transport",
  "kinh-doanh": "business",
  "dich-vu-cong": "public-services",
  "ky-nang-chung": "general",
};

// Anonymous visitors get the same page for the same URL and content: kept by URL (decision 014).
export const handle: RouteHandle = { publicCache: true };

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const audience = url.searchParams.get("doi-tuong") ?? "";
  const domainParam = url.searchParams.get("mien") ?? "";
  const query = (url.searchParams.get("q") ?? "").slice(0, 200);
  const sector = url.searchParams.get("linh-vuc") ?? "";
  if (sector && !(sector in SECTOR_PARAM)) badRequest("Lĩnh vực không hợp lệ. Hãy chọn một lĩnh vực trong danh sách.");
  if (audience && !(audience in AUDIENCE_PARAM)) badRequest("Đối tượng không hợp lệ. Hãy chọn “Người dân” hoặc “Cán bộ”.");
  const domain = domainParam ? Number(domainParam) : 0;
  if (domainParam && !DOMAINS.some((d) => d.number === domain)) badRequest("Miền năng lực không hợp lệ. Hãy chọn từ 1 đến 6.");

  const words = foldForSearch(query).split(" ").filter(Boolean);
  const courses = getCatalog()
    .courses.filter((c) => !audience || c.audience.includes(AUDIENCE_PARAM[audience as AudienceParam]))
    .filter((c) => !domain || c.domains.includes(domain))
    .filter((c) => !sector || c.sector === SECTOR_PARAM[sector])
    .filter((c) => words.every((w) => ` ${c.searchText} ${c.lessons.map((l) => l.searchText).join(" ")}`.includes(` ${w}`)))
    .map(summarize);
  const sectors = Object.entries(SECTOR_PARAM).map(([param, key]) => ({ param, label: SECTORS[key] }));
  return { courses, audience, domain, query, sector, sectors };
}

export default function Catalogue() {
  const { courses, audience, domain, query, sector, sectors } = useLoaderData<typeof loader>();
  const filtered = Boolean(audience || domain || query || sector);
  return (
    <>
      <h1>Khóa học</h1>
      <p>Tất cả khóa học đều miễn phí. Mỗi khóa gồm vài bài ngắn và một bài kiểm tra cuối khóa.</p>
      <Form method="get" className="filters" aria-label="Lọc khóa học">
        <div className="field">
          <label htmlFor="q">Tìm trong khóa học</label>
          <input id="q" name="q" type="search" defaultValue={query} placeholder="Ví dụ: dich vu cong, mã QR" />
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="doi-tuong">Dành cho</label>
            <select id="doi-tuong" name="doi-tuong" defaultValue={audience}>
              <option value="">Tất cả mọi người</option>
              <option value="nguoi-dan">Người dân</option>
              <option value="can-bo">Cán bộ, công chức, viên chức</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="mien">Miền năng lực số</label>
            <select id="mien" name="mien" defaultValue={domain ? String(domain) : ""}>
              <option value="">Tất cả các miền</option>
              {DOMAINS.map((d) => (
                <option key={d.number} value={d.number}>
                  {d.number}. {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="linh-vuc">Lĩnh vực</label>
            <select id="linh-vuc" name="linh-vuc" defaultValue={sector}>
              <option value="">Tất cả các lĩnh vực</option>
              {sectors.map((s) => (
                <option key={s.param} value={s.param}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit">Lọc khóa học</button>
          {filtered ? (
            <Link className="button secondary" to="/khoa-hoc">
              Xóa bộ lọc
            </Link>
          ) : null}
        </div>
      </Form>
      <p role="status">{courses.length === 0 ? "Không có khóa học nào phù hợp. Hãy thử bỏ bớt điều kiện lọc." : `Có ${courses.length} khóa học.`}</p>
      <ul className="cards">
        {courses.map((course) => (
          <CourseCard key={course.slug} course={course} />
        ))}
      </ul>
    </>
  );
}
