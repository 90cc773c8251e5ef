import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { blankSessionCookie } from "~/accounts/lucia.server";
import { deletePerson, passwordMatches } from "~/accounts/people.server";
import { requireOwnDevice } from "~/accounts/session.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Dữ liệu của tôi — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwnDevice(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOwnDevice(request);
  const fields = formFields(await readForm(request));
  if (fields.confirm !== "yes") return invalid({ errors: { confirm: "Hãy đánh dấu ô xác nhận nếu bạn chắc chắn muốn xóa." } });
  if (!(await passwordMatches(user.id, fields.password ?? ""))) return invalid({ errors: { password: "Mật khẩu chưa đúng." } });
  await deletePerson(user.id);
  throw redirect("/?da-xoa-tai-khoan=1", { headers: { "Set-Cookie": blankSessionCookie() } });
}

export default function MyData() {
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <h1>Dữ liệu của tôi</h1>
      <p>
        Chúng tôi chỉ lưu những gì cần để ghi nhận việc học của bạn: họ tên, năm sinh, xã/phường, tên đăng nhập (và với cán bộ:
        cơ quan, mã cán bộ), bài đã học, bài kiểm tra đã làm và chứng nhận. <Link to="/quyen-rieng-tu">Chính sách dữ liệu cá nhân</Link>.
      </p>
      <h2>Tải về dữ liệu</h2>
      <p>Một tệp JSON chứa toàn bộ dữ liệu về bạn.</p>
      <p><a className="button secondary" href="/ca-nhan/du-lieu/tai-ve" download>Tải về dữ liệu của tôi</a></p>
      <h2>Xóa tài khoản</h2>
      <p>
        Khi xóa, mọi dữ liệu về bạn (tiến độ, bài kiểm tra, chứng nhận) bị xóa vĩnh viễn và không khôi phục được. Mã chứng nhận
        của bạn sẽ không còn tra cứu được. Hệ thống chỉ giữ lại con số thống kê không gắn với tên ai.
      </p>
      <FormError message={Object.keys(errors).length ? "Chưa xóa được tài khoản." : null} />
      <Form method="post">
        <Field name="password" type="password" label="Nhập mật khẩu để xác nhận" autoComplete="current-password" error={errors.password} required />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" />
            <span>Tôi hiểu rằng tài khoản và dữ liệu sẽ bị xóa vĩnh viễn.</span>
          </label>
          {errors.confirm ? <p className="field-error">{errors.confirm}</p> : null}
        </div>
        <button type="submit" className="danger">Xóa tài khoản của tôi</button>
      </Form>
    </>
  );
}
