import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { logIn } from "~/accounts/login.server";
import { startSession } from "~/accounts/lucia.server";
import { signUp } from "~/accounts/signup.server";
import { clearFlowCookie, linkIdentity, pendingLink, ssoSettings } from "~/accounts/sso.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";
import { notFound } from "~/ui/http.server";

export const meta: MetaFunction = () => [{ title: "Gắn tài khoản — Học vụ số Tây Ninh" }];

// First sign-on with an identity not linked yet (decision 024): the person proves an existing account with its
// password or PIN, or creates a new one. Names are never matched: two people can share a name and a birth year.

const EXPIRED = "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại từ đầu.";

export async function loader({ request }: LoaderFunctionArgs) {
  const settings = ssoSettings();
  if (!settings) notFound("Đăng nhập bằng tài khoản định danh chưa được bật trên hệ thống này.");
  const pending = await pendingLink(request.headers.get("Cookie"));
  if (!pending) return data({ expired: true as const, label: settings.label, claimedName: "" }, { status: 400 });
  return { expired: false as const, label: settings.label, claimedName: pending.claimedName };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!ssoSettings()) notFound();
  const pending = await pendingLink(request.headers.get("Cookie"));
  const fields = formFields(await readForm(request));
  if (!pending) return invalid({ intent: fields.intent, error: EXPIRED, errors: {} as Record<string, string> });
  let personId: string;
  const extraCookies: string[] = [];
  if (fields.intent === "existing") {
    const result = await logIn(fields.username ?? "", fields.password ?? "", context.clientIp);
    if (!result.ok) return invalid({ intent: "existing", error: result.error, errors: {} as Record<string, string> }, result.status);
    personId = result.personId;
    extraCookies.push(result.deviceCookie);
  } else if (fields.intent === "new") {
    const result = await signUp("citizen", fields, context.clientIp);
    if (!result.ok)
      return invalid(
        { intent: "new", error: result.error ?? "Chưa tạo được tài khoản: hãy sửa các ô có lỗi.", errors: result.errors as Record<string, string> },
        result.status ?? 400,
      );
    personId = result.personId;
  } else {
    return invalid({ intent: "", error: "Thao tác không hợp lệ.", errors: {} as Record<string, string> });
  }
  if ((await linkIdentity(pending, personId)) === "taken") {
    return invalid(
      {
        intent: fields.intent,
        error: "Tài khoản định danh này hoặc tài khoản Học vụ số này đã được gắn với người khác. Hãy liên hệ quản trị viên.",
        errors: {} as Record<string, string>,
      },
      409,
    );
  }
  const headers = new Headers([
    ["Set-Cookie", await startSession(personId)],
    ["Set-Cookie", clearFlowCookie()],
  ]);
  for (const cookie of extraCookies) headers.append("Set-Cookie", cookie);
  throw redirect(pending.returnTo, { headers });
}

export default function LinkAccount() {
  const { expired, label, claimedName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  if (expired) {
    return (
      <>
        <h1>Gắn tài khoản</h1>
        <FormError message={EXPIRED} />
        <p>
          <Link to="/dang-nhap">Về trang đăng nhập</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Lần đầu đăng nhập bằng {label}</h1>
      <p>
        {claimedName ? (
          <>
            Xin chào <strong>{claimedName}</strong>.{" "}
          </>
        ) : null}
        Tài khoản {label} của bạn chưa gắn với tài khoản Học vụ số nào. Nếu bạn đã có tài khoản, hãy đăng nhập một lần bằng mật khẩu (hoặc mã PIN người hướng
        dẫn đưa) để gắn. Nếu chưa có, hãy tạo tài khoản mới.
      </p>
      {/* Both forms have a username and a password: their own ids, so each label names its own input. */}
      <h2>Tôi đã có tài khoản</h2>
      {result?.intent === "existing" ? <FormError message={result.error} /> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="existing" />
        <Field name="username" id="existing-username" label="Số điện thoại hoặc tên đăng nhập" autoComplete="username" required />
        <Field name="password" id="existing-password" type="password" label="Mật khẩu hoặc mã PIN" autoComplete="current-password" required />
        <button type="submit">Gắn vào tài khoản này</button>
      </Form>
      <h2>Tôi chưa có tài khoản</h2>
      {result?.intent === "new" ? <FormError message={result.error} /> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="new" />
        <Field name="full_name" label="Họ và tên" autoComplete="name" defaultValue={claimedName} error={errors.full_name} required />
        <Field name="username" id="new-username" label="Số điện thoại hoặc tên đăng nhập bạn chọn" autoComplete="username" error={errors.username} required />
        <Field name="birth_year" label="Năm sinh" inputMode="numeric" error={errors.birth_year} required />
        <Field name="commune" label="Xã/phường nơi bạn sống" error={errors.commune} required />
        <Field
          name="password"
          id="new-password"
          type="password"
          label="Mật khẩu (ít nhất 8 ký tự)"
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <Field name="password_confirm" type="password" label="Nhập lại mật khẩu" autoComplete="new-password" error={errors.password_confirm} required />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="consent" value="yes" />
            <span>
              Tôi đồng ý để Học vụ số Tây Ninh lưu thông tin trên để ghi nhận việc học (<Link to="/quyen-rieng-tu">chính sách dữ liệu</Link>).
            </span>
          </label>
          {errors.consent ? <p className="field-error">{errors.consent}</p> : null}
        </div>
        <button type="submit">Tạo tài khoản và đăng nhập</button>
      </Form>
    </>
  );
}
