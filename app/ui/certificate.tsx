import type { CertificateView } from "~/learning/certificates.server";
import { QrCode } from "~/ui/print-button";

export function formatDate(iso: string) {
  return new Date(iso).toLocaleDateString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" });
}

/** The certificate itself: what is printed on A4 and shown on the public verification page. */
export function Certificate({ certificate, verifyUrl, qr }: { certificate: Omit<CertificateView, "courseSlug">; verifyUrl: string; qr?: string }) {
  return (
    <section className="certificate" aria-labelledby="certificate-title">
      <p>Học vụ số Tây Ninh · Phong trào “Bình dân học vụ số”</p>
      <h1 id="certificate-title">Chứng nhận hoàn thành khóa học</h1>
      <p>Trao cho</p>
      <p className="name">{certificate.fullName}</p>
      <p>đã hoàn thành khóa học</p>
      <p className="name">{certificate.courseTitle}</p>
      <p>Năng lực số (Thông tư 02/2025/TT-BGDĐT): {certificate.competences.map((c) => `${c.code} ${c.name}`).join("; ")}</p>
      <p>Ngày cấp: {formatDate(certificate.issuedAt)}</p>
      <p>
        Mã chứng nhận: <span className="code">{certificate.displayCode}</span>
      </p>
      <div className="verify-row">
        {qr ? <QrCode svg={qr} label={`Mã QR mở trang kiểm tra chứng nhận: ${verifyUrl}`} /> : null}
        <p className="muted">Quét mã QR hoặc mở {verifyUrl} để kiểm tra chứng nhận này.</p>
      </div>
    </section>
  );
}
