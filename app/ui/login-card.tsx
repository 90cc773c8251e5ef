import type { Card } from "~/cohorts/enrollment.server";

/** The small card a trainer prints or copies for a learner: the PIN is shown only here, once. */
export function LoginCard({ card }: { card: Card }) {
  return (
    <section className="card-print" aria-label="Thẻ đăng nhập">
      <h2>Học vụ số Tây Ninh</h2>
      <p>Họ tên: <strong>{card.fullName}</strong></p>
      <p>Tên đăng nhập: <span className="code">{card.username}</span></p>
      <p>Mã PIN (dùng một lần): <span className="code">{card.pin}</span></p>
      <p className="muted">Lần đầu đăng nhập, hãy đặt mật khẩu mới. Giữ thẻ này ở nơi an toàn, không cho người lạ xem.</p>
    </section>
  );
}
