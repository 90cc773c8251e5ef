// The national digital competency framework (Thông tư 02/2025/TT-BGDĐT): 6 domains, 24 competences.
// Every code used by the platform comes from this framework (issue 19 fact pass). TT 02 governs learners in the
// education system; for citizens and officials in the movement the governing text is QĐ 757/QĐ-BKHCN
// (29/4/2025), whose groups are numbered differently ("0. Sử dụng thiết bị…", "1. Tìm kiếm…"). We keep TT 02's
// codes because they are finer-grained, and say so wherever codes are shown (QD_757_NOTE).
// Kept as data so courses are validated against it and the /nang-luc-so page renders from it.
// Names of 6.2 and 6.3 are not yet confirmed in the published text; change them here when they are.

export type Competence = { code: string; name: string };
export type Domain = { number: number; name: string; summary: string; competences: Competence[] };

export const FRAMEWORK_NAME = "Khung năng lực số cho người học (Thông tư 02/2025/TT-BGDĐT)";

export const QD_757_NOTE =
  "Mọi mã năng lực trên trang này lấy từ Khung năng lực số của Thông tư 02/2025/TT-BGDĐT, khung dành cho người học trong hệ thống giáo dục. " +
  "Với người dân và cán bộ, công chức, viên chức trong phong trào “Bình dân học vụ số”, văn bản áp dụng là Khung kiến thức, kỹ năng số cơ bản ban hành kèm Quyết định 757/QĐ-BKHCN ngày 29/4/2025, được chia thành các nhóm đánh số khác (bắt đầu từ nhóm 0 về sử dụng thiết bị và phần mềm). Nền tảng dùng mã của Thông tư 02 vì chi tiết hơn.";

export const DOMAINS: Domain[] = [
  {
    number: 1,
    name: "Khai thác dữ liệu và thông tin",
    summary: "Tìm kiếm, đánh giá và sắp xếp thông tin trên mạng một cách có chọn lọc.",
    competences: [
      { code: "1.1", name: "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số" },
      { code: "1.2", name: "Đánh giá dữ liệu, thông tin và nội dung số" },
      { code: "1.3", name: "Quản lý dữ liệu, thông tin và nội dung số" },
    ],
  },
  {
    number: 2,
    name: "Giao tiếp và hợp tác trong môi trường số",
    summary: "Liên lạc, chia sẻ, làm việc cùng nhau và dùng dịch vụ công qua công nghệ số.",
    competences: [
      { code: "2.1", name: "Tương tác thông qua công nghệ số" },
      { code: "2.2", name: "Chia sẻ thông tin và nội dung thông qua công nghệ số" },
      { code: "2.3", name: "Sử dụng công nghệ số để thực hiện trách nhiệm công dân" },
      { code: "2.4", name: "Hợp tác thông qua công nghệ số" },
      { code: "2.5", name: "Thực hiện quy tắc ứng xử trên mạng" },
      { code: "2.6", name: "Quản lý danh tính số" },
    ],
  },
  {
    number: 3,
    name: "Sáng tạo nội dung số",
    summary: "Soạn thảo, chỉnh sửa nội dung số và tôn trọng bản quyền.",
    competences: [
      { code: "3.1", name: "Phát triển nội dung số" },
      { code: "3.2", name: "Tích hợp và tạo lập lại nội dung số" },
      { code: "3.3", name: "Thực thi bản quyền và giấy phép" },
      { code: "3.4", name: "Lập trình" },
    ],
  },
  {
    number: 4,
    name: "An toàn",
    summary: "Bảo vệ thiết bị, dữ liệu cá nhân, sức khỏe và môi trường khi dùng công nghệ số.",
    competences: [
      { code: "4.1", name: "Bảo vệ thiết bị" },
      { code: "4.2", name: "Bảo vệ dữ liệu cá nhân và quyền riêng tư" },
      { code: "4.3", name: "Bảo vệ sức khỏe và an sinh số" },
      { code: "4.4", name: "Bảo vệ môi trường" },
    ],
  },
  {
    number: 5,
    name: "Giải quyết vấn đề",
    summary: "Tự xử lý sự cố thường gặp và chọn công cụ số phù hợp với nhu cầu.",
    competences: [
      { code: "5.1", name: "Giải quyết các vấn đề kỹ thuật" },
      { code: "5.2", name: "Xác định nhu cầu và giải pháp công nghệ" },
      { code: "5.3", name: "Sử dụng sáng tạo công nghệ số" },
      { code: "5.4", name: "Xác định các vấn đề cần cải thiện về năng lực số" },
    ],
  },
  {
    number: 6,
    name: "Ứng dụng trí tuệ nhân tạo",
    summary: "Hiểu AI là gì, dùng AI có trách nhiệm và biết đánh giá công cụ AI.",
    competences: [
      { code: "6.1", name: "Hiểu biết về AI" },
      { code: "6.2", name: "Sử dụng AI có đạo đức và trách nhiệm" },
      { code: "6.3", name: "Đánh giá các công cụ AI" },
    ],
  },
];

export const LEVELS = ["Cơ bản", "Trung cấp", "Nâng cao", "Chuyên sâu"];

const byCode = new Map(DOMAINS.flatMap((d) => d.competences.map((c) => [c.code, c] as const)));

export function findCompetence(code: string): Competence | undefined {
  return byCode.get(code);
}

export function domainOf(code: string): number {
  return Number(code.split(".")[0]);
}

export const AUDIENCES = {
  citizen: "Người dân",
  official: "Cán bộ, công chức, viên chức",
} as const;
export type Audience = keyof typeof AUDIENCES;

// Course sets that indicators count (see docs/content-format.md).
export const COURSE_SETS = {
  "adult-basic": "Kỹ năng số cơ bản cho người trưởng thành",
  "official-required": "Bắt buộc với cán bộ, công chức, viên chức",
} as const;
export type CourseSet = keyof typeof COURSE_SETS;
