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
        <li>
          <Link to="/quan-tri/nguoi-dung">Tài khoản: tìm người dùng, cấp quyền, đặt lại mật khẩu</Link>
        </li>
        <li>
          <Link to="/bao-cao">Báo cáo chỉ tiêu toàn tỉnh</Link>
        </li>
        <li>
          <Link to="/quan-tri/nhap-du-lieu">Nhập danh sách cán bộ và dân số; tài khoản chưa khớp danh sách</Link>
        </li>
        <li>
          <Link to="/quan-tri/to-chuc">Cơ quan, xã/phường và mục tiêu chỉ tiêu</Link>
        </li>
        <li>
          <Link to="/quan-tri/han-chot">Hạn hoàn thành của chỉ tiêu cán bộ, chung và riêng từng cơ quan</Link>
        </li>
        <li>
          <Link to="/quan-tri/chung-chi">Thu hồi chứng nhận</Link>
        </li>
        <li>
          <Link to="/bao-cao/xac-nhan">Xuất danh sách xác nhận hoàn thành cho cơ sở dữ liệu quốc gia</Link>
        </li>
        <li>
          <Link to="/quan-tri/api">Mã truy cập API cho hệ thống khác</Link>
        </li>
      </ul>
    </>
  );
}
