import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirectPath } from "~/accounts/session.server";
import { ssoSettings, startSsoLogin } from "~/accounts/sso.server";
import { publicOrigin } from "~/records/origin.server";
import { notFound } from "~/ui/http.server";

// Starts an OpenID Connect login (decision 024): off unless OIDC_ISSUER and OIDC_CLIENT_ID are set.
export async function loader({ request }: LoaderFunctionArgs) {
  const settings = ssoSettings();
  if (!settings) notFound("Đăng nhập bằng tài khoản định danh chưa được bật trên hệ thống này.");
  const returnTo = safeRedirectPath(new URL(request.url).searchParams.get("tiep"));
  let started: Awaited<ReturnType<typeof startSsoLogin>>;
  try {
    started = await startSsoLogin(settings, `${publicOrigin(request)}/dang-nhap/sso/ve`, returnTo);
  } catch {
    return new Response("Hệ thống định danh đang không trả lời. Bạn hãy thử lại sau ít phút, hoặc đăng nhập bằng mật khẩu.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "60" },
    });
  }
  throw redirect(started.location, { headers: { "Set-Cookie": started.cookie, "Cache-Control": "no-store" } });
}
