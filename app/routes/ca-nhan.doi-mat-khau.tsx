import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { endAllSessions, startSession } from "~/accounts/lucia.server";
import { passwordField, passwordMatches, setPassword } from "~/accounts/people.server";
import { requireOwnDevice } from "~/accounts/session.server";
import { Field, FormError } from "~/ui/field";
import { fieldErrors, formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Đổi mật khẩu — Học vụ số Tây Ninh" }];

const schema = z.object({
  current: z.string().min(1, "Vui lòng nhập mật khẩu hiện tại (hoặc mã tạm thời)."),
  password: passwordField,
  password_confirm: z.string(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireOwnDevice(request);
  return { forced: user.mustChangePassword };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOwnDevice(request);
  const parsed = schema.safeParse(formFields(await readForm(request)));
  if (!parsed.success) return invalid({ errors: fieldErrors(parsed.error) });
  const { current, password, password_confirm } = parsed.data;
  if (password !== password_confirm) return invalid({ errors: { password_confirm: "Hai lần nhập mật khẩu mới không giống nhau." } });
  if (!(await passwordMatches(user.id, current))) return invalid({ errors: { current: "Mật khẩu hiện tại chưa đúng." } });
  if (current === password) return invalid({ errors: { password: "Mật khẩu mới phải khác mật khẩu cũ." } });
  await setPassword(user.id, password, false);
  // Other devices signed in with the old password are signed out; this one gets a fresh session.
  await endAllSessions(user.id);
  const cookie = await startSession(user.id);
  throw redirect("/ca-nhan?da-doi-mat-khau=1", { headers: { "Set-Cookie": cookie } });
}

export default function ChangePassword() {
  const { forced } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <h1>Đổi mật khẩu</h1>
      {forced ? (
        <p className="notice" role="status">
          Bạn đang dùng mã tạm thời. Hãy đặt mật khẩu riêng của bạn để tiếp tục học.
        </p>
      ) : null}
      <FormError message={Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu bên dưới." : null} />
      <Form method="post">
        <Field
          name="current"
          type="password"
          label={forced ? "Mã PIN (trên thẻ đăng nhập) hoặc mật khẩu tạm thời" : "Mật khẩu hiện tại"}
          autoComplete="current-password"
          error={errors.current}
          required
        />
        <Field name="password" type="password" label="Mật khẩu mới" hint="Ít nhất 8 ký tự." autoComplete="new-password" error={errors.password} required />
        <Field name="password_confirm" type="password" label="Nhập lại mật khẩu mới" autoComplete="new-password" error={errors.password_confirm} required />
        <button type="submit">Lưu mật khẩu mới</button>
      </Form>
    </>
  );
}
