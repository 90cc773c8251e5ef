import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TEMPLATE_PATHS } from "~/reports/import-templates";
import { mayImportDenominators } from "~/accounts/permissions.server";
import { requireUser } from "~/accounts/session.server";
import { db } from "~/db.server";
import { MAX_IMPORT_REQUEST_BYTES } from "~/reports/import-limits";
import type { RouteHandle } from "~/serving/routes.server";
import {
  cancelFullListImport,
  confirmFullListImport,
  importCsv,
  POPULATION_HEADER,
  ROSTER_HEADER,
  rosterMismatches,
  startFullListImport,
  type PendingPreview,
  type RowError,
} from "~/reports/imports.server";
import { formatVietnamDate, vietnamDate, vietnamDateTime } from "~/ui/vietnam-time";
import { forbidden } from "~/ui/http.server";
import { FormError } from "~/ui/field";
import { invalid, readForm } from "~/ui/forms.server";
import { TableScroll } from "~/ui/table-scroll";

export const meta: MetaFunction = () => [{ title: "Nhập danh sách — Quản trị — Học vụ số Tây Ninh" }];

// The server's body gate lets an upload this large reach the action (decision 014).
export const handle: RouteHandle = { maxBodyBytes: MAX_IMPORT_REQUEST_BYTES };

async function requireImporter(request: Request) {
  const user = await requireUser(request);
  if (!mayImportDenominators(user)) forbidden();
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireImporter(request);
  const batches = await db().selectFrom("import_batch").selectAll().orderBy("id", "desc").limit(10).execute();
  return { batches, mismatches: await rosterMismatches() };
}

type Failure = { ok: false; error: string; errors: RowError[]; kind: "roster" | "population" | null; preview?: undefined };
type Preview = { ok: "preview"; preview: PendingPreview & { ok: true }; notice?: string; kind: "roster" };
type Success = { ok: true; kind: "roster" | "population"; message: string };

const fail = (error: string, kind: Failure["kind"], errors: RowError[] = [], status = 400) => invalid<Failure>({ ok: false, error, errors, kind }, status);
const rowErrors = (errors: RowError[]) => `Chưa nhập: ${errors.length} dòng có lỗi. Sửa tệp rồi nhập lại (không dòng nào được lưu).`;
const PENDING_ID = /^[0-9a-f-]{36}$/;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireImporter(request);
  const form = await readForm(request, MAX_IMPORT_REQUEST_BYTES);
  const intent = form.get("intent");
  if (intent === "confirm" || intent === "cancel") {
    const pendingId = String(form.get("pendingId") ?? "");
    if (!PENDING_ID.test(pendingId)) return fail("Không tìm thấy bản xem trước này. Hãy chọn tệp và nhập lại.", "roster");
    return intent === "confirm" ? confirmFullList(pendingId, admin.id) : cancelFullList(pendingId);
  }
  const kind = form.get("kind");
  const file = form.get("file");
  if (kind !== "roster" && kind !== "population") return fail("Hãy chọn loại danh sách.", null);
  if (!file || typeof file === "string" || file.size === 0) return fail("Hãy chọn tệp CSV để nhập.", kind);
  const fullList = form.get("fullList") === "yes";
  if (fullList && kind !== "roster")
    return fail("Chỉ danh sách cán bộ mới có thể là danh sách đầy đủ. Bỏ chọn ô “Đây là danh sách đầy đủ” để nhập dân số.", kind);
  // The bytes as uploaded: the importer decides their encoding and refuses what would turn into mojibake.
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (fullList) {
    const preview = await startFullListImport(bytes, file.name, admin.id);
    if (!preview.ok) return fail(preview.fileError ?? rowErrors(preview.errors), kind, preview.fileError ? [] : preview.errors.slice(0, 200));
    return { ok: "preview" as const, preview, notice: undefined as string | undefined, kind: "roster" as const } satisfies Preview;
  }
  const result = await importCsv(kind, bytes, file.name, admin.id);
  // The list type chosen stays chosen after an error: the person only has to pick the corrected file again.
  if (!result.ok && result.fileError) return fail(result.fileError, kind);
  if (!result.ok) return fail(rowErrors(result.errors), kind, result.errors.slice(0, 200));
  return {
    ok: true as const,
    kind,
    message: `Đã nhập ${result.rows} dòng, ${result.changed} dòng thay đổi${result.sameAsLast ? " (tệp giống hệt lần nhập trước, không có gì thay đổi)" : ""}.`,
  } satisfies Success;
}

