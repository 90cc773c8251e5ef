import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/accounts/session.server";
import { cohortMatrix, matrixCsv } from "~/cohorts/cohort-report.server";
import { requireCohort } from "~/cohorts/cohorts.server";
import { csvDownload } from "~/ui/csv.server";

// The progress matrix as CSV, UTF-8 with a byte-order mark so spreadsheets keep Vietnamese names intact.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cohort = await requireCohort(user, params.id);
  return csvDownload(matrixCsv(cohort, await cohortMatrix(cohort)), `tien-do-lop-${cohort.id}.csv`);
}
