import { Form, Link } from "@remix-run/react";
import type { OfficialOverview } from "./official-overview.server";

// The official's part of their own page (issue 17, item 1). Plain HTML: works without JavaScript.

const STATE_LABELS = { done: "✓ Đã xong", "in-progress": "Đang học", "not-started": "Chưa bắt đầu" } as const;

function daysLeftText(daysLeft: number): string {
  if (daysLeft > 0) return `còn ${daysLeft} ngày`;
  if (daysLeft === 0) return "hôm nay là hạn cuối";
  return `đã quá hạn ${-daysLeft} ngày`;
}

type Reminder = { id: number; message: string };

export function OfficialSection({ overview, reminders, email }: { overview: OfficialOverview; reminders: Reminder[]; email: string | null }) {
  const { courses, doneCount, deadline, match, continueLink } = overview;
  return (
    <section className="card official" aria-labelledby="official-heading">
      {reminders.length ? (
        <div className="notice" role="status">
          <h2>Nhắc nhở từ cơ quan</h2>
          {reminders.map((r) => (
            <p key={r.id}>{r.message}</p>
          ))}
          <Form method="post" action="/ca-nhan/nhac-nho">
            <input type="hidden" name="intent" value="seen" />
            <button type="submit" className="secondary">Tôi đã đọc</button>
          </Form>
        </div>
      ) : null}
      <h2 id="official-heading">Khóa học bắt buộc của cán bộ</h2>
      <p className="big-number">
        {doneCount}/{courses.length} <span className="muted">khóa đã xong</span>
      </p>
      {deadline ? (
        <p>
          Hạn hoàn thành: <strong>{deadline.label}</strong> ({daysLeftText(deadline.daysLeft)})
          {deadline.source === "agency" ? " — hạn riêng của cơ quan bạn" : ""}.
        </p>
      ) : null}
      <ul className="required-courses">
        {courses.map((c) => (
          <li key={c.slug}>
            <Link to={`/khoa-hoc/${c.slug}`}>{c.title}</Link>: <strong>{STATE_LABELS[c.state]}</strong>
          </li>
        ))}
      </ul>
      <div className={match.counted ? "notice" : "error-box"} role={match.counted ? undefined : "alert"}>
        <p>
          <strong>{match.counted ? "Được tính vào chỉ tiêu." : "Chưa được tính vào chỉ tiêu."}</strong> {match.reason}
        </p>
        {match.action ? <p>{match.action}</p> : null}
      </div>
      {continueLink ? (
        <p>
          <Link className="button" to={continueLink.href}>Học tiếp</Link> <span className="muted">{continueLink.label}</span>
        </p>
      ) : doneCount === courses.length && courses.length ? (
        <p className="done-mark">Bạn đã hoàn thành tất cả các khóa bắt buộc.</p>
      ) : null}
      <details>
        <summary>Nhận nhắc nhở qua thư điện tử{email ? `: ${email}` : ""}</summary>
        <Form method="post" action="/ca-nhan/nhac-nho">
          <input type="hidden" name="intent" value="email" />
          <div className="field">
            <label htmlFor="official-email">Địa chỉ thư điện tử (không bắt buộc)</label>
            <input id="official-email" name="email" type="email" autoComplete="email" defaultValue={email ?? ""} aria-describedby="official-email-hint" />
            <p className="hint" id="official-email-hint">Chỉ dùng để gửi nhắc nhở học tập. Để trống rồi bấm Lưu để không nhận thư nữa.</p>
          </div>
          <button type="submit">Lưu</button>
        </Form>
      </details>
    </section>
  );
}
