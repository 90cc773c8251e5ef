import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { hit, waitMessage } from "~/accounts/rate-limit.server";
import { checkCredential, type CredentialCheck } from "~/records/credentials.server";
import { formatDate } from "~/ui/certificate";
import { readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Kiểm tra tệp chứng nhận — Học vụ số Tây Ninh" }, { name: "robots", content: "noindex" }];

// A credential file is a few kilobytes; anything much larger is not one (413 from readForm).
const MAX_CREDENTIAL_BYTES = 32 * 1024;
const CHECKS_PER_WINDOW = 30;
const WINDOW_MS = 10 * 60_000;

type Outcome = CredentialCheck | { kind: "error"; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, MAX_CREDENTIAL_BYTES);
  const wait = await hit({ key: `verify:${context.clientIp}`, max: CHECKS_PER_WINDOW, windowMs: WINDOW_MS });
  if (wait) return data<Outcome>({ kind: "error", message: `Bạn đã kiểm tra quá nhiều lần, ${waitMessage(wait)}.` }, { status: 429 });
  const file = form.get("tep");
  const pasted = form.get("noi_dung");
  const text = file instanceof File && file.size > 0 ? await file.text() : typeof pasted === "string" ? pasted : "";
  if (!text.trim())
    return data<Outcome>({ kind: "error", message: "Hãy chọn tệp chứng nhận (tệp .jwt đã tải về) hoặc dán nội dung của tệp." }, { status: 400 });
  const result = await checkCredential(text);
  return data<Outcome>(result, { status: result.kind === "authentic" ? 200 : 422, headers: { "Cache-Control": "no-store" } });
}

function Verdict({ result }: { result: Outcome }) {
  if (result.kind === "error")
    return (
      <div className="error-box" role="alert">
        {result.message}
      </div>
    );
  if (result.kind === "not-authentic") {
    return (
      <div className="error-box" role="alert">
        <strong>✗ Không công nhận.</strong> {result.reason}
      </div>
    );
  }
  const who = (
    <ul>
      <li>
        Người được cấp: <strong>{result.fullName}</strong>
      </li>
      <li>
        Khóa học: <strong>{result.courseTitle}</strong>
      </li>
      <li>Ngày cấp: {result.issuedAt ? formatDate(result.issuedAt) : "không rõ"}</li>
      <li>
        Mã chứng nhận: {result.code.slice(0, 5)}-{result.code.slice(5)}
      </li>
    </ul>
  );
  if (result.revoked) {
    return (
      <div className="error-box" role="alert">
        <p>
          <strong>✗ Chứng nhận đã bị thu hồi</strong> ngày {formatDate(result.revoked.at)}. Chứng nhận này do Học vụ số Tây Ninh cấp nhưng không còn giá trị.
        </p>
        {who}
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      <p>
        <strong>✓ Chứng nhận thật, còn giá trị.</strong> Chữ ký điện tử khớp với khóa của Học vụ số Tây Ninh và nội dung không bị sửa.
      </p>
      {who}
      {result.stillListed ? null : <p>Người này đã xóa tài khoản, nhưng chứng nhận vẫn là thật.</p>}
    </div>
  );
}

export default function CheckCredentialFile() {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Kiểm tra tệp chứng nhận điện tử</h1>
      <p>
        Người học có thể tải chứng nhận về dưới dạng tệp có chữ ký điện tử (tệp <code>.jwt</code>, theo chuẩn Open Badges 3.0). Chọn tệp đó để biết chứng nhận
        có thật không, của ai, khóa học nào và còn giá trị hay đã bị thu hồi.
      </p>
      {result ? <Verdict result={result} /> : null}
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="tep">Tệp chứng nhận</label>
          <input id="tep" name="tep" type="file" accept=".jwt,.txt,application/jwt,text/plain" />
        </div>
        <div className="field">
          <label htmlFor="noi_dung">Hoặc dán nội dung tệp vào đây</label>
          <textarea id="noi_dung" name="noi_dung" rows={4} spellCheck={false} />
        </div>
        <button type="submit">Kiểm tra</button>
      </Form>
      <p>
        <Link to="/chung-chi">Kiểm tra bằng mã in trên chứng nhận</Link>
      </p>
    </>
  );
}
