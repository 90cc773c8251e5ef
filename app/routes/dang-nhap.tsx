import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { deviceTokenFrom } from "~/accounts/known-login.server";
import { landingPathFor } from "~/accounts/landing.server";
import { logIn } from "~/accounts/login.server";
import { endSession, startSession } from "~/accounts/lucia.server";
import { getUser, safeRedirectPath } from "~/accounts/session.server";
import { claimVisitorWork } from "~/learning/visitor-work.server";
import { ssoSettings } from "~/accounts/sso.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Đăng nhập — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeRedirectPath(new URL(request.url).searchParams.get("tiep"), "");
  const user = await getUser(request);
  if (user) throw redirect(next || (await landingPathFor(user.id)));
  return { next, sso: ssoSettings()?.label ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Decided before the session is started: nothing about the redirect may fail after that write.
  const asked = safeRedirectPath(new URL(request.url).searchParams.get("tiep"), "");
  const fields = formFields(await readForm(request));
  const deviceToken = deviceTokenFrom(request.headers.get("Cookie"));
  const result = await logIn(fields.username ?? "", fields.password ?? "", context.clientIp, { deviceToken });
  if (!result.ok) return invalid({ error: result.error, username: (fields.username ?? "").slice(0, 100) }, result.status);
  // A new session id at every login; the old one (if any) is ended.
  // Without a page asked for, each role lands where its work is (officers: reports; trainers: cohorts).
  const next = asked || (await landingPathFor(result.personId));
  const previous = await getUser(request);
  if (previous) await endSession(previous.sessionId);
  const cookie = await startSession(result.personId);
  const headers = new Headers([
    ["Set-Cookie", cookie],
    ["Set-Cookie", result.deviceCookie],
  ]);
  // Lessons read and answers given before signing in come into the account (decision 020).
  const carried = await claimVisitorWork(result.personId, request.headers.get("Cookie"));
  if (carried) headers.append("Set-Cookie", carried);
  throw redirect(next, { headers });
}

export default function LogIn() {
  const { next, sso } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Đăng nhập</h1>
      <FormError message={result?.error} />
      <Form method="post">
        <Field name="username" label="Số điện thoại hoặc tên đăng nhập" autoComplete="username" defaultValue={result?.username} required />
        <Field name="password" type="password" label="Mật khẩu" autoComplete="current-password" required />
        <button type="submit">Đăng nhập</button>
      </Form>
      {sso ? (
        <p>
          <a className="button secondary" href={`/dang-nhap/sso${next ? `?tiep=${encodeURIComponent(next)}` : ""}`}>
            Đăng nhập bằng {sso}
          </a>
        </p>
      ) : null}
      <h2>Quên mật khẩu?</h2>
      <p>
        Hãy nhờ người hướng dẫn lớp học của bạn (tổ công nghệ số cộng đồng) hoặc quản trị viên đặt lại. Họ sẽ đưa bạn một mã tạm thời; lần đăng nhập tới, bạn sẽ
        được đề nghị đặt mật khẩu mới.
      </p>
      <p>
        Chưa có tài khoản? <Link to={`/dang-ky${next ? `?tiep=${encodeURIComponent(next)}` : ""}`}>Đăng ký miễn phí</Link>
      </p>
    </>
  );
}
