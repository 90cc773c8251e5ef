import type { Card } from "~/cohorts/enrollment.server";
import { PrintButton, QrCode } from "~/ui/print-button";

/** Where the card sends people: the site's address (and its QR code) and the class code. */
export type CardPlace = { site: string; joinCode: string; qr: string };

/**
 * The small card a trainer prints or copies for a learner: the PIN is shown only here, once. It carries what
 * the learner needs on their own phone later: the address (written and as a QR code), the class code, and the
 * same word "Mã PIN" the first-login form uses. A lost card is replaced from the learner's page with a new PIN.
 */
export function LoginCard({ card, place }: { card: Card; place: CardPlace }) {
  return (
    <>
      <PrintButton label="In thẻ" hint="Để in: dùng chức năng In của trình duyệt. Mất thẻ? Vào trang của người học, bấm “Tạo mã PIN mới” để in lại." />
      <section className="card-print" aria-label="Thẻ đăng nhập">
        <h2>Học vụ số Tây Ninh</h2>
        <p>
          Họ tên: <strong>{card.fullName}</strong>
        </p>
        <p>
          Tên đăng nhập: <span className="code">{card.username}</span>
        </p>
        <p>
          Mã PIN (dùng một lần): <span className="code">{card.pin}</span>
        </p>
        <p>
          Mã lớp: <span className="code">{place.joinCode}</span>
        </p>
        <p>
          Trang web: <strong>{place.site}</strong>
        </p>
        <QrCode svg={place.qr} label={`Mã QR mở trang ${place.site}`} />
        <p className="muted">
          Quét mã QR hoặc gõ địa chỉ trên, bấm “Đăng nhập”. Lần đầu đăng nhập, nhập Mã PIN rồi đặt mật khẩu mới. Giữ thẻ này ở nơi an toàn, không cho người lạ
          xem.
        </p>
      </section>
    </>
  );
}
