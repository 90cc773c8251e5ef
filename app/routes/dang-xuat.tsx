import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { blankSessionCookie, endAllSessions, endSession } from "~/accounts/lucia.server";
import { getUser } from "~/accounts/session.server";
import { readForm } from "~/ui/forms.server";

// POST only: signs out this device, or every device with intent=everywhere.
export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await getUser(request);
  if (!user) throw redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
  if (form.get("intent") === "everywhere") await endAllSessions(user.id);
  const cookie = await endSession(user.sessionId);
  throw redirect("/?da-dang-xuat=1", { headers: { "Set-Cookie": cookie } });
}
