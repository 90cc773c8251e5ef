import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { joinByCode } from "~/cohorts/cohorts.server";
import { Field, FormError } from "~/ui/field";
import { formFields, invalid, readForm } from "~/ui/forms.server";

export const meta: MetaFunction = () => [{ title: "Tham gia lớp học — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { code: (new URL(request.url).searchParams.get("ma") ?? "").slice(0, 20) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = await joinByCode(user.id, formFields(await readForm(request)).code ?? "");
  if (!result.ok) return invalid({ error: result.error });
  return { ok: true as const, message: result.already ? `Bạn đã ở trong lớp “${result.cohortName}” rồi.` : `Bạn đã tham gia lớp “${result.cohortName}”.` };
}

export default function Join() {
  const { code } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tham gia lớp học</h1>
      <p>Nhập mã lớp (6 ký tự) do người hướng dẫn đưa cho bạn. Người hướng dẫn sẽ thấy tiến độ học của bạn trong lớp để giúp bạn.</p>
      <FormError message={result && !result.ok ? result.error : null} />
      {result?.ok ? (
        <div className="notice" role="status">
          <p>{result.message}</p>
          <p><Link to="/ca-nhan">Về trang của tôi</Link> · <Link to="/khoa-hoc">Chọn khóa học</Link></p>
        </div>
      ) : null}
      <Form method="post">
        <Field name="code" label="Mã lớp" defaultValue={code} autoCapitalize="characters" autoComplete="off" required />
        <button type="submit">Tham gia</button>
      </Form>
    </>
  );
}
