import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { grantRole, resetPassword, revokeRole, ROLE_LABELS, searchPeople } from "~/accounts/admin.server";
import { requireRole } from "~/accounts/session.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Tài khoản — Quản trị — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return { q, people: await searchPeople(q) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const fields = formFields(await readForm(request));
  switch (fields.intent) {
    case "grant": {
      const result = await grantRole(admin.id, fields);
      return result.ok ? data({ ok: true as const, message: result.message, pin: null }) : invalid({ error: result.error });
    }
    case "revoke":
      await revokeRole(fields.person_id ?? "", fields.role ?? "", fields.scope ?? "");
      return data({ ok: true as const, message: "Đã thu hồi quyền.", pin: null });
    case "reset": {
      const reset = await resetPassword(fields.person_id ?? "");
      if (!reset) return invalid({ error: "Không tìm thấy tài khoản." }, 404);
      return data({ ok: true as const, message: `Mã tạm thời của ${reset.fullName} (${reset.username}):`, pin: reset.pin });
    }
    default:
      return invalid({ error: "Thao tác không hợp lệ." });
  }
}

export default function AdminPeople() {
  const { q, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tài khoản</h1>
      <FormError message={result && !result.ok ? result.error : null} />
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message} {result.pin ? <strong className="code">{result.pin}</strong> : null}
          {result.pin ? " — hãy đưa mã này cho người dùng; họ sẽ phải đổi mật khẩu khi đăng nhập." : null}
        </p>
      ) : null}
      <h2>Cấp quyền</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="grant" />
        <Field name="username" label="Tên đăng nhập" required />
        <div className="field">
          <label htmlFor="role">Vai trò</label>
          <select id="role" name="role">
            {Object.entries(ROLE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field
          name="scope"
          label="Phạm vi"
          hint="Mã xã/phường (5 chữ số) cho cán bộ xã/phường; mã cơ quan cho cán bộ phụ trách cơ quan; để trống cho vai trò khác."
        />
        <button type="submit">Cấp quyền</button>
      </Form>
      <h2>Tìm người dùng</h2>
      <Form method="get" role="search" aria-label="Tìm người dùng">
        <label htmlFor="q">Họ tên hoặc tên đăng nhập</label>
        <div className="search-row">
          <input id="q" name="q" type="search" defaultValue={q} />
          <button type="submit">Tìm</button>
        </div>
      </Form>
      <ul className="cards">
        {people.map((p) => (
          <li key={p.id} className="card">
            <h3>{p.full_name}</h3>
            <p className="muted">
              {p.username} · sinh năm {p.birth_year} · {p.kind === "official" ? `cán bộ (${p.agency_code ?? "?"})` : "người dân"} · xã/phường {p.commune_code}
            </p>
            {p.roles.length ? (
              <ul>
                {p.roles.map((r) => (
                  <li key={`${r.role}:${r.scope}`}>
                    {ROLE_LABELS[r.role]} {r.scope ? `(${r.scope})` : ""}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="person_id" value={p.id} />
                      <input type="hidden" name="role" value={r.role} />
                      <input type="hidden" name="scope" value={r.scope} />{" "}
                      <button type="submit" className="secondary">
                        Thu hồi
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="reset" />
              <input type="hidden" name="person_id" value={p.id} />
              <button type="submit" className="secondary">
                Đặt lại mật khẩu (tạo mã tạm thời)
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
