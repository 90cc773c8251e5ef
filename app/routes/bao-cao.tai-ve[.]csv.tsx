import type { LoaderFunctionArgs } from "@remix-run/node";
import { agencyByCode } from "~/organisation/agencies.server";
import { communeByCode } from "~/organisation/communes.server";
import { canSee, requireReportAccess } from "~/reports/access.server";
import { reportCsv, reportCsvForPeople } from "~/reports/exports.server";
import { reportParams } from "~/reports/page-input.server";
import { provinceReport } from "~/reports/report.server";
import { badRequest, forbidden } from "~/ui/http.server";
import { csvDownload } from "~/ui/csv.server";

// CSV of the report, limited to what the caller may see: everything for administrators, one commune or one agency otherwise.
export async function loader({ request }: LoaderFunctionArgs) {
  const { scopes } = await requireReportAccess(request);
  const { period } = reportParams(request);
  const url = new URL(request.url);
  const own = scopes.find((s) => s.kind !== "province");
  const commune = url.searchParams.get("xa") ?? (own?.kind === "commune" ? own.code : null);
  const agency = url.searchParams.get("co-quan") ?? (own?.kind === "agency" ? own.code : null);
  if (commune && !(await communeByCode(commune))) badRequest("Mã xã/phường không hợp lệ.");
  if (agency && !(await agencyByCode(agency))) badRequest("Mã cơ quan không hợp lệ.");
  const wholeProvince = !commune && !agency;
  if (wholeProvince && !canSee(scopes, { kind: "province" })) forbidden();
  if (commune && !canSee(scopes, { kind: "commune", code: commune })) forbidden();
  if (agency && !canSee(scopes, { kind: "agency", code: agency })) forbidden();
  const reports = await provinceReport(period, { commune: commune ?? undefined, agency: agency ?? undefined });
  const suffix = commune ? `-xa-${commune}` : agency ? `-co-quan-${agency}` : "";
  // People get Vietnamese headers; systems ask `?dang=may` for the stable English columns (docs/operations.md).
  const forMachines = url.searchParams.get("dang") === "may";
  const csv = (forMachines ? reportCsv : reportCsvForPeople)(reports, { province: wholeProvince });
  return csvDownload(csv, `chi-tieu-ky-nang-so-${period.label}${suffix}.csv`);
}
