// "Nghe bài học" (decision 025). Hidden in the HTML: /app/doc.js shows the controls when the browser has a
// Vietnamese voice, or the hint on installing one when it has none. Without JavaScript neither appears.
export function ReadAloud() {
  return (
    <>
      <div id="nghe" className="read-aloud" role="group" aria-label="Nghe bài học" hidden>
        <button type="button" data-act="play">
          Nghe bài học
        </button>
        <button type="button" data-act="pause" hidden>
          Tạm dừng
        </button>
        <button type="button" data-act="resume" hidden>
          Đọc tiếp
        </button>
        <button type="button" data-act="stop" className="secondary" hidden>
          Dừng đọc
        </button>
        <label>
          Tốc độ đọc{" "}
          <select defaultValue="1">
            <option value="0.75">Chậm</option>
            <option value="1">Vừa</option>
            <option value="1.25">Nhanh</option>
          </select>
        </label>
      </div>
      <p id="nghe-goi-y" className="hint" hidden>
        Máy này chưa có giọng đọc tiếng Việt nên chưa nghe bài được. Cách cài trên điện thoại Android: vào Cài đặt → Hệ thống → Ngôn ngữ → Chuyển văn bản thành
        giọng nói, tải giọng “Tiếng Việt”. Trên iPhone: Cài đặt → Trợ năng → Nội dung được đọc → Giọng nói → Tiếng Việt. Sau đó mở lại trang này.
      </p>
    </>
  );
}