async function confirmFullList(pendingId: string, adminId: string) {
  const outcome = await confirmFullListImport(pendingId, adminId);
  if (outcome.status === "gone")
    return fail("Bản xem trước này đã được xác nhận hoặc huỷ rồi; không có gì thay đổi thêm. Kết quả xem ở “Các lần nhập gần đây”.", "roster", [], 409);
  if (outcome.status === "changed") {
    if (!outcome.preview.ok)
      return fail(`Danh mục vừa thay đổi nên tệp không còn hợp lệ. ${rowErrors(outcome.preview.errors)}`, "roster", outcome.preview.errors.slice(0, 200), 409);
    const notice =
      "Danh sách cán bộ vừa thay đổi sau khi bạn xem trước, nên những người sẽ được ghi là đã nghỉ cũng khác. Hãy xem lại danh sách dưới đây rồi xác nhận.";
    return invalid<Preview>({ ok: "preview", preview: outcome.preview as Preview["preview"], notice, kind: "roster" }, 409);
  }
  const { result } = outcome;
  if (!result.ok) return fail(result.fileError ?? rowErrors(result.errors), "roster", result.fileError ? [] : result.errors.slice(0, 200), 409);
  return {
    ok: true as const,
    kind: "roster" as const,
    message: `Đã nhập danh sách đầy đủ: ${result.rows - outcome.leaving} cán bộ trong tệp, ${outcome.leaving} người được ghi là đã nghỉ từ ngày ${formatVietnamDate(vietnamDate())}; ${result.changed} dòng thay đổi.`,
  } satisfies Success;
}

async function cancelFullList(pendingId: string) {
  await cancelFullListImport(pendingId);
  return { ok: true as const, kind: "roster" as const, message: "Đã huỷ. Danh sách cán bộ không thay đổi." } satisfies Success;
}

const SHOWN_LEAVING = 1_000;

