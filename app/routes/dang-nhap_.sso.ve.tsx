import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { endSession, startSession } from "~/accounts/lucia.server";
import { getUser } from "~/accounts/session.server";
import { clearFlowCookie, finishSsoLogin, ssoSettings } from "~/accounts/sso.server";
import { publicOrigin } from "~/records/origin.server";
import { notFound } from "~/ui/http.server";
import { FormError } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Đăng nhập — Học vụ số Tây Ninh" }];

// The provider sends the browser back here (decision 024).
export async function loader({ request }: LoaderFunctionArgs) {
  const settings = ssoSettings();
  if (!settings) notFound("Đăng nhập bằng tài khoản định danh chưa được bật trên hệ thống này.");
  const result = await finishSsoLogin(settings, `${publicOrigin(request)}/dang-nhap/sso/ve`, new URL(request.url), request.headers.get("Cookie"));
  if (result.kind === "refused")
    return data({ message: result.message }, { status: 400, headers: { "Set-Cookie": clearFlowCookie(), "Cache-Control": "no-store" } });
  if (result.kind === "needs-link") throw redirect("/dang-nhap/sso/lien-ket", { headers: { "Cache-Control": "no-store" } });
  const previous = await getUser(request);
  if (previous) await endSession(previous.sessionId);
  const headers = new Headers([
    ["Set-Cookie", await startSession(result.personId)],
    ["Set-Cookie", clearFlowCookie()],
  ]);
  throw redirect(result.returnTo, { headers });
}

export default function SsoRefused() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Chưa đăng nhập được</h1>
      <FormError message={message} />
      <p>
        <Link to="/dang-nhap">Về trang đăng nhập</Link>
      </p>
    </>
  );
}
