import { badRequest } from "~/ui/http.server";
import { parsePeriod, type Period } from "./report.server";
import { SORTS, type SortKey } from "./report-ui";

/** Reads ?ky= (period) and ?sap-xep= (sort) from a report URL; bad values get a clear 400. */
export function reportParams(request: Request): { period: Period; sort: SortKey } {
  const url = new URL(request.url);
  const period = parsePeriod(url.searchParams.get("ky"));
  if (!period) badRequest("Kỳ báo cáo không hợp lệ. Hãy nhập năm (ví dụ 2026) hoặc tháng (ví dụ 2026-03).");
  const sort = (url.searchParams.get("sap-xep") ?? "khoang-cach") as SortKey;
  // Own keys only: `in` would also accept "toString" or "constructor" from Object.prototype.
  if (!Object.hasOwn(SORTS, sort)) badRequest("Cách sắp xếp không hợp lệ.");
  return { period, sort };
}
