import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportPersonData } from "~/accounts/people.server";
import { requireOwnDevice } from "~/accounts/session.server";

// Resource route: the learner's data as a JSON download.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireOwnDevice(request);
  const body = JSON.stringify(await exportPersonData(user.id), null, 2);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="du-lieu-hoc-vu-so-${user.username}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
