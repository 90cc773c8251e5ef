import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireOwnDevice, requireUser } from "~/accounts/session.server";
import { joinByCode } from "~/cohorts/cohorts.server";
import { answerInvitation, pendingInvitations } from "~/cohorts/invitations.server";
import { formatDate } from "~/ui/certificate";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Tham gia lớp học — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Invitations are answered on the person's own device only, never on a trainer's phone.
  const invitations = user.supervisedBy ? [] : await pendingInvitations(user.id);
  return { code: (new URL(request.url).searchParams.get("ma") ?? "").slice(0, 20), invitations };
}

export async function action({ request }: ActionFunctionArgs) {
  const fields = formFields(await readForm(request));
  if (fields.intent === "accept" || fields.intent === "decline") {
    const user = await requireOwnDevice(request);
    const answer = await answerInvitation(user.id, fields.cohort ?? "", fields.intent === "accept");
    if (!answer.ok) return invalid({ error: answer.error }, 404);
    return { ok: true as const, message: answer.message };
  }
  const user = await requireUser(request);
  const result = await joinByCode(user.id, fields.code ?? "");
  if (!result.ok) return invalid({ error: result.error });
  return { ok: true as const, message: result.already ? `Bạn đã ở trong lớp “${result.cohortName}” rồi.` : `Bạn đã tham gia lớp “${result.cohortName}”.` };
}

export default function Join() {
  const { code, invitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tham gia lớp học</h1>
      <FormError message={result && !result.ok ? result.error : null} />
      {result?.ok ? (
        <div className="notice" role="status">
          <p>{result.message}</p>
          <p>
            <Link to="/ca-nhan">Về trang của tôi</Link> · <Link to="/khoa-hoc">Chọn khóa học</Link>
          </p>
        </div>
      ) : null}
      {invitations.length ? (
        <section aria-labelledby="invitations">
          <h2 id="invitations">Lời mời vào lớp</h2>
          <p>Nếu bạn đồng ý, người hướng dẫn lớp sẽ thấy tiến độ học của bạn trong lớp để giúp bạn. Nếu không, họ không thấy gì.</p>
          <ul className="cards">
            {invitations.map((i) => (
              <li key={i.cohortId} className="card">
                <h3>{i.cohortName}</h3>
                <p>
                  {i.invitedBy ? `${i.invitedBy} mời bạn` : "Bạn được mời"} ngày {formatDate(i.createdAt)}.
                </p>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="cohort" value={i.cohortId} />
                  <button type="submit" name="intent" value="accept">
                    Đồng ý tham gia
                  </button>{" "}
                  <button type="submit" name="intent" value="decline" className="secondary">
                    Không tham gia
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{invitations.length ? "Hoặc nhập mã lớp" : "Nhập mã lớp"}</h2>
      <p>Nhập mã lớp (6 ký tự) do người hướng dẫn đưa cho bạn. Người hướng dẫn sẽ thấy tiến độ học của bạn trong lớp để giúp bạn.</p>
      <Form method="post">
        <Field name="code" label="Mã lớp" defaultValue={code} autoCapitalize="characters" autoComplete="off" required />
        <button type="submit">Tham gia</button>
      </Form>
    </>
  );
}