/** The full list's preview: who will be marked as left, then confirm or cancel (both plain forms). */
function FullListPreview({ preview, notice }: { preview: PendingPreview & { ok: true }; notice?: string }) {
  const today = formatVietnamDate(vietnamDate());
  const leaving = preview.leaving;
  return (
    <section aria-labelledby="preview-title" className="full-list-preview">
      <h2 id="preview-title">Xem trước danh sách đầy đủ: {preview.fileName}</h2>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        Tệp có <strong>{preview.rows}</strong> cán bộ. Chưa có gì được lưu.{" "}
        {leaving.length ? (
          <>
            Nếu xác nhận, <strong>{leaving.length} người</strong> đang có trong danh sách của các cơ quan trong tệp nhưng không có trong tệp sẽ được ghi là{" "}
            <strong>đã nghỉ từ ngày {today}</strong> và không còn được tính vào chỉ tiêu cán bộ từ ngày đó.
          </>
        ) : (
          <>Không có ai bị ghi là đã nghỉ: mọi người trong danh sách hiện tại của các cơ quan này đều có trong tệp.</>
        )}
      </p>
      {leaving.length ? (
        <TableScroll label="Những người sẽ được ghi là đã nghỉ">
          <table className="data-table">
            <caption>Những người sẽ được ghi là đã nghỉ ({leaving.length})</caption>
            <thead>
              <tr>
                <th scope="col">Họ và tên</th>
                <th scope="col">Mã cán bộ</th>
                <th scope="col">Cơ quan</th>
              </tr>
            </thead>
            <tbody>
              {leaving.slice(0, SHOWN_LEAVING).map((l) => (
                <tr key={l.personnelCode}>
                  <td>{l.fullName}</td>
                  <td>{l.personnelCode}</td>
                  <td>{l.agencyName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {leaving.length > SHOWN_LEAVING ? <p>… và {leaving.length - SHOWN_LEAVING} người khác (tất cả đều được ghi là đã nghỉ khi xác nhận).</p> : null}
      <div className="actions">
        <Form method="post">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="pendingId" value={preview.pendingId} />
          <button type="submit">{leaving.length ? `Xác nhận nhập và ghi ${leaving.length} người đã nghỉ` : "Xác nhận nhập"}</button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="cancel" />
          <input type="hidden" name="pendingId" value={preview.pendingId} />
          <button type="submit" className="secondary">
            Huỷ, không nhập
          </button>
        </Form>
      </div>
    </section>
  );
}

export default function ImportPage() {
  const { batches, mismatches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const kind = result?.kind ?? "roster";
  const failure = result && result.ok === false ? result : null;
  return (
    <>
      <h1>Nhập danh sách (mẫu số)</h1>
      <FormError message={failure ? failure.error : null} />
      {failure && failure.errors.length ? (
        <ul className="error-box">
          {failure.errors.map((e) => (
            <li key={e.line}>
              Dòng {e.line}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {result?.ok === true ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {result?.ok === "preview" ? (
        <FullListPreview preview={result.preview} notice={result.notice} />
      ) : (
        <>
          <p>Chưa có tệp đúng mẫu? Tải tệp mẫu, mở bằng Excel, thay dòng ví dụ bằng dữ liệu thật, rồi chọn Lưu thành “CSV UTF-8 (phân cách bằng dấu phẩy)”:</p>
          <ul>
            <li>
              <a href={TEMPLATE_PATHS.roster} download>
                Tải tệp mẫu danh sách cán bộ (CSV)
              </a>
            </li>
            <li>
              <a href={TEMPLATE_PATHS.population} download>
                Tải tệp mẫu dân số trưởng thành (CSV)
              </a>
            </li>
          </ul>
          <Form method="post" encType="multipart/form-data">
            <fieldset key={kind}>
              <legend>Loại danh sách</legend>
              <div className="choices">
                <label>
                  <input type="radio" name="kind" value="roster" defaultChecked={kind === "roster"} />{" "}
                  <span>
                    Danh sách cán bộ, công chức, viên chức — cột: <code className="column-list">{ROSTER_HEADER.join(", ")}</code>
                  </span>
                </label>
                <label>
                  <input type="radio" name="kind" value="population" defaultChecked={kind === "population"} />{" "}
                  <span>
                    Dân số trưởng thành theo xã/phường — cột: <code className="column-list">{POPULATION_HEADER.join(", ")}</code>
                  </span>
                </label>
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor="file">Tệp CSV (UTF-8, tối đa 20 MB)</label>
              <input id="file" name="file" type="file" accept=".csv,text/csv" />
              <p className="hint">Mọi dòng được kiểm tra trước; nếu có dòng lỗi thì không dòng nào được lưu. Nhập lại cùng một tệp không làm thay đổi gì.</p>
            </div>
            <div className="choices">
              <label>
                <input type="checkbox" name="fullList" value="yes" aria-describedby="full-list-hint" />{" "}
                <span>Đây là danh sách đầy đủ (chỉ với danh sách cán bộ)</span>
              </label>
            </div>
            <p className="hint" id="full-list-hint">
              Chọn ô này khi tệp có tất cả cán bộ của các cơ quan trong tệp: ai đang có trong danh sách của các cơ quan đó mà không có trong tệp sẽ được ghi là
              đã nghỉ từ hôm nay. Bạn sẽ xem trước danh sách những người này và xác nhận trước khi lưu.
            </p>
            <button type="submit">Nhập</button>
          </Form>
        </>
      )}
      <h2>Các lần nhập gần đây</h2>
      <TableScroll label="Các lần nhập gần đây">
        <table className="data-table">
          <caption className="visually-hidden">Các lần nhập gần đây</caption>
          <thead>
            <tr>
              <th scope="col">Thời gian (giờ Việt Nam)</th>
              <th scope="col">Loại</th>
              <th scope="col">Tệp</th>
              <th scope="col" className="num">
                Dòng
              </th>
              <th scope="col" className="num">
                Thay đổi
              </th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>{vietnamDateTime(b.imported_at)}</td>
                <td>{b.kind === "roster" ? "Cán bộ" : "Dân số"}</td>
                <td>{b.file_name}</td>
                <td className="num">{b.rows}</td>
                <td className="num">{b.changed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h2>Tài khoản cán bộ chưa khớp danh sách ({mismatches.length})</h2>
      <p>Những người này đăng ký là cán bộ nhưng mã cán bộ, họ tên hoặc năm sinh không khớp danh sách nên chưa được tính vào chỉ tiêu.</p>
      <TableScroll label="Tài khoản cán bộ chưa khớp danh sách">
        <table className="data-table">
          <caption className="visually-hidden">Tài khoản cán bộ chưa khớp danh sách</caption>
          <thead>
            <tr>
              <th scope="col">Tên đăng nhập</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Mã khai báo</th>
              <th scope="col">Lý do</th>
            </tr>
          </thead>
          <tbody>
            {mismatches.map((m) => (
              <tr key={`${m.username}`}>
                <td>{m.username}</td>
                <td>{m.fullName}</td>
                <td>{m.personnelCode}</td>
                <td>{m.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
