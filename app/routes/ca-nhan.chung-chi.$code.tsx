import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { findCertificate, normalizeCode } from "~/learning/certificates.server";
import { verifyUrl } from "~/learning/verify.server";
import { Certificate } from "~/ui/certificate";
import { PrintButton } from "~/ui/print-button";
import { qrSvg } from "~/ui/qr.server";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction = () => [{ title: "Chứng nhận của tôi — Học vụ số Tây Ninh" }];

// The owner's printable copy (A4 via the print stylesheet). Someone else's code is simply not found here.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = normalizeCode(params.code ?? "");
  const found = code ? await findCertificate(code) : undefined;
  if (!found || found.personId !== user.id) notFound("Không tìm thấy chứng nhận này trong tài khoản của bạn.");
  const { personId: _p, ...certificate } = found;
  const url = verifyUrl(request, certificate.code);
  return { certificate, verifyUrl: url, qr: await qrSvg(url) };
}

export default function MyCertificate() {
  const { certificate, verifyUrl, qr } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to="/ca-nhan">← Trang của tôi</Link>
      </p>
      <PrintButton label="In chứng nhận" hint="Để in: dùng chức năng In của trình duyệt (khổ A4)." />
      <Certificate certificate={certificate} verifyUrl={verifyUrl} qr={qr} />
      <p className="no-print">
        Người khác có thể kiểm tra chứng nhận này tại <Link to={`/chung-chi/${certificate.code}`}>{verifyUrl}</Link>.
      </p>
      <p className="no-print">
        <a href={`/ca-nhan/chung-chi/${certificate.code}/tai-ve`} download>
          Tải chứng nhận điện tử (có chữ ký số, chuẩn Open Badges 3.0)
        </a>
        : gửi tệp này cho nơi cần xem, họ tự kiểm tra được mà không cần gọi điện hỏi.
      </p>
    </>
  );
}
