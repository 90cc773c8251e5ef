import type { MetaFunction } from "@remix-run/node";
import { SavedCourses } from "~/ui/saved-courses";

// The page the service worker shows for any page that is not saved when there is no network (decision 025).
// It is the same for everyone and kept in the browser when the site is first visited.
export const meta: MetaFunction = () => [{ title: "Không có mạng — Học vụ số Tây Ninh" }];

export const handle = { renderCache: true };

export default function OfflinePage() {
  return (
    <section>
      <h1>Không có mạng</h1>
      <p>Máy của bạn đang không kết nối được Internet, và trang này chưa được lưu trên máy.</p>
      <p>
        Các bài học đã lưu thì vẫn đọc được. Khi có mạng trở lại, bạn hãy tải lại trang. Những bài bạn đánh dấu đã học xong lúc không có mạng sẽ được gửi đi.
      </p>
      <SavedCourses heading="Các khóa học đã lưu trên máy này" />
    </section>
  );
}
