import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/reports/api-tokens.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Mã truy cập API — Quản trị — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { tokens: await listApiTokens() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const fields = formFields(await readForm(request));
  if (fields.intent === "revoke") {
    await revokeApiToken(Number(fields.id));
    return { ok: true as const, token: null, message: "Đã thu hồi mã truy cập." };
  }
  if (fields.intent !== "create") return invalid({ error: "Thao tác không hợp lệ." });
  const name = (fields.name ?? "").trim();
  if (!name || name.length > 100) return invalid({ error: "Hãy đặt tên cho mã truy cập (ví dụ: Trung tâm IOC), tối đa 100 ký tự." });
  return { ok: true as const, token: await createApiToken(name, admin.id), message: `Đã tạo mã truy cập “${name}”. Hãy sao chép ngay: mã chỉ hiện một lần.` };
}

export default function ApiTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Mã truy cập API</h1>
      <p>
        Hệ thống khác (ví dụ Trung tâm điều hành thông minh IOC) đọc số liệu chỉ tiêu qua <code>GET /api/v1/indicators?period=2026</code> với tiêu đề{" "}
        <code>Authorization: Bearer &lt;mã&gt;</code>.
      </p>
      <FormError message={result && !result.ok ? result.error : null} />
      {result?.ok ? (
        <div className="notice" role="status">
          <p>{result.message}</p>
          {result.token ? (
            <p>
              <code>{result.token}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="create" />
        <Field name="name" label="Tên (ai dùng mã này)" required />
        <button type="submit">Tạo mã mới</button>
      </Form>
      <h2>Các mã đã tạo</h2>
      <ul className="cards">
        {tokens.map((t) => (
          <li key={t.id} className="card">
            <h3>{t.name}</h3>
            <p className="muted">
              Tạo {t.created_at.slice(0, 10)} · {t.last_used_at ? `dùng lần cuối ${t.last_used_at.slice(0, 16).replace("T", " ")}` : "chưa dùng"}
              {t.revoked_at ? ` · đã thu hồi ${t.revoked_at.slice(0, 10)}` : ""}
            </p>
            {t.revoked_at ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="id" value={t.id} />
                <button type="submit" className="secondary">
                  Thu hồi
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
