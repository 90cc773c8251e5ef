import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TEMPLATE_PATHS } from "~/reports/import-templates";
import { requireRole } from "~/accounts/session.server";
import { db } from "~/db.server";
import { MAX_IMPORT_REQUEST_BYTES } from "~/reports/import-limits";
import type { RouteHandle } from "~/serving/routes.server";
import { importCsv, POPULATION_HEADER, ROSTER_HEADER, rosterMismatches } from "~/reports/imports.server";
import { FormError } from "~/ui/field";
import { invalid, readForm } from "~/ui/forms.server";
import { TableScroll } from "~/ui/table-scroll";
import { vietnamDateTime } from "~/ui/vietnam-time";

export const meta: MetaFunction = () => [{ title: "Nhập danh sách — Quản trị — Học vụ số Tây Ninh" }];

// The server's body gate lets an upload this large reach the action (decision 014).
export const handle: RouteHandle = { maxBodyBytes: MAX_IMPORT_REQUEST_BYTES };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const batches = await db().selectFrom("import_batch").selectAll().orderBy("id", "desc").limit(10).execute();
  return { batches, mismatches: await rosterMismatches() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const form = await readForm(request, MAX_IMPORT_REQUEST_BYTES);
  const kind = form.get("kind");
  const file = form.get("file");
  if (kind !== "roster" && kind !== "population") return invalid({ error: "Hãy chọn loại danh sách.", errors: [] as { line: number; message: string }[], kind: null });
  if (!file || typeof file === "string" || file.size === 0) return invalid({ error: "Hãy chọn tệp CSV để nhập.", errors: [], kind });
  // The bytes as uploaded: the importer decides their encoding and refuses what would turn into mojibake.
  const result = await importCsv(kind, new Uint8Array(await file.arrayBuffer()), file.name, admin.id);
  // The list type chosen stays chosen after an error: the person only has to pick the corrected file again.
  if (!result.ok && result.fileError) return invalid({ error: result.fileError, errors: [] as { line: number; message: string }[], kind });
  if (!result.ok) {
    return invalid({ error: `Chưa nhập: ${result.errors.length} dòng có lỗi. Sửa tệp rồi nhập lại (không dòng nào được lưu).`, errors: result.errors.slice(0, 200), kind });
  }
  return {
    ok: true as const,
    kind,
    message: `Đã nhập ${result.rows} dòng, ${result.changed} dòng thay đổi${result.sameAsLast ? " (tệp giống hệt lần nhập trước, không có gì thay đổi)" : ""}.`,
  };
}

export default function ImportPage() {
  const { batches, mismatches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const kind = result?.kind ?? "roster";
  return (
    <>
      <h1>Nhập danh sách (mẫu số)</h1>
      <FormError message={result && !result.ok ? result.error : null} />
      {result && !result.ok && result.errors.length ? (
        <ul className="error-box">
          {result.errors.map((e) => (
            <li key={e.line}>Dòng {e.line}: {e.message}</li>
          ))}
        </ul>
      ) : null}
      {result?.ok ? <p className="notice" role="status">{result.message}</p> : null}
      <p>Chưa có tệp đúng mẫu? Tải tệp mẫu, mở bằng Excel, thay dòng ví dụ bằng dữ liệu thật, rồi chọn Lưu thành “CSV UTF-8 (phân cách bằng dấu phẩy)”:</p>
      <ul>
        <li><a href={TEMPLATE_PATHS.roster} download>Tải tệp mẫu danh sách cán bộ (CSV)</a></li>
        <li><a href={TEMPLATE_PATHS.population} download>Tải tệp mẫu dân số trưởng thành (CSV)</a></li>
      </ul>
      <Form method="post" encType="multipart/form-data">
        <fieldset key={kind}>
          <legend>Loại danh sách</legend>
          <div className="choices">
            <label><input type="radio" name="kind" value="roster" defaultChecked={kind === "roster"} /> <span>Danh sách cán bộ, công chức, viên chức — cột: <code className="column-list">{ROSTER_HEADER.join(", ")}</code></span></label>
            <label><input type="radio" name="kind" value="population" defaultChecked={kind === "population"} /> <span>Dân số trưởng thành theo xã/phường — cột: <code className="column-list">{POPULATION_HEADER.join(", ")}</code></span></label>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="file">Tệp CSV (UTF-8, tối đa 20 MB)</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" />
          <p className="hint">Mọi dòng được kiểm tra trước; nếu có dòng lỗi thì không dòng nào được lưu. Nhập lại cùng một tệp không làm thay đổi gì.</p>
        </div>
        <button type="submit">Nhập</button>
      </Form>
      <h2>Các lần nhập gần đây</h2>
      <TableScroll label="Các lần nhập gần đây">
            <table className="data-table">
        <caption className="visually-hidden">Các lần nhập gần đây</caption>
        <thead><tr><th scope="col">Thời gian (giờ Việt Nam)</th><th scope="col">Loại</th><th scope="col">Tệp</th><th scope="col" className="num">Dòng</th><th scope="col" className="num">Thay đổi</th></tr></thead>
        <tbody>
          {batches.map((b) => (
            <tr key={b.id}><td>{vietnamDateTime(b.imported_at)}</td><td>{b.kind === "roster" ? "Cán bộ" : "Dân số"}</td><td>{b.file_name}</td><td className="num">{b.rows}</td><td className="num">{b.changed}</td></tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      <h2>Tài khoản cán bộ chưa khớp danh sách ({mismatches.length})</h2>
      <p>Những người này đăng ký là cán bộ nhưng mã cán bộ, họ tên hoặc năm sinh không khớp danh sách nên chưa được tính vào chỉ tiêu.</p>
      <TableScroll label="Tài khoản cán bộ chưa khớp danh sách">
            <table className="data-table">
        <caption className="visually-hidden">Tài khoản cán bộ chưa khớp danh sách</caption>
        <thead><tr><th scope="col">Tên đăng nhập</th><th scope="col">Họ và tên</th><th scope="col">Mã khai báo</th><th scope="col">Lý do</th></tr></thead>
        <tbody>
          {mismatches.map((m) => (
            <tr key={`${m.username}`}><td>{m.username}</td><td>{m.fullName}</td><td>{m.personnelCode}</td><td>{m.reason}</td></tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
    </>
  );
}
