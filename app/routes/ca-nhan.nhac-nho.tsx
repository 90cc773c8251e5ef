import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireOwnDevice, requireUser } from "~/accounts/session.server";
import { markRemindersSeen, setOwnEmail } from "~/reminders/reminders.server";
import { FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

// The official's own answers to reminders: "I have read it", and the e-mail address reminders may go to.
// Only on the person's own device: a trainer's supervised session does not change someone's address.

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw redirect("/ca-nhan");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireOwnDevice(request);
  const fields = formFields(await readForm(request));
  if (fields.intent === "seen") {
    await markRemindersSeen(user.id);
    throw redirect("/ca-nhan");
  }
  if (fields.intent === "email") {
    const error = await setOwnEmail(user.id, fields.email ?? "");
    if (error) return invalid({ error }, 400);
    throw redirect("/ca-nhan?thu=1");
  }
  return invalid({ error: "Yêu cầu không hợp lệ." }, 400);
}

export default function ReminderAnswer() {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Nhận nhắc nhở qua thư điện tử</h1>
      <FormError message={result?.error} />
      <p>
        <Link to="/ca-nhan">← Về trang của tôi và nhập lại</Link>
      </p>
    </>
  );
}
