import { Form, Link } from "@remix-run/react";
import { TableScroll } from "~/ui/table-scroll";
import { AT_RISK_DAYS, ROSTER_FILTERS, STATUS_LABELS, type RosterCounts, type RosterFilter, type RosterRow, type Unmatched } from "./agency-roster.server";
import type { Deadline } from "./deadlines.server";

// The agency officer's list (issue 17, items 3 and 4): counts first, then one page of the filtered list, the
// reminder buttons, and what happened to the reminders. Plain forms: works without JavaScript.

type Props = {
  code: string;
  period: string;
  counts: RosterCounts;
  deadline: Deadline | null;
  required: number;
  query: { filter: RosterFilter; search: string; page: number };
  list: { rows: RosterRow[]; unmatched: Unmatched[]; hasMore: boolean };
  canRemind: boolean;
  reminded: string | null;
  reminders: { id: number; day: string; seen_at: string | null; full_name: string; personnel_code: string | null }[];
  deliveries: { id: number; recipient: string; status: string; attempts: number; last_error: string | null; created_at: string }[];
};

const DELIVERY_LABELS: Record<string, string> = { pending: "Đang chờ gửi", sending: "Đang gửi", sent: "Đã gửi", failed: "Không gửi được" };

function daysLeftText(daysLeft: number): string {
  if (daysLeft > 0) return `còn ${daysLeft} ngày`;
  if (daysLeft === 0) return "hôm nay là hạn cuối";
  return `đã quá hạn ${-daysLeft} ngày`;
}

function RemindedNotice({ reminded }: { reminded: string }) {
  const [n, emailed, already] = reminded.split("-").map(Number);
  return (
    <p className="notice" role="status">
      Đã nhắc {n || 0} người{emailed ? `, trong đó ${emailed} người nhận thêm thư điện tử` : ""}.
      {already ? ` ${already} người đã được nhắc hôm nay nên không nhắc lại.` : ""} Người được nhắc sẽ thấy lời nhắc khi vào trang cá nhân.
    </p>
  );
}

