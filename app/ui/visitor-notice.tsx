import { Link } from "@remix-run/react";

/** What signing in gives, said at the top of course, lesson and quiz pages for visitors (issue 18 item 2). */
export function VisitorNotice({ back }: { back: string }) {
  const next = encodeURIComponent(back);
  return (
    <p className="notice visitor-notice">
      Bạn đang học mà chưa đăng nhập. Bài đã học và câu trả lời được giữ tạm trên máy này; <Link to={`/dang-ky?tiep=${next}`}>đăng ký miễn phí</Link> hoặc{" "}
      <Link to={`/dang-nhap?tiep=${next}`}>đăng nhập</Link> để lưu vào tài khoản, học tiếp trên máy khác và nhận chứng nhận.
    </p>
  );
}
