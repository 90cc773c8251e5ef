import { z } from "zod";
import { foldForSearch } from "~/text/folding";
import { db } from "~/db.server";
import { forgetCommunes } from "./communes.server";

// Administrator edits of organisation data and indicator targets. Every change is validated here.

const agencySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9-]{2,40}$/, "Mã cơ quan gồm 2–40 chữ in hoa không dấu, số hoặc dấu gạch."),
  name: z.string().trim().min(3, "Tên cơ quan quá ngắn.").max(200, "Tên cơ quan quá dài."),
  level: z.enum(["province", "commune"], { error: "Cấp phải là tỉnh hoặc xã." }),
  commune_code: z.string().trim().max(10).default(""),
});

export type EditResult = { ok: true; message: string } | { ok: false; error: string };

export async function saveAgency(fields: Record<string, string>): Promise<EditResult> {
  const parsed = agencySchema.safeParse({ ...fields, code: (fields.code ?? "").toUpperCase() });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { code, name, level } = parsed.data;
  const communeCode = level === "commune" ? parsed.data.commune_code : "";
  if (level === "commune") {
    const commune = await db().selectFrom("commune").select("code").where("code", "=", communeCode).executeTakeFirst();
    if (!commune) return { ok: false, error: "Cơ quan cấp xã cần mã xã/phường hợp lệ (5 chữ số)." };
  }
  const values = { name: name.normalize("NFC"), level, commune_code: communeCode || null, search_name: foldForSearch(name) };
  await db()
    .insertInto("agency")
    .values({ code, ...values })
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .execute();
  return { ok: true, message: `Đã lưu cơ quan ${code}.` };
}

export async function renameCommune(code: string, name: string): Promise<EditResult> {
  const clean = name.normalize("NFC").trim();
  if (clean.length < 2 || clean.length > 100) return { ok: false, error: "Tên xã/phường phải dài 2–100 ký tự." };
  const result = await db()
    .updateTable("commune")
    .set({ name: clean, search_name: foldForSearch(clean) })
    .where("code", "=", code)
    .executeTakeFirst();
  if (!Number(result.numUpdatedRows)) return { ok: false, error: "Không có xã/phường mã này." };
  await forgetCommunes();
  return { ok: true, message: `Đã đổi tên xã/phường ${code}.` };
}

const targetSchema = z.object({
  indicator_id: z.string().min(1).max(60),
  year: z.coerce.number({ error: "Năm không hợp lệ." }).int().min(2020, "Năm không hợp lệ.").max(2100, "Năm không hợp lệ."),
  target_percent: z.coerce.number({ error: "Mục tiêu phải là số phần trăm." }).min(0, "Mục tiêu từ 0 đến 100%.").max(100, "Mục tiêu từ 0 đến 100%."),
});

export async function setTarget(fields: Record<string, string>): Promise<EditResult> {
  const parsed = targetSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { indicator_id, year, target_percent } = parsed.data;
  const indicator = await db().selectFrom("indicator").select("id").where("id", "=", indicator_id).executeTakeFirst();
  if (!indicator) return { ok: false, error: "Không có chỉ tiêu này." };
  await db()
    .insertInto("indicator_target")
    .values({ indicator_id, year, target_percent })
    .onConflict((oc) => oc.columns(["indicator_id", "year"]).doUpdateSet({ target_percent }))
    .execute();
  return { ok: true, message: `Đã đặt mục tiêu ${target_percent}% năm ${year}.` };
}
