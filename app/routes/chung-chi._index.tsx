import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { Field } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Kiểm tra chứng nhận — Học vụ số Tây Ninh" }];

export function loader({ request }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("ma");
  if (code) throw redirect(`/chung-chi/${encodeURIComponent(code.trim().slice(0, 20))}`);
  return null;
}

export default function VerifyForm() {
  return (
    <>
      <h1>Kiểm tra chứng nhận</h1>
      <p>Nhập mã in trên chứng nhận (10 ký tự, ví dụ ABCDE-23456) để biết chứng nhận có thật hay không.</p>
      <Form method="get">
        <Field name="ma" label="Mã chứng nhận" autoComplete="off" autoCapitalize="characters" required />
        <button type="submit">Kiểm tra</button>
      </Form>
      <p>
        Có tệp chứng nhận điện tử (.jwt)?{" "}
        <Link className="button secondary" to="/chung-chi/kiem-tra-tep">
          Kiểm tra tệp
        </Link>
      </p>
    </>
  );
}
