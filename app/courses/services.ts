import { z } from "zod";

// Digital services in daily life (issue 19): what a course's front matter says about the service sector it
// teaches, the documents its facts rest on ("Căn cứ") and the practice tasks a learner can do for real.
// Plain data and schemas only, so pages and the checker share one list of sectors.

export const SECTORS = {
  health: "Y tế",
  education: "Giáo dục",
  insurance: "Bảo hiểm xã hội",
  transport: "Giao thông",
  business: "Kinh doanh",
  "public-services": "Dịch vụ công",
  general: "Kỹ năng chung",
} as const;
export type Sector = keyof typeof SECTORS;

/**
 * The four sectors of the province's third target (Kế hoạch 2087/KH-UBND): 82% of adults using digital
 * services in health, education, insurance and transport by 2026. Only tasks of courses in these sectors
 * count for the indicator `adults-using-digital-services` (decision 021).
 */
export const SERVICE_SECTORS = ["health", "education", "insurance", "transport"] as const satisfies readonly Sector[];
export type ServiceSector = (typeof SERVICE_SECTORS)[number];

export function isServiceSector(sector: string): sector is ServiceSector {
  return (SERVICE_SECTORS as readonly string[]).includes(sector);
}

export type Source = { title: string; url: string | null };

export type TaskOption = { id: string; text: string };

/** A practice task (nhiệm vụ thực hành). `answer` is the correct option id: server only. */
export type PracticeTask = {
  id: string;
  title: string;
  question: string;
  options: TaskOption[];
  answer: string;
};

/** The task as a page may show it: the self-check question without its answer. */
export type PublicTask = Omit<PracticeTask, "answer">;

export function publicTask({ answer: _answer, ...task }: PracticeTask): PublicTask {
  return task;
}

const TASK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OPTION = /^\[([ xX])\]\s+(\S.*)$/;
export const TASK_OPTION_IDS = "abcde";

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "bắt buộc nhưng đang thiếu" : "phải là một dòng chữ") })
    .trim()
    .min(1, "không được để trống")
    .max(max, `dài quá ${max} ký tự`);

const sourceSchema = z.union(
  [
    text(300),
    z.strictObject({
      title: text(300),
      url: z
        .string()
        .regex(/^https:\/\/[^\s]+$/, "địa chỉ phải bắt đầu bằng https:// và không có dấu cách")
        .optional(),
    }),
  ],
  { error: 'mỗi căn cứ là tên văn bản, hoặc dạng { title: "...", url: "https://..." }' },
);

export const sourcesSchema = z
  .array(sourceSchema, {
    error: (issue) =>
      issue.input === undefined
        ? "bắt buộc nhưng đang thiếu: ghi các văn bản pháp luật, trang chính thức làm căn cứ cho bài (mục “Căn cứ”)"
        : "phải là danh sách, mỗi dòng bắt đầu bằng “- ”",
  })
  .min(1, "cần ít nhất một căn cứ (văn bản pháp luật hoặc trang chính thức)")
  .transform((items): Source[] => items.map((s) => (typeof s === "string" ? { title: s, url: null } : { title: s.title, url: s.url ?? null })));

export const sectorSchema = z.enum(Object.keys(SECTORS) as [Sector], { error: `chỉ nhận một trong: ${Object.keys(SECTORS).join(", ")}` }).default("general");

const taskSchema = z
  .strictObject({
    id: z.string({ error: "bắt buộc nhưng đang thiếu" }).regex(TASK_ID, "chỉ được dùng chữ thường không dấu, số và dấu gạch ngang"),
    title: text(120),
    question: text(300),
    options: z
      .array(z.string({ error: "mỗi lựa chọn là một dòng chữ" }).regex(OPTION, 'mỗi lựa chọn viết dạng "[x] đáp án đúng" hoặc "[ ] đáp án sai"'), {
        error: "bắt buộc: danh sách lựa chọn cho câu tự kiểm tra",
      })
      .min(2, "cần ít nhất 2 lựa chọn")
      .max(TASK_OPTION_IDS.length, `tối đa ${TASK_OPTION_IDS.length} lựa chọn`),
  })
  .superRefine((task, ctx) => {
    const correct = task.options.filter((o) => OPTION.exec(o)?.[1] !== " ").length;
    if (correct !== 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `câu tự kiểm tra cần đúng một lựa chọn đánh dấu [x] (đang có ${correct})` });
    }
  })
  .transform((task): PracticeTask => {
    const options = task.options.map((o, i) => {
      const [, mark = " ", body = o] = OPTION.exec(o) ?? [];
      return { id: TASK_OPTION_IDS[i], text: body.trim(), correct: mark !== " " };
    });
    return {
      id: task.id,
      title: task.title,
      question: task.question,
      options: options.map(({ id, text }) => ({ id, text })),
      answer: options.find((o) => o.correct)?.id ?? "",
    };
  });

export const tasksSchema = z
  .array(taskSchema, { error: "phải là danh sách nhiệm vụ, mỗi nhiệm vụ bắt đầu bằng “- id: ...”" })
  .max(10, "tối đa 10 nhiệm vụ mỗi khóa")
  .superRefine((tasks, ctx) => {
    const seen = new Set<string>();
    tasks.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `mã nhiệm vụ "${t.id}" bị trùng trong khóa học` });
      seen.add(t.id);
    });
  })
  .default([]);
