import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { RouteHandle } from "~/serving/routes.server";

export const meta: MetaFunction = () => [{ title: "Chính sách dữ liệu cá nhân — Học vụ số Tây Ninh" }];

// Anonymous visitors get the same page for the same URL and content: kept by URL (decision 014).
export const handle: RouteHandle = { publicCache: true };

export default function Privacy() {
  return (
    <>
      <h1>Chính sách dữ liệu cá nhân</h1>
      <p>
        Học vụ số Tây Ninh xử lý dữ liệu cá nhân theo pháp luật về bảo vệ dữ liệu cá nhân (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định
        356/2025/NĐ-CP hướng dẫn luật, có hiệu lực từ 1/1/2026, thay cho Nghị định 13/2023/NĐ-CP). Chúng tôi chỉ thu thập những gì cần để ghi nhận việc học.
      </p>
      <h2>Chúng tôi lưu gì?</h2>
      <ul>
        <li>Họ tên, năm sinh, xã/phường nơi sống, tên đăng nhập (số điện thoại hoặc tên bạn tự đặt).</li>
        <li>Với cán bộ, công chức, viên chức: cơ quan, đơn vị và mã cán bộ.</li>
        <li>Bài đã học, bài kiểm tra đã làm (từng câu trả lời, điểm, thời gian) và chứng nhận được cấp.</li>
        <li>Thời điểm bạn đồng ý, và nếu người hướng dẫn đăng ký giúp: ai đã ghi nhận sự đồng ý và bằng cách nào.</li>
        <li>Mật khẩu chỉ được lưu ở dạng đã băm (không ai đọc được, kể cả quản trị viên).</li>
      </ul>
      <h2>Dùng để làm gì, ai được xem?</h2>
      <ul>
        <li>Để bạn học tiếp trên thiết bị khác, nhận và kiểm tra chứng nhận.</li>
        <li>Người hướng dẫn lớp học bạn tham gia được xem tiến độ của bạn trong lớp đó, để giúp bạn.</li>
        <li>Với cán bộ: đơn vị của bạn được xem bạn đã hoàn thành các khóa bắt buộc hay chưa.</li>
        <li>Báo cáo của tỉnh, xã chỉ dùng số liệu tổng hợp (bao nhiêu người đã học), không công bố tên.</li>
        <li>Trang kiểm tra chứng nhận chỉ hiện những gì in trên chứng nhận, và chỉ khi có đúng mã.</li>
      </ul>
      <h2>Quyền của bạn</h2>
      <p>
        Bạn có thể <Link to="/ca-nhan/du-lieu">tải về toàn bộ dữ liệu hoặc xóa tài khoản</Link> bất cứ lúc nào. Khi xóa, mọi dữ liệu gắn với bạn bị xóa; hệ
        thống chỉ giữ lại con số thống kê không gắn với tên ai.
      </p>
    </>
  );
}
