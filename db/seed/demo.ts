import type { Kysely } from "kysely";
import type { DB } from "../schema";

/** Demo data for a first look at the site. Never run in production (see scripts/setup.ts). */
export async function seedDemo(_db: Kysely<DB>): Promise<string> {
  if (process.env.NODE_ENV === "production" && process.env.ALLOW_DEMO !== "1") {
    throw new Error("Không tạo dữ liệu mẫu trên hệ thống thật (NODE_ENV=production).");
  }
  return "Dữ liệu mẫu: nội dung 10 khoá học được đọc từ content/ khi máy chủ khởi động.";
}
