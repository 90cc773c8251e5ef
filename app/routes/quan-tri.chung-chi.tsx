import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";
import { formatCode, normalizeCode } from "~/learning/certificates.server";
import { listRevocations, revokeCertificate } from "~/records/credentials.server";
import { formatDate } from "~/ui/certificate";
import { ActionResult, Field } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Thu hồi chứng nhận — Quản trị — Học vụ số Tây Ninh" }];

// Administrators revoke a certificate with a reason (decision 022). The public pages and the revocation list
// then say "revoked"; the certificate row itself is kept.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { revocations: await listRevocations() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const fields = formFields(await readForm(request));
  const code = normalizeCode(fields.ma ?? "");
  const reason = (fields.ly_do ?? "").trim();
  if (!code) return invalid({ error: "Mã chứng nhận gồm 10 ký tự, ví dụ ABCDE-23456." });
  if (reason.length < 5 || reason.length > 500) return invalid({ error: "Hãy ghi lý do thu hồi (từ 5 đến 500 ký tự)." });
  const outcome = await revokeCertificate(code, reason, admin.id);
  if (outcome === "not-found") return invalid({ error: `Không có chứng nhận mã ${formatCode(code)}.` }, 404);
  return {
    ok: true as const,
    message: outcome === "revoked" ? `Đã thu hồi chứng nhận ${formatCode(code)}.` : `Chứng nhận ${formatCode(code)} đã bị thu hồi từ trước.`,
  };
}

export default function RevokeCertificates() {
  const { revocations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Thu hồi chứng nhận</h1>
      <p>Chứng nhận bị thu hồi vẫn được tra cứu, nhưng trang kiểm tra sẽ ghi rõ là đã bị thu hồi. Việc thu hồi không hoàn tác được.</p>
      <ActionResult result={result} />
      <Form method="post">
        <Field name="ma" label="Mã chứng nhận" autoComplete="off" autoCapitalize="characters" required />
        <div className="field">
          <label htmlFor="ly_do">Lý do thu hồi</label>
          <textarea id="ly_do" name="ly_do" rows={3} required minLength={5} maxLength={500} />
        </div>
        <button type="submit">Thu hồi</button>
      </Form>
      <h2>Đã thu hồi</h2>
      {revocations.length === 0 ? (
        <p>Chưa có chứng nhận nào bị thu hồi.</p>
      ) : (
        <ul className="cards">
          {revocations.map((r) => (
            <li key={r.code} className="card">
              <h3>
                {formatCode(r.code)} · {r.full_name}
              </h3>
              <p>{r.course_title}</p>
              <p className="muted">
                Thu hồi ngày {formatDate(r.revoked_at)}: {r.reason}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
