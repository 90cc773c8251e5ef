import { z } from "zod";
import { AUDIENCES, COURSE_SETS, findCompetence } from "./framework";
import { pronounceSchema } from "./reading";
import { sectorSchema, sourcesSchema, tasksSchema } from "./services";

// The front matter of course.md, lessons and quiz.md, as schemas with Vietnamese messages: the checker's
// readers are trainers, not programmers (docs/content-format.md).

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Quiz defaults (decision 009): two failed attempts in a row, then a cool-down that starts at an hour and
// doubles after each further failure (at most a day); every question of the bank unless the course says
// otherwise. Courses in the official-required set must draw from a bank at least 1.5 times the draw.
export const QUIZ_DEFAULTS = { pass_percent: 70, max_attempts: 0, free_attempts: 2, cooldown_minutes: 60, questions_per_attempt: 0 };
export type QuizSettings = typeof QUIZ_DEFAULTS;
export const REQUIRED_BANK_RATIO = 1.5;

// ---------------------------------------------------------------------------------------------------------
// Front matter schemas (Vietnamese messages: the checker's readers are trainers, not programmers)

const must = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? "bắt buộc nhưng đang thiếu" : `phải là ${what}`),
});
const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number(must(`một số (${what})`))
    .int("phải là số nguyên")
    .min(min, `phải từ ${min} trở lên`)
    .max(max, `không được lớn hơn ${max}`);

export const courseSchema = z.strictObject(
  {
    title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự"),
    summary: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(300, "dài quá 300 ký tự"),
    audience: z
      .array(
        z.enum(Object.keys(AUDIENCES) as [keyof typeof AUDIENCES], {
          error: "chỉ nhận citizen (người dân) hoặc official (cán bộ, công chức, viên chức)",
        }),
        must("danh sách, ví dụ [citizen, official]"),
      )
      .min(1, "cần ít nhất một đối tượng"),
    competences: z
      .array(
        z.string('mã năng lực phải đặt trong ngoặc kép, ví dụ "1.1"').refine((code) => findCompetence(code) !== undefined, {
          error: (issue) => `mã năng lực "${String(issue.input)}" không có trong khung năng lực số (xem /nang-luc-so)`,
        }),
        must('danh sách mã năng lực, ví dụ ["1.1", "4.2"]'),
      )
      .min(1, "cần ít nhất một mã năng lực"),
    minutes: wholeNumber("số phút", 5, 600),
    order: wholeNumber("thứ tự", 1, 9999),
    sets: z
      .array(
        z.enum(Object.keys(COURSE_SETS) as [keyof typeof COURSE_SETS], {
          error: "chỉ nhận adult-basic hoặc official-required",
        }),
        must("danh sách, ví dụ [adult-basic]"),
      )
      .default([]),
    sequential: z.boolean(must("true hoặc false")).default(true),
    // Digital services (issue 19, decision 021): the sector taught, the documents behind the facts, practice tasks.
    sector: sectorSchema,
    sources: sourcesSchema,
    tasks: tasksSchema,
    pronounce: pronounceSchema, // read aloud, for every lesson (decision 025)
    quiz: z
      .strictObject(
        {
          pass_percent: wholeNumber("phần trăm", 1, 100).default(QUIZ_DEFAULTS.pass_percent),
          max_attempts: wholeNumber("số lần", 0, 100).default(QUIZ_DEFAULTS.max_attempts),
          free_attempts: wholeNumber("số lần", 1, 20).default(QUIZ_DEFAULTS.free_attempts),
          cooldown_minutes: wholeNumber("số phút", 0, 1440).default(QUIZ_DEFAULTS.cooldown_minutes),
          questions_per_attempt: wholeNumber("số câu", 0, 100).default(QUIZ_DEFAULTS.questions_per_attempt),
        },
        must("một nhóm cài đặt"),
      )
      .default(QUIZ_DEFAULTS),
  },
  must("một nhóm trường"),
);

export const lessonSchema = z.strictObject(
  {
    title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự"),
    minutes: wholeNumber("số phút", 1, 120),
    pronounce: pronounceSchema, // read aloud (decision 025)
  },
  must("một nhóm trường"),
);

export const quizSchema = z.strictObject(
  { title: z.string(must("một dòng chữ")).trim().min(1, "không được để trống").max(120, "dài quá 120 ký tự") },
  must("một nhóm trường"),
);
