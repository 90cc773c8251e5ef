import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTempDatabase } from "./support/db";

// Self sign-up (app/accounts/signup.server.ts): every refusal's message, what is kept to refill the form,
// the commune choice and the hourly limit per address. Real SQLite file; refusals hash no password, so only
// the few accepted sign-ups are slow.

beforeAll(async () => {
  await useTempDatabase();
}, 60_000);

afterEach(() => {
  delete process.env.SIGNUPS_PER_ADDRESS;
});

const valid = {
  full_name: "Nguyễn Văn An",
  username: "dangky1",
  password: "matkhau-123",
  password_confirm: "matkhau-123",
  birth_year: "1960",
  commune: "tan ninh",
  consent: "yes",
};

async function signUp(kind: "citizen" | "official", fields: Record<string, string>, ip = "10.20.0.1") {
  const { signUp } = await import("~/accounts/signup.server");
  return signUp(kind, fields, ip);
}

async function stored(username: string) {
  const { db } = await import("~/db.server");
  return db().selectFrom("person").selectAll().where("username", "=", username).executeTakeFirst();
}

describe("refusals, each with its message", () => {
  it("every field missing: one plain message per field, nothing stored", async () => {
    const result = await signUp("official", {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      commune: "Vui lòng nhập xã/phường nơi bạn sống.",
      consent: "Bạn cần đồng ý để chúng tôi lưu kết quả học tập của bạn.",
    });
    expect(Object.keys(result.errors).sort()).toEqual(
      ["agency_code", "birth_year", "commune", "consent", "full_name", "password", "password_confirm", "personnel_code", "username"].sort(),
    );
    expect(result.status).toBeUndefined();
  });

  it("two different passwords; an overlong commune; consent not given; a commune code that does not exist", async () => {
    const mismatch = await signUp("citizen", { ...valid, password_confirm: "matkhau-124" });
    expect(mismatch).toMatchObject({ ok: false, errors: { password_confirm: "Hai lần nhập mật khẩu không giống nhau." } });
    if (!mismatch.ok) expect(Object.keys(mismatch.errors)).toEqual(["password_confirm"]);
    // Over 200 characters is refused (the commune lookup's "not found" is the message shown).
    const long = await signUp("citizen", { ...valid, commune: "x".repeat(201) });
    expect(long).toMatchObject({ ok: false, errors: { commune: expect.stringContaining("Không tìm thấy xã/phường") } });
    const badCode = await signUp("citizen", { ...valid, commune: "", commune_code: "99999" });
    expect(badCode).toEqual({ ok: false, errors: { commune: "Xã/phường đã chọn không hợp lệ." }, values: expect.any(Object), communeChoices: undefined });
    expect(await signUp("citizen", { ...valid, consent: "no" })).toMatchObject({
      ok: false,
      errors: { consent: "Bạn cần đồng ý để chúng tôi lưu kết quả học tập của bạn." },
    });
    expect(await stored("dangky1")).toBeUndefined();
  });

  it("a commune field of spaces asks for the commune; an overlong text beside a chosen commune is refused as too long", async () => {
    const blank = await signUp("citizen", { ...valid, commune: "   " });
    expect(blank).toMatchObject({ ok: false, errors: { commune: "Vui lòng nhập xã/phường nơi bạn sống." } });
    const long = await signUp("citizen", { ...valid, commune: "x".repeat(201), commune_code: "25459" });
    expect(long).toMatchObject({ ok: false, errors: { commune: "Tên xã/phường quá dài." } });
    if (!long.ok) expect(Object.keys(long.errors)).toEqual(["commune"]);
    expect(await stored("dangky1")).toBeUndefined();
  });

  it("a commune that is not in Tây Ninh is named back; an old name offers the new communes to choose from", async () => {
    const none = await signUp("citizen", { ...valid, commune: "  Quận 1 " });
    expect(none).toMatchObject({ ok: false, errors: { commune: "Không tìm thấy xã/phường “Quận 1” ở Tây Ninh. Hãy kiểm tra lại tên." } });
    const old = await signUp("citizen", { ...valid, commune: "phuong hiep ninh" });
    expect(old).toMatchObject({ ok: false, errors: { commune: "Hãy chọn đúng xã/phường của bạn trong danh sách bên dưới." } });
    if (!old.ok) expect(old.communeChoices).toEqual([{ code: "25459", label: "Phường Tân Ninh", formerName: "Phường Hiệp Ninh" }]);
  });

  it("officials: an agency that is not on the list, and a personnel code in the wrong form", async () => {
    const agency = await signUp("official", { ...valid, agency_code: "KHONG-CO", personnel_code: "AB-1" });
    expect(agency).toMatchObject({ ok: false, errors: { agency_code: "Cơ quan, đơn vị đã chọn không có trong danh sách." } });
    if (!agency.ok) expect(Object.keys(agency.errors)).toEqual(["agency_code"]);
    const missing = await signUp("official", { ...valid, agency_code: "", personnel_code: "A" });
    expect(missing).toMatchObject({
      ok: false,
      errors: { agency_code: "Vui lòng chọn cơ quan, đơn vị.", personnel_code: "Mã cán bộ gồm 3–20 chữ cái không dấu, số hoặc dấu gạch." },
    });
  });

  it("the form is refilled with what was typed (cut to 200 characters), never the password", async () => {
    const result = await signUp("official", { ...valid, full_name: "Tên 123", agency_code: "SNV", personnel_code: "x".repeat(250), extra: "bỏ qua" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.values).toEqual({
      full_name: "Tên 123",
      username: "dangky1",
      birth_year: "1960",
      commune: "tan ninh",
      agency_code: "SNV",
      personnel_code: "x".repeat(200),
      consent: "yes",
    });
  });
});

describe("accepted sign-ups", () => {
  it("an official is stored with the agency and the personnel code in capitals; a citizen without them", async () => {
    const official = await signUp("official", {
      ...valid,
      username: "canbomoi",
      agency_code: "STC",
      personnel_code: "stc-42",
      commune: "",
      commune_code: "25486",
    });
    expect(official).toMatchObject({ ok: true });
    expect(await stored("canbomoi")).toMatchObject({
      id: official.ok ? official.personId : "",
      kind: "official",
      agency_code: "STC",
      personnel_code: "STC-42",
      commune_code: "25486",
      full_name: "Nguyễn Văn An",
      birth_year: 1960,
      consent_method: "self",
      must_change_password: 0,
    });
    expect(await signUp("citizen", { ...valid, username: "dansomoi", agency_code: "STC", personnel_code: "STC-43" })).toMatchObject({ ok: true });
    expect(await stored("dansomoi")).toMatchObject({ kind: "citizen", agency_code: null, personnel_code: null, commune_code: "25459" });
  }, 120_000);

  it("a username already taken (in another spelling) gets its own message", async () => {
    const again = await signUp("citizen", { ...valid, username: " DanSoMoi " });
    expect(again).toEqual({
      ok: false,
      errors: { username: "Số điện thoại hoặc tên đăng nhập này đã có người dùng. Hãy đăng nhập, hoặc chọn tên khác." },
      values: expect.objectContaining({ username: " DanSoMoi " }),
    });
  }, 120_000);

  it("past the hourly limit of an address: 429 with how long to wait, counted per address for an hour", async () => {
    const { db } = await import("~/db.server");
    process.env.SIGNUPS_PER_ADDRESS = "1";
    expect(await signUp("citizen", { ...valid, username: "gioihan1" }, "10.20.9.9")).toMatchObject({ ok: true });
    const refused = await signUp("citizen", { ...valid, username: "gioihan2" }, "10.20.9.9");
    expect(refused).toMatchObject({ ok: false, status: 429, errors: {} });
    if (!refused.ok)
      expect(refused.error).toMatch(
        /^Đã có nhiều tài khoản được tạo từ mạng này trong một giờ qua, vui lòng thử lại sau khoảng (\d+) phút\. Nếu bạn đang ở lớp học, hãy báo người hướng dẫn\.$/,
      );
    const minutes = Number(/khoảng (\d+) phút/.exec(refused.ok ? "" : (refused.error ?? ""))?.[1]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(await stored("gioihan2")).toBeUndefined();
    const row = await db().selectFrom("rate_limit").select(["window_start", "count"]).where("key", "=", "signup:ip:10.20.9.9").executeTakeFirstOrThrow();
    expect(row.count).toBe(2);
    expect(row.window_start % (60 * 60_000)).toBe(0);
    // A refusal of the form itself is not counted against the address.
    await signUp("citizen", { ...valid, username: "x" }, "10.20.9.10");
    expect(await db().selectFrom("rate_limit").select("count").where("key", "=", "signup:ip:10.20.9.10").executeTakeFirst()).toBeUndefined();
    delete process.env.SIGNUPS_PER_ADDRESS;
    const { SIGNUPS_PER_ADDRESS } = await import("~/accounts/signup.server");
    expect(SIGNUPS_PER_ADDRESS).toBe(40);
  }, 120_000);

  it("when the line of sign-ups is full: 503 with a plain message, the form refilled, nobody stored; a login meeting it is tried again afterwards", async () => {
    const { hashPassword, verifyPassword, HashQueueFull } = await import("~/accounts/password.server");
    // Two slow checks hold both places (scrypt p=24: about a second each); 32 sign-ups fill their line behind.
    const randomKey = Buffer.alloc(32, 7).toString("base64");
    const salt = Buffer.from("0123456789abcdef").toString("base64");
    const slow = `scrypt$16384$8$24$${salt}$${randomKey}`;
    const fillers = [verifyPassword("x", slow), verifyPassword("x", slow), ...Array.from({ length: 32 }, (_, i) => hashPassword(`cho-${i}`))];
    // A login with an unknown username at the same moment: its decoy hash (checkCredentials) meets the full line too.
    const { checkCredentials } = await import("~/accounts/people.server");
    const [busy, unknownLogin] = await Promise.all([
      signUp("citizen", { ...valid, username: "hangdoidangky" }, "10.20.7.7"),
      checkCredentials("khongcotrongdanhsach", "matkhau-123").then(
        (id) => ({ id }),
        (error: unknown) => ({ error }),
      ),
    ]);
    await Promise.all(fillers);
    expect(unknownLogin).toEqual({ error: expect.any(HashQueueFull) });
    expect(busy).toEqual({
      ok: false,
      status: 503,
      error: "Hệ thống đang bận, vui lòng thử lại sau ít phút.",
      errors: {},
      values: expect.objectContaining({ username: "hangdoidangky", full_name: "Nguyễn Văn An" }),
    });
    expect(await stored("hangdoidangky")).toBeUndefined();
    // Once the line has drained, the same sign-up goes through.
    expect(await signUp("citizen", { ...valid, username: "hangdoidangky" }, "10.20.7.7")).toMatchObject({ ok: true });
    // The refused decoy is not kept: the next unknown username is simply refused, not answered "busy" for ever.
    expect(await checkCredentials("khongcotrongdanhsach", "matkhau-123")).toBeNull();
  }, 120_000);
});
