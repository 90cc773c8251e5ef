import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { verifyCertificate, verifyUrl } from "~/learning/verify.server";
import { Certificate, formatDate } from "~/ui/certificate";
import { PrintButton } from "~/ui/print-button";
import { qrSvg } from "~/ui/qr.server";

export const meta: MetaFunction = () => [{ title: "Kiểm tra chứng nhận — Học vụ số Tây Ninh" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const result = await verifyCertificate(params.code ?? "", context.clientIp);
  const headers = { "Cache-Control": "no-store" };
  if (result.kind === "found") {
    const url = verifyUrl(request, result.certificate.code);
    return data({ ...result, verifyUrl: url, qr: await qrSvg(url) }, { headers });
  }
  return data({ ...result, verifyUrl: "", qr: "" }, { status: result.kind === "limited" ? 429 : 404, headers });
}

export default function VerifyPage() {
  const result = useLoaderData<typeof loader>();
  if (result.kind === "found" && result.revokedAt) {
    return (
      <>
        <div className="error-box" role="alert">
          <strong>✗ Chứng nhận đã bị thu hồi</strong> ngày {formatDate(result.revokedAt)}: chứng nhận này do Học vụ số Tây Ninh cấp nhưng không còn giá trị.
        </div>
        <Certificate certificate={result.certificate} verifyUrl={result.verifyUrl} />
      </>
    );
  }
  if (result.kind === "found") {
    return (
      <>
        <p className="notice" role="status">
          <strong>✓ Chứng nhận hợp lệ.</strong> Chứng nhận này do Học vụ số Tây Ninh cấp.
        </p>
        <PrintButton label="In chứng nhận" hint="Để in: dùng chức năng In của trình duyệt (khổ A4)." />
        <Certificate certificate={result.certificate} verifyUrl={result.verifyUrl} qr={result.qr} />
      </>
    );
  }
  return (
    <>
      <h1>Kiểm tra chứng nhận</h1>
      <div className="error-box" role="alert">
        {result.kind === "limited" ? result.message : `Không tìm thấy chứng nhận có mã “${result.code}”. Hãy kiểm tra lại từng ký tự.`}
      </div>
      <p>
        <Link to="/chung-chi">Nhập mã khác</Link>
      </p>
    </>
  );
}
