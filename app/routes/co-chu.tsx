import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useRouteLoaderData } from "@remix-run/react";
import { secureCookies } from "~/accounts/lucia.server";
import { isTextSize, TEXT_SIZE_COOKIE, TEXT_SIZES } from "~/reach/text-size";
import { readForm } from "~/ui/forms.server";
import { badRequest } from "~/ui/http.server";
import type { loader as rootLoader } from "~/root";

// Text size for this device (decision 025): anyone may choose it, signed in or not, so there is no role to check.
export const meta: MetaFunction = () => [{ title: "Cỡ chữ — Học vụ số Tây Ninh" }];

const YEAR = 365 * 24 * 3600;

/** Back to the page the form was on: a path of this site only, never another site. */
function returnPath(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") ? value : "/co-chu";
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const size = form.get("co");
  if (!isTextSize(size)) badRequest("Cỡ chữ không hợp lệ. Hãy chọn Chữ vừa, Chữ lớn hoặc Chữ rất lớn.");
  // Not HttpOnly: a saved lesson read offline applies it from the page script. It says nothing about the person.
  const cookie = `${TEXT_SIZE_COOKIE}=${size}; Path=/; Max-Age=${YEAR}; SameSite=Lax${secureCookies() ? "; Secure" : ""}`;
  throw redirect(returnPath(form.get("tiep")), { status: 303, headers: { "Set-Cookie": cookie } });
}

export default function TextSizePage() {
  const size = useRouteLoaderData<typeof rootLoader>("root")?.textSize ?? "binh-thuong";
  return (
    <section>
      <h1>Cỡ chữ</h1>
      <p>Chọn cỡ chữ dễ đọc nhất với bạn. Máy này sẽ nhớ lựa chọn cho mọi trang.</p>
      <Form method="post" className="actions">
        <input type="hidden" name="tiep" value="/co-chu" />
        {Object.entries(TEXT_SIZES).map(([value, label]) => (
          <button key={value} type="submit" name="co" value={value} className={value === size ? undefined : "secondary"} aria-pressed={value === size}>
            {label}
          </button>
        ))}
      </Form>
    </section>
  );
}