export function AgencyRoster(props: Props) {
  const { code, period, counts, deadline, query, list, canRemind } = props;
  const behind = counts.total - counts.completed;
  const pageLink = (page: number) => `?${new URLSearchParams({ ky: period, loc: query.filter, ...(query.search ? { tim: query.search } : {}), trang: String(page) })}`;
  return (
    <section aria-labelledby="roster-heading">
      <h2 id="roster-heading">Danh sách cán bộ</h2>
      {props.reminded ? <RemindedNotice reminded={props.reminded} /> : null}
      <p>
        <strong>Còn {behind} người chưa xong</strong>
        {deadline ? <>, hạn <strong>{deadline.label}</strong> ({daysLeftText(deadline.daysLeft)}){deadline.source === "agency" ? " — hạn riêng của cơ quan" : ""}</> : null}.
      </p>
      <ul className="stat-grid">
        <li><strong>{counts.total}</strong> cán bộ trong danh sách</li>
        <li><strong>{counts.completed}</strong> đã hoàn thành</li>
        <li><strong>{counts.inProgress}</strong> đang học</li>
        <li><strong>{counts.notStarted}</strong> chưa bắt đầu ({counts.withoutAccount} chưa có tài khoản)</li>
        <li><strong>{counts.notMatched}</strong> tài khoản chưa khớp danh sách</li>
      </ul>
      {canRemind && behind > counts.withoutAccount ? (
        <Form method="post" className="no-print">
          <input type="hidden" name="intent" value="remind-all" />
          <button type="submit">Nhắc nhở tất cả người chưa xong</button>
          <p className="hint">Mỗi người được nhắc nhiều nhất một lần mỗi ngày. Người chưa có tài khoản không nhận được lời nhắc: hãy nhắc trực tiếp.</p>
        </Form>
      ) : null}
      <Form method="get" className="filters no-print">
        <input type="hidden" name="ky" value={period} />
        <div className="field">
          <label htmlFor="loc">Lọc</label>
          <select id="loc" name="loc" defaultValue={query.filter}>
            {ROSTER_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>{f.label}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tim">Tìm theo họ tên hoặc mã cán bộ</label>
          <input id="tim" name="tim" defaultValue={query.search} aria-describedby="tim-hint" />
          <p className="hint" id="tim-hint">Gõ có dấu hay không dấu đều được. “Sắp đến hạn”: còn {AT_RISK_DAYS} ngày trở xuống mà chưa xong.</p>
        </div>
        <button type="submit">Lọc danh sách</button>
      </Form>
      <p className="no-print">
        <a href={`/bao-cao/co-quan/${code}/danh-sach.csv`} download>Tải toàn bộ danh sách (CSV)</a>
      </p>
      {query.filter === "not-matched" ? (
        <UnmatchedTable rows={list.unmatched} />
      ) : (
        <RosterTable rows={list.rows} required={props.required} canRemind={canRemind} />
      )}
      <nav className="pager" aria-label="Trang">
        {query.page > 1 ? <Link to={pageLink(query.page - 1)}>← Trang trước<small>Trang {query.page - 1}</small></Link> : null}
        {list.hasMore ? <Link className="next" to={pageLink(query.page + 1)}>Trang sau →<small>Trang {query.page + 1}</small></Link> : null}
      </nav>
      {canRemind ? <ReminderLog reminders={props.reminders} deliveries={props.deliveries} /> : null}
    </section>
  );
}

function RosterTable({ rows, required, canRemind }: { rows: RosterRow[]; required: number; canRemind: boolean }) {
  if (!rows.length) return <p className="muted">Không có cán bộ nào khớp với bộ lọc.</p>;
  return (
    <TableScroll label="Bảng cán bộ và tình trạng học">
      <table className="data-table">
        <caption>Cán bộ đang công tác theo danh sách của tỉnh, hiện trạng học các khóa bắt buộc</caption>
        <thead>
          <tr>
            <th scope="col">Mã cán bộ</th><th scope="col">Họ và tên</th><th scope="col">Tình trạng</th><th scope="col" className="num">Khóa đã xong</th>
            {canRemind ? <th scope="col">Nhắc nhở</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.personnelCode}>
              <td>{r.personnelCode}</td>
              <td>{r.fullName}</td>
              <td>{STATUS_LABELS[r.status]}{r.personId ? "" : " (chưa có tài khoản)"}</td>
              <td className="num">{r.coursesCompleted}/{required}</td>
              {canRemind ? (
                <td>
                  {r.personId && r.status !== "completed" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remind-one" />
                      <input type="hidden" name="person" value={r.personId} />
                      <button type="submit" className="secondary" aria-label={`Nhắc nhở ${r.fullName}`}>Nhắc nhở</button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function UnmatchedTable({ rows }: { rows: Unmatched[] }) {
  if (!rows.length) return <p className="muted">Không có tài khoản nào chưa khớp danh sách.</p>;
  return (
    <TableScroll label="Tài khoản chưa khớp danh sách">
      <table className="data-table">
        <caption>Tài khoản khai báo thuộc cơ quan nhưng chưa khớp danh sách cán bộ (chưa được tính vào chỉ tiêu)</caption>
        <thead>
          <tr><th scope="col">Mã cán bộ khai báo</th><th scope="col">Họ và tên</th><th scope="col">Tên đăng nhập</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.personId}><td>{r.personnelCode}</td><td>{r.fullName}</td><td>{r.username}</td></tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ReminderLog({ reminders, deliveries }: Pick<Props, "reminders" | "deliveries">) {
  if (!reminders.length && !deliveries.length) return null;
  return (
    <details>
      <summary>Lời nhắc và thư đã gửi gần đây</summary>
      <ul>
        {reminders.map((r) => (
          <li key={`r${r.id}`}>{r.full_name} ({r.personnel_code}) — nhắc ngày {r.day.split("-").reverse().join("/")}: {r.seen_at ? "đã đọc" : "chưa đọc"}</li>
        ))}
      </ul>
      <ul>
        {deliveries.map((d) => (
          <li key={`d${d.id}`}>
            Thư tới {d.recipient}: {DELIVERY_LABELS[d.status] ?? d.status}
            {d.attempts > 1 ? ` sau ${d.attempts} lần thử` : ""}
            {d.last_error && d.status !== "sent" ? ` (lỗi: ${d.last_error})` : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}
