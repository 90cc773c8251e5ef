import { Link } from "@remix-run/react";
import type { ClassCourse, MyClass } from "~/learning/my-classes.server";

// Sections of the learner's own page (/ca-nhan), kept apart from the route so other sections can be added
// beside them without touching these.

type Resume = { title: string; next: { href: string; label: string } | null } | null;
type Suggestion = { slug: string; title: string; summary: string } | null;

/** The first thing on the page: where to continue, or what to start, never "not started" above a finished course. */
export function NextStep({ resume, doneCount, suggestion }: { resume: Resume; doneCount: number; suggestion: Suggestion }) {
  if (resume?.next) {
    return (
      <div className="card">
        <h2>Học tiếp</h2>
        <p>
          {resume.title}: {resume.next.label}
        </p>
        <Link className="button" to={resume.next.href}>
          Học tiếp
        </Link>
      </div>
    );
  }
  return (
    <div className="card">
      {doneCount ? (
        <p>
          Bạn đã hoàn thành <strong>{doneCount}</strong> khóa học. Rất tốt!
        </p>
      ) : (
        <p>Bạn chưa bắt đầu khóa học nào.</p>
      )}
      {suggestion ? (
        <SuggestedCourse suggestion={suggestion} />
      ) : (
        <p>
          <Link to="/khoa-hoc">Xem tất cả khóa học</Link>
        </p>
      )}
    </div>
  );
}

function SuggestedCourse({ suggestion }: { suggestion: NonNullable<Suggestion> }) {
  return (
    <>
      <h2>Khóa học nên học tiếp</h2>
      <p>
        <strong>{suggestion.title}</strong>: {suggestion.summary}
      </p>
      <div className="actions">
        <Link className="button" to={`/khoa-hoc/${suggestion.slug}`}>
          Bắt đầu khóa này
        </Link>
        <Link className="button secondary" to="/khoa-hoc">
          Xem khóa khác
        </Link>
      </div>
    </>
  );
}

function classCourseState(c: ClassCourse) {
  if (c.state === "done") return <span className="done-mark">✓ Đã hoàn thành</span>;
  if (c.state === "started") return <span>Đã học {c.percent}%</span>;
  return <span className="muted">Chưa bắt đầu</span>;
}

/** The classes the learner belongs to, with the courses their trainer chose. */
export function MyClasses({ classes }: { classes: MyClass[] }) {
  return (
    <section aria-labelledby="my-classes">
      <h2 id="my-classes">Lớp học của tôi</h2>
      {classes.length ? (
        <ul className="cards">
          {classes.map((c) => (
            <li key={c.id} className="card">
              <h3>{c.name}</h3>
              {c.trainers.length ? <p className="muted">Người hướng dẫn: {c.trainers.join(", ")}</p> : null}
              <ul className="link-list">
                {c.courses.map((course) => (
                  <li key={course.slug}>
                    <Link to={`/khoa-hoc/${course.slug}`}>{course.title}</Link> — {classCourseState(course)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">
          Bạn chưa ở trong lớp học nào. Nếu người hướng dẫn đưa bạn mã lớp, hãy vào <Link to="/tham-gia">Tham gia lớp học</Link>.
        </p>
      )}
    </section>
  );
}

type Domain = { number: number; name: string; summary: string; competences: { code: string; name: string; achieved: boolean }[] };

/** The competence profile in plain words first; the framework's official names stay inside for those who need them. */
export function CompetenceProfile({ profile, achievedCount }: { profile: Domain[]; achievedCount: number }) {
  return (
    <section aria-labelledby="my-skills">
      <h2 id="my-skills">Kỹ năng số bạn đã học được</h2>
      <p>
        Các khóa đã hoàn thành giúp bạn đạt <strong>{achievedCount}</strong> trên 24 kỹ năng của khung năng lực số quốc gia (mức cơ bản). Bấm vào từng nhóm để
        xem chi tiết.
      </p>
      {profile.map((d) => {
        const got = d.competences.filter((c) => c.achieved).length;
        return (
          <details key={d.number}>
            <summary>
              {d.summary} Đã đạt {got} trên {d.competences.length} kỹ năng.
            </summary>
            <p className="muted">
              Tên trong khung năng lực số: Miền {d.number}. {d.name}
            </p>
            <ul>
              {d.competences.map((c) => (
                <li key={c.code}>
                  {c.achieved ? <span className="done-mark">✓ Đã đạt: </span> : <span className="locked">○ Chưa đạt: </span>}
                  {c.name}
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </section>
  );
}
