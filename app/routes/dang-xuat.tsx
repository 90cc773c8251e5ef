import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { blankSessionCookie, endAllSessions, endSession } from "~/accounts/lucia.server";
import { getUser } from "~/accounts/session.server";
import { endSupervision } from "~/accounts/supervision.server";
import { readForm } from "~/ui/forms.server";

// POST only: signs out this device, or every device with intent=everywhere.
export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await getUser(request);
  if (!user) throw redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
  // On a trainer's phone, "log out" ends the learner's turn and gives the trainer their session back.
  if (user.supervisedBy) {
    throw redirect(`/lop-hoc/${user.supervisedBy.cohortId}`, { headers: { "Set-Cookie": await endSupervision(request) } });
  }
  if (form.get("intent") === "everywhere") await endAllSessions(user.id);
  const cookie = await endSession(user.sessionId);
  throw redirect("/?da-dang-xuat=1", { headers: { "Set-Cookie": cookie } });
}
