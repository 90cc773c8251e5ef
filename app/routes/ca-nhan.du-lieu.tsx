import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { blankSessionCookie } from "~/accounts/lucia.server";
import { deletePerson, passwordMatches } from "~/accounts/people.server";
import { requireOwnDevice } from "~/accounts/session.server";
import { citizenIdOf, CITIZEN_ID, removeCitizenId, saveCitizenId } from "~/records/confirmations.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Dữ liệu của tôi — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireOwnDevice(request);
  const citizenId = await citizenIdOf(user.id);
  // Only the last 4 digits are shown back: the page may be on a shared screen.
  return { citizenId: citizenId ? { last4: citizenId.citizen_id.slice(-4), consentedAt: citizenId.consented_at } : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOwnDevice(request);
  const fields = formFields(await readForm(request));
  if (fields.intent === "cccd") return citizenIdAction(user.id, fields);
  if (fields.confirm !== "yes") return invalid({ errors: { confirm: "Hãy đánh dấu ô xác nhận nếu bạn chắc chắn muốn xóa." } });
  if (!(await passwordMatches(user.id, fields.password ?? ""))) return invalid({ errors: { password: "Mật khẩu chưa đúng." } });
  await deletePerson(user.id);
  throw redirect("/?da-xoa-tai-khoan=1", { headers: { "Set-Cookie": blankSessionCookie() } });
}

/** The optional citizen ID for the national records (issue 20): given, changed or withdrawn by the learner. */
async function citizenIdAction(personId: string, fields: Record<string, string>) {
  if (fields.remove === "yes") {
    await removeCitizenId(personId);
    return { ok: true as const, message: "Đã xóa số CCCD khỏi tài khoản của bạn." };
  }
  const citizenId = (fields.citizen_id ?? "").replace(/\s/g, "");
  if (!CITIZEN_ID.test(citizenId)) return invalid({ errors: { citizen_id: "Số CCCD gồm đúng 12 chữ số." } });
  if (fields.consent !== "yes") return invalid({ errors: { consent: "Hãy đánh dấu ô đồng ý nếu bạn muốn cung cấp số CCCD." } });
  await saveCitizenId(personId, citizenId);
  return { ok: true as const, message: "Đã lưu số CCCD và sự đồng ý của bạn." };
}

export default function MyData() {
  const { citizenId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result && "errors" in result ? result.errors : {};
  return (
    <>
      <h1>Dữ liệu của tôi</h1>
      <p>
        Chúng tôi chỉ lưu những gì cần để ghi nhận việc học của bạn: họ tên, năm sinh, xã/phường, tên đăng nhập (và với cán bộ: cơ quan, mã cán bộ), bài đã học,
        bài kiểm tra đã làm và chứng nhận. <Link to="/quyen-rieng-tu">Chính sách dữ liệu cá nhân</Link>.
      </p>
      <h2>Tải về dữ liệu</h2>
      <p>Một tệp JSON chứa toàn bộ dữ liệu về bạn.</p>
      <p>
        <a className="button secondary" href="/ca-nhan/du-lieu/tai-ve" download>
          Tải về dữ liệu của tôi
        </a>
      </p>
      <h2>Số căn cước công dân (không bắt buộc)</h2>
      <p>
        Nếu bạn muốn kết quả học được ghi vào cơ sở dữ liệu quốc gia, bạn có thể cung cấp số CCCD. Số này chỉ dùng để gửi xác nhận hoàn thành cho cơ quan nhà
        nước. Bạn có thể xóa bất cứ lúc nào.
      </p>
      {result && "message" in result ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {citizenId ? (
        <Form method="post">
          <input type="hidden" name="intent" value="cccd" />
          <input type="hidden" name="remove" value="yes" />
          <p>
            Bạn đã cung cấp số CCCD có 4 số cuối <strong>{citizenId.last4}</strong>.
          </p>
          <button type="submit" className="secondary">
            Xóa số CCCD
          </button>
        </Form>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="cccd" />
          <Field name="citizen_id" label="Số CCCD (12 chữ số)" inputMode="numeric" autoComplete="off" error={errors.citizen_id} />
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" name="consent" value="yes" />
              <span>Tôi đồng ý cung cấp số CCCD để gửi xác nhận hoàn thành cho cơ sở dữ liệu quốc gia.</span>
            </label>
            {errors.consent ? <p className="field-error">{errors.consent}</p> : null}
          </div>
          <button type="submit">Lưu số CCCD</button>
        </Form>
      )}
      <h2>Xóa tài khoản</h2>
      <p>
        Khi xóa, mọi dữ liệu về bạn (tiến độ, bài kiểm tra, chứng nhận) bị xóa vĩnh viễn và không khôi phục được. Mã chứng nhận của bạn sẽ không còn tra cứu
        được. Hệ thống chỉ giữ lại con số thống kê không gắn với tên ai.
      </p>
      <FormError message={errors.password || errors.confirm ? "Chưa xóa được tài khoản." : null} />
      <Form method="post">
        <Field name="password" type="password" label="Nhập mật khẩu để xác nhận" autoComplete="current-password" error={errors.password} required />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" />
            <span>Tôi hiểu rằng tài khoản và dữ liệu sẽ bị xóa vĩnh viễn.</span>
          </label>
          {errors.confirm ? <p className="field-error">{errors.confirm}</p> : null}
        </div>
        <button type="submit" className="danger">
          Xóa tài khoản của tôi
        </button>
      </Form>
    </>
  );
}
