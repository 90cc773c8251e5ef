import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { deviceTokenFrom, rememberLogin } from "~/accounts/known-login.server";
import { startSession } from "~/accounts/lucia.server";
import { getUser, safeRedirectPath } from "~/accounts/session.server";
import { claimVisitorWork } from "~/learning/visitor-work.server";
import { signUp } from "~/accounts/signup.server";
import { listAgencies } from "~/organisation/agencies.server";
import { listCommunes } from "~/organisation/communes.server";
import { Field, FormError, SelectField } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Đăng ký tài khoản — Học vụ số Tây Ninh" }];

function kindOf(url: URL): "citizen" | "official" {
  return url.searchParams.get("loai") === "can-bo" ? "official" : "citizen";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (await getUser(request)) throw redirect("/ca-nhan");
  const kind = kindOf(url);
  return {
    kind,
    next: safeRedirectPath(url.searchParams.get("tiep"), ""),
    keptWork: url.searchParams.has("giu-bai"),
    communes: (await listCommunes()).map((c) => c.label),
    agencies: kind === "official" ? await listAgencies() : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  // Decided before the account is created: nothing about the redirect may fail after that write.
  const next = safeRedirectPath(url.searchParams.get("tiep"), "/ca-nhan?chao=1");
  const fields = formFields(await readForm(request));
  const ip = context.clientIp;
  const result = await signUp(kindOf(url), fields, ip);
  if (!result.ok) {
    const { errors, values, communeChoices = [], error = null, status = 400 } = result;
    return invalid({ errors, values, communeChoices, error }, status);
  }
  const cookie = await startSession(result.personId);
  // The phone that created the account counts as known to it: strangers' guesses will not slow it down.
  const deviceCookie = await rememberLogin(result.personId, deviceTokenFrom(request.headers.get("Cookie")), ip);
  const headers = new Headers([
    ["Set-Cookie", cookie],
    ["Set-Cookie", deviceCookie],
  ]);
  // Lessons read and answers given before signing in come into the account (decision 020).
  const carried = await claimVisitorWork(result.personId, request.headers.get("Cookie"));
  if (carried) headers.append("Set-Cookie", carried);
  throw redirect(next, { headers });
}

/**
 * After an error the page never sends a typed password back (decision 027): the page reloads (it ships no
 * JavaScript) and the boxes are empty, so each says so in words next to it.
 */
function PasswordRetypeNote() {
  return <span className="retype-note"> Vì an toàn, mật khẩu không được giữ lại: hãy nhập lại mật khẩu.</span>;
}

export default function SignUp() {
  const { kind, next, keptWork, communes, agencies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  const query = (loai: string) => `?${new URLSearchParams({ ...(loai ? { loai } : {}), ...(next ? { tiep: next } : {}) })}`;
  return (
    <>
      <h1>Đăng ký tài khoản</h1>
      {keptWork ? (
        <p className="notice" role="status">
          Câu trả lời của bạn đã được giữ. Đăng ký xong (hoặc <Link to={`/dang-nhap?tiep=${encodeURIComponent(next)}`}>đăng nhập</Link> nếu đã có tài khoản),
          bạn sẽ quay lại bài kiểm tra với các câu đã chọn để nộp bài.
        </p>
      ) : null}
      <p>Tài khoản giúp bạn lưu bài đã học, học tiếp trên máy khác và nhận chứng nhận. Miễn phí.</p>
      <nav className="tabs" aria-label="Loại tài khoản">
        <Link to={query("")} aria-current={kind === "citizen" ? "page" : undefined}>
          Người dân
        </Link>
        <Link to={query("can-bo")} aria-current={kind === "official" ? "page" : undefined}>
          Cán bộ, công chức, viên chức
        </Link>
      </nav>
      <FormError message={result?.error ?? (Object.keys(errors).length ? "Vui lòng sửa các mục được đánh dấu bên dưới." : null)} />
      <Form method="post" noValidate>
        <Field name="full_name" label="Họ và tên" autoComplete="name" defaultValue={values.full_name} error={errors.full_name} required />
        <Field
          name="username"
          label="Số điện thoại hoặc tên đăng nhập"
          hint="Dùng để đăng nhập. Không có số điện thoại? Hãy tự đặt một tên, ví dụ: bacnam1960."
          autoComplete="username"
          defaultValue={values.username}
          error={errors.username}
          required
        />
        <Field
          name="password"
          type="password"
          label="Mật khẩu"
          hint={<>Ít nhất 8 ký tự. Hãy ghi nhớ hoặc ghi lại ở nơi an toàn.{result ? <PasswordRetypeNote /> : null}</>}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <Field
          name="password_confirm"
          type="password"
          label="Nhập lại mật khẩu"
          hint={result ? <PasswordRetypeNote /> : undefined}
          autoComplete="new-password"
          error={errors.password_confirm}
          required
        />
        <Field
          name="birth_year"
          label="Năm sinh"
          inputMode="numeric"
          placeholder="Ví dụ: 1965"
          defaultValue={values.birth_year}
          error={errors.birth_year}
          required
        />
        <Field
          name="commune"
          label="Xã/phường nơi bạn sống"
          hint="Gõ tên xã/phường, có dấu hay không dấu đều được. Có thể gõ tên cũ trước năm 2025."
          list="communes"
          defaultValue={values.commune}
          error={errors.commune}
          required
        />
        <datalist id="communes">
          {communes.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {result?.communeChoices?.length ? (
          <fieldset>
            <legend>Bạn ở xã/phường nào?</legend>
            <div className="choices">
              {result.communeChoices.map((c) => (
                <label key={c.code}>
                  {/* One possible commune (an old name): already chosen, the person only confirms. */}
                  <input type="radio" name="commune_code" value={c.code} defaultChecked={result.communeChoices!.length === 1} />
                  <span>
                    {c.label}
                    {c.formerName ? ` (nay gồm cả ${c.formerName})` : ""}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {kind === "official" ? (
          <>
            <SelectField
              name="agency_code"
              label="Cơ quan, đơn vị công tác"
              placeholder="— Chọn cơ quan, đơn vị —"
              options={agencies.map((a) => ({ value: a.code, label: a.name }))}
              defaultValue={values.agency_code ?? ""}
              error={errors.agency_code}
            />
            <Field
              name="personnel_code"
              label="Mã cán bộ"
              hint="Mã do cơ quan cấp, dùng để đối chiếu với danh sách cán bộ của tỉnh."
              defaultValue={values.personnel_code}
              error={errors.personnel_code}
              required
            />
          </>
        ) : null}
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              name="consent"
              value="yes"
              defaultChecked={values.consent === "yes"}
              aria-describedby={errors.consent ? "consent-error" : undefined}
            />
            <span>
              Tôi đồng ý để Học vụ số Tây Ninh lưu và xử lý thông tin trên (họ tên, năm sinh, xã/phường{kind === "official" ? ", cơ quan, mã cán bộ" : ""}) và
              kết quả học tập của tôi để ghi nhận việc học và cấp chứng nhận. Tôi có thể tải về hoặc xóa dữ liệu bất cứ lúc nào.{" "}
              <Link to="/quyen-rieng-tu">Đọc chính sách dữ liệu cá nhân</Link>.
            </span>
          </label>
          {errors.consent ? (
            <p className="field-error" id="consent-error">
              {errors.consent}
            </p>
          ) : null}
        </div>
        <button type="submit">Tạo tài khoản</button>
      </Form>
      <p>
        Đã có tài khoản? <Link to={`/dang-nhap${next ? `?tiep=${encodeURIComponent(next)}` : ""}`}>Đăng nhập</Link>
      </p>
    </>
  );
}
