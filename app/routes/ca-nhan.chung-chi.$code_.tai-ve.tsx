import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/accounts/session.server";
import { findCertificate, normalizeCode } from "~/learning/certificates.server";
import { signedCredential } from "~/records/credentials.server";
import { publicOrigin } from "~/records/origin.server";
import { NoSigningKey } from "~/records/signing-key.server";
import { notFound } from "~/ui/http.server";

// The owner's certificate as a signed Open Badges 3.0 credential (a VC-JWT file, decision 022).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = normalizeCode(params.code ?? "");
  const found = code ? await findCertificate(code) : undefined;
  if (!found || found.personId !== user.id) notFound("Không tìm thấy chứng nhận này trong tài khoản của bạn.");
  let token: string;
  try {
    token = await signedCredential(found, publicOrigin(request));
  } catch (error) {
    if (!(error instanceof NoSigningKey)) throw error;
    return new Response("Chưa tải được chứng nhận điện tử: hệ thống chưa có khóa ký. Bạn vui lòng thử lại sau.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "3600" },
    });
  }
  return new Response(token, {
    headers: {
      "Content-Type": "application/jwt; charset=utf-8",
      "Content-Disposition": `attachment; filename="chung-chi-${found.code}.jwt"`,
      "Cache-Control": "no-store",
    },
  });
}
