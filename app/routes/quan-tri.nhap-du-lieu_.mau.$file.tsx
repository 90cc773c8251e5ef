import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/accounts/session.server";
import { TEMPLATE_FILES } from "~/reports/import-templates";
import { importTemplate } from "~/reports/imports.server";
import { notFound } from "~/ui/http.server";
import { csvDownload } from "~/ui/csv.server";

// Resource route: a template CSV for each import kind, with the exact header and one example row.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const kind = TEMPLATE_FILES[params.file ?? ""];
  if (!kind) notFound();
  const template = await importTemplate(kind);
  return csvDownload(Buffer.from(template.bytes).toString("utf8"), template.fileName);
}
