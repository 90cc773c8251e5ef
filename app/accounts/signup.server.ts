import { z } from "zod";
import { agencyByCode } from "~/organisation/agencies.server";
import { communeByCode, resolveCommune, type Commune } from "~/organisation/communes.server";
import type { FieldErrors } from "~/ui/forms.server";
import { fieldErrors } from "~/ui/forms.server";
import {
  birthYearField,
  createPerson,
  fullNameField,
  passwordField,
  personnelCodeField,
  RosterEntryClaimed,
  usernameField,
  UsernameTaken,
} from "./people.server";
import { HashQueueFull } from "./password.server";
import { hit, waitMessage, type Limit } from "./rate-limit.server";

// Self sign-up for citizens and officials. Officials also declare agency and personnel code (mã cán bộ),
// kept as declared and matched against the roster when one is imported.

const baseSchema = z.object({
  full_name: fullNameField,
  username: usernameField,
  password: passwordField,
  password_confirm: z.string(),
  birth_year: birthYearField,
  commune: z.string().max(200, "Tên xã/phường quá dài.").default(""),
  commune_code: z.string().max(10).default(""),
  consent: z.literal("yes", { error: "Bạn cần đồng ý để chúng tôi lưu kết quả học tập của bạn." }),
});

const officialSchema = z.object({
  agency_code: z.string().min(1, "Vui lòng chọn cơ quan, đơn vị.").max(40),
  personnel_code: personnelCodeField,
});

// Sign-ups per address and hour, counted before the password is hashed. A community session has a trainer
// helping about 30 people sign up on one Wi-Fi (one address) within an hour; 40 leaves room for retries and
// a second group, and still bounds a flood from one address to 40 hashes an hour (decision 010). The e2e
// server, where every test signs up from 127.0.0.1, raises it with SIGNUPS_PER_ADDRESS.
export const SIGNUPS_PER_ADDRESS = 40;
const signUpLimit = (ip: string): Limit => ({
  key: `signup:ip:${ip}`,
  max: Number(process.env.SIGNUPS_PER_ADDRESS) || SIGNUPS_PER_ADDRESS,
  windowMs: 60 * 60_000,
});

export const ROSTER_ENTRY_CLAIMED =
  "Đã có một tài khoản khác với cùng mã cán bộ, họ tên và năm sinh này. Mỗi cán bộ chỉ có một tài khoản: nếu đó là tài khoản cũ của bạn, hãy đăng nhập (quên mật khẩu thì nhờ cán bộ phụ trách đào tạo của cơ quan đặt lại); nếu không phải bạn, hãy liên hệ cán bộ phụ trách đào tạo của cơ quan.";

export type SignUpValues = Record<string, string>;
export type CommuneChoice = { code: string; label: string; formerName?: string };

export type SignUpResult =
  | { ok: true; personId: string }
  | { ok: false; errors: FieldErrors; values: SignUpValues; communeChoices?: CommuneChoice[]; status?: 429 | 503; error?: string };

const KEPT_FIELDS = ["full_name", "username", "birth_year", "commune", "agency_code", "personnel_code", "consent"];

function keep(fields: Record<string, string>): SignUpValues {
  return Object.fromEntries(KEPT_FIELDS.map((k) => [k, (fields[k] ?? "").slice(0, 200)]));
}

async function pickCommune(text: string, code: string): Promise<{ commune?: Commune; error?: string; choices?: CommuneChoice[] }> {
  if (code) {
    const commune = await communeByCode(code);
    return commune ? { commune } : { error: "Xã/phường đã chọn không hợp lệ." };
  }
  if (!text.trim()) return { error: "Vui lòng nhập xã/phường nơi bạn sống." };
  const match = await resolveCommune(text);
  if (match.kind === "exact") return { commune: match.commune };
  if (match.kind === "none") return { error: `Không tìm thấy xã/phường “${text.trim()}” ở Tây Ninh. Hãy kiểm tra lại tên.` };
  return {
    error: "Hãy chọn đúng xã/phường của bạn trong danh sách bên dưới.",
    choices: match.candidates.map((c) => ({ code: c.commune.code, label: c.commune.label, formerName: c.formerName })),
  };
}

export async function signUp(kind: "citizen" | "official", fields: Record<string, string>, ip: string): Promise<SignUpResult> {
  const values = keep(fields);
  const errors: FieldErrors = {};
  const base = baseSchema.safeParse(fields);
  if (!base.success) Object.assign(errors, fieldErrors(base.error));
  if (base.success && base.data.password !== base.data.password_confirm) errors.password_confirm = "Hai lần nhập mật khẩu không giống nhau.";

  let official: z.infer<typeof officialSchema> | undefined;
  if (kind === "official") {
    const parsed = officialSchema.safeParse(fields);
    if (!parsed.success) Object.assign(errors, fieldErrors(parsed.error));
    else if (!(await agencyByCode(parsed.data.agency_code))) errors.agency_code = "Cơ quan, đơn vị đã chọn không có trong danh sách.";
    else official = parsed.data;
  }

  const place = await pickCommune(fields.commune ?? "", fields.commune_code ?? "");
  if (place.error) errors.commune = place.error;

  if (Object.keys(errors).length || !base.success || !place.commune) {
    return { ok: false, errors, values, communeChoices: place.choices };
  }
  const wait = await hit(signUpLimit(ip));
  if (wait) {
    const error = `Đã có nhiều tài khoản được tạo từ mạng này trong một giờ qua, ${waitMessage(wait)}. Nếu bạn đang ở lớp học, hãy báo người hướng dẫn.`;
    return { ok: false, status: 429, error, errors: {}, values };
  }
  try {
    const personId = await createPerson({
      username: base.data.username,
      fullName: base.data.full_name,
      birthYear: base.data.birth_year,
      communeCode: place.commune.code,
      kind,
      password: base.data.password,
      agencyCode: official?.agency_code ?? null,
      personnelCode: official?.personnel_code ?? null,
      consentMethod: "self",
    });
    return { ok: true, personId };
  } catch (error) {
    if (error instanceof HashQueueFull) return { ok: false, status: 503, error: error.message, errors: {}, values };
    if (error instanceof RosterEntryClaimed) return { ok: false, errors: { personnel_code: ROSTER_ENTRY_CLAIMED }, values };
    if (error instanceof UsernameTaken) {
      return { ok: false, errors: { username: "Số điện thoại hoặc tên đăng nhập này đã có người dùng. Hãy đăng nhập, hoặc chọn tên khác." }, values };
    }
    throw error;
  }
}
