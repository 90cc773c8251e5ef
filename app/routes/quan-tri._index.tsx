import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireRole } from "~/accounts/session.server";

export const meta: MetaFunction = () => [{ title: "Quản trị — Học vụ số Tây Ninh" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return null;
}

export default function AdminHome() {
  return (
    <>
      <h1>Quản trị</h1>
      <ul className="link-list">
        <li><Link to="/quan-tri/nguoi-dung">Tài khoản: tìm người dùng, cấp quyền, đặt lại mật khẩu</Link></li>
      </ul>
    </>
  );
}
