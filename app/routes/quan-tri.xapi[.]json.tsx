import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/accounts/session.server";
import { statementsInPeriod } from "~/records/xapi-outbox.server";
import { badRequest } from "~/ui/http.server";

// The xAPI statements of a period (?ky=2026 or ?ky=2026-03, Vietnam time) as one JSON file: the same
// statements the LRS receives (decision 023). Administrators only: they describe individual learners.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const period = new URL(request.url).searchParams.get("ky") ?? "";
  const statements = await statementsInPeriod(period);
  if (!statements) badRequest("Kỳ không hợp lệ: ghi năm (ví dụ 2026) hoặc tháng (ví dụ 2026-03).");
  return new Response(JSON.stringify(statements), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="xapi-${period}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
