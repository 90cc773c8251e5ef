// The courses saved on this device for offline reading. Only the page script can know them (they live in the
// browser's Cache Storage), so the section is empty and hidden in the HTML and filled in by /app/doc.js.
export function SavedCourses({ heading }: { heading: string }) {
  return (
    <section id="da-luu" className="saved-courses" aria-labelledby="da-luu-tieu-de" hidden>
      <h2 id="da-luu-tieu-de">{heading}</h2>
      <p className="muted">Chưa lưu khóa học nào. Mở một khóa học và bấm “Lưu để đọc khi không có mạng”.</p>
      <ul className="link-list" />
    </section>
  );
}
