import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// logIn's decisions (decision 010), with a fixed clock and the counters read straight from the database.
// Earlier attempts are written into the counter tables by hand, so each case costs few password hashes:
// a refused attempt hashes nothing, which is the point of counting before checking.

beforeAll(async () => {
  await useTempDatabase();
}, 60_000);

const MINUTE = 60_000;
// 2 000 000 700 000 ms is a multiple of 15 minutes (900 000 ms): an address window starts there.
const T0 = 2_000_000_700_000;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const TOKEN = "d".repeat(43);

const ACCOUNT_MESSAGE = (minutes: number) =>
  `Bạn đã nhập sai quá nhiều lần. Để giữ an toàn cho tài khoản, vui lòng thử lại sau khoảng ${minutes} phút. Nếu quên mật khẩu, hãy nhờ người hướng dẫn hoặc quản trị viên đặt lại.`;
const WRONG = "Tên đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường).";

async function db() {
  return (await import("~/db.server")).db();
}

async function setAttempts(key: string, attempts: number, lastAttemptAt: number) {
  await (
    await db()
  )
    .insertInto("login_throttle")
    .values({ key, attempts, last_attempt_at: lastAttemptAt })
    .onConflict((oc) => oc.column("key").doUpdateSet({ attempts, last_attempt_at: lastAttemptAt }))
    .execute();
}

async function attempts(key: string) {
  return (await (await db()).selectFrom("login_throttle").select(["attempts", "last_attempt_at"]).where("key", "=", key).executeTakeFirst()) ?? null;
}

async function addressFailures(ip: string) {
  return (await (await db()).selectFrom("rate_limit").select(["window_start", "count"]).where("key", "=", `login:ip:${ip}`).executeTakeFirst()) ?? null;
}

async function setAddressFailures(ip: string, count: number, windowStart: number) {
  await (
    await db()
  )
    .insertInto("rate_limit")
    .values({ key: `login:ip:${ip}`, window_start: windowStart, count })
    .onConflict((oc) => oc.column("key").doUpdateSet({ count, window_start: windowStart }))
    .execute();
}

describe("refused before any password is checked", () => {
  it("a blank username or password gets a 400 in Vietnamese", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const blank = { ok: false, status: 400, error: "Vui lòng nhập tên đăng nhập và mật khẩu." };
    expect(await logIn("", "matkhau-123", "10.9.0.1", { now: T0 })).toEqual(blank);
    expect(await logIn("   ", "matkhau-123", "10.9.0.1", { now: T0 })).toEqual(blank);
    expect(await logIn("ai-do", "", "10.9.0.1", { now: T0 })).toEqual(blank);
    expect(await addressFailures("10.9.0.1")).toBeNull();
  });

  it("after 5 counted attempts the next waits 1 minute, then 2, … never more than 15; a refusal changes no counter", async () => {
    const { logIn, FREE_ATTEMPTS } = await import("~/accounts/login.server");
    expect(FREE_ATTEMPTS).toBe(5);
    await makePerson({ username: "chodoi" });
    const key = "login:account:chodoi";
    await setAttempts(key, 5, T0);
    expect(await logIn("chodoi", "matkhau-123", "10.9.1.1", { now: T0 + 30_000 })).toEqual({ ok: false, status: 429, error: ACCOUNT_MESSAGE(1) });
    await setAttempts(key, 6, T0);
    expect(await logIn("ChoDoi", "matkhau-123", "10.9.1.1", { now: T0 + 30_000 })).toEqual({ ok: false, status: 429, error: ACCOUNT_MESSAGE(2) });
    await setAttempts(key, 8, T0);
    expect(await logIn("chodoi", "matkhau-123", "10.9.1.1", { now: T0 })).toEqual({ ok: false, status: 429, error: ACCOUNT_MESSAGE(8) });
    await setAttempts(key, 40, T0);
    expect(await logIn("chodoi", "matkhau-123", "10.9.1.1", { now: T0 + MINUTE })).toEqual({ ok: false, status: 429, error: ACCOUNT_MESSAGE(14) });
    expect(await logIn("chodoi", "matkhau-123", "10.9.1.1", { now: T0 + 15 * MINUTE - 1 })).toMatchObject({ status: 429, error: ACCOUNT_MESSAGE(1) });
    expect(await attempts(key)).toEqual({ attempts: 40, last_attempt_at: T0 });
    // The address's hits for these refusals were taken back: they were not guesses.
    expect(await addressFailures("10.9.1.1")).toEqual({ window_start: T0, count: 0 });
  });

  it("an address with 300 failures in 15 minutes is refused for the rest of its window, without counting the account", async () => {
    const { logIn, ADDRESS_FAILURES, addressLimit } = await import("~/accounts/login.server");
    expect(ADDRESS_FAILURES).toBe(300);
    expect(addressLimit("10.9.2.2")).toEqual({ key: "login:ip:10.9.2.2", max: 300, windowMs: 15 * MINUTE });
    await makePerson({ username: "mangchung" });
    await setAddressFailures("10.9.2.2", 300, T0);
    expect(await logIn("mangchung", "matkhau-123", "10.9.2.2", { now: T0 + 5 * MINUTE })).toEqual({
      ok: false,
      status: 429,
      error: "Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng, vui lòng thử lại sau khoảng 10 phút.",
    });
    expect(await attempts("login:account:mangchung")).toBeNull();
    // The next window starts afresh.
    expect(await logIn("mangchung", "matkhau-123", "10.9.2.2", { now: T0 + 15 * MINUTE })).toMatchObject({ ok: true });
  });
});

describe("checked attempts", () => {
  it("a wrong password is 401, counted once for the account and once for the address; unknown usernames the same", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "0911222333" });
    await setAddressFailures("10.9.3.3", 299, T0);
    expect(await logIn("+84 911 222 333", "sai-roi", "10.9.3.3", { now: T0 + 1000 })).toEqual({ ok: false, status: 401, error: WRONG });
    expect(await attempts("login:account:0911222333")).toEqual({ attempts: 1, last_attempt_at: T0 + 1000 });
    expect(await addressFailures("10.9.3.3")).toEqual({ window_start: T0, count: 300 });
    expect(await logIn("khong-co-ai", "sai-roi", "10.9.3.4", { now: T0 })).toEqual({ ok: false, status: 401, error: WRONG });
    expect(await attempts("login:account:khong-co-ai")).toEqual({ attempts: 1, last_attempt_at: T0 });
  });

  it("a username pasted far too long is cut to 100 characters before it is counted", async () => {
    const { logIn } = await import("~/accounts/login.server");
    expect(await logIn("x".repeat(5000), "sai-roi", "10.9.3.9", { now: T0 })).toEqual({ ok: false, status: 401, error: WRONG });
    expect(await attempts(`login:account:${"x".repeat(100)}`)).toEqual({ attempts: 1, last_attempt_at: T0 });
    expect(await attempts(`login:account:${"x".repeat(5000)}`)).toBeNull();
  });

  it("attempts more than a day old are forgotten", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "homqua" });
    await setAttempts("login:account:homqua", 9, T0);
    expect(await logIn("homqua", "sai", "10.9.4.4", { now: T0 + 24 * 60 * MINUTE - 1 })).toMatchObject({ status: 401 });
    expect(await attempts("login:account:homqua")).toEqual({ attempts: 10, last_attempt_at: T0 + 24 * 60 * MINUTE - 1 });
    await setAttempts("login:account:homqua", 9, T0);
    expect(await logIn("homqua", "sai", "10.9.4.4", { now: T0 + 24 * 60 * MINUTE })).toMatchObject({ status: 401 });
    expect(await attempts("login:account:homqua")).toEqual({ attempts: 1, last_attempt_at: T0 + 24 * 60 * MINUTE });
  });

  it("success clears the account's count, takes back the address hit and remembers the device and address", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const person = await makePerson({ username: "dungroi" });
    await setAttempts("login:account:dungroi", 3, T0 - MINUTE);
    await setAddressFailures("10.9.5.5", 7, T0);
    const result = await logIn("dungroi", "matkhau-123", "10.9.5.5", { now: T0, deviceToken: TOKEN });
    expect(result).toEqual({ ok: true, personId: person, deviceCookie: `hvs_device=${TOKEN}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000` });
    expect(await attempts("login:account:dungroi")).toBeNull();
    expect(await addressFailures("10.9.5.5")).toEqual({ window_start: T0, count: 7 });
    const known = await (
      await db()
    )
      .selectFrom("known_login")
      .select(["kind", "key_hash", "last_success_at"])
      .where("person_id", "=", person)
      .orderBy("kind")
      .execute();
    expect(known).toEqual([
      { kind: "address", key_hash: sha256("address:10.9.5.5"), last_success_at: T0 },
      { kind: "device", key_hash: sha256(TOKEN), last_success_at: T0 },
    ]);
  });

  it("a known device is counted on its own, even from an address that is refused to strangers", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const person = await makePerson({ username: "maycu" });
    await (
      await db()
    )
      .insertInto("known_login")
      .values([
        { person_id: person, kind: "device", key_hash: sha256(TOKEN), last_success_at: T0 - MINUTE },
        { person_id: person, kind: "address", key_hash: sha256("address:10.9.6.1"), last_success_at: T0 - MINUTE },
      ])
      .execute();
    await setAddressFailures("10.9.6.6", 300, T0);
    await setAttempts("login:account:maycu", 20, T0);
    expect(await logIn("maycu", "sai", "10.9.6.6", { now: T0 + 1000, deviceToken: TOKEN })).toEqual({ ok: false, status: 401, error: WRONG });
    expect(await attempts(`login:device:${sha256(TOKEN)}:${person}`)).toEqual({ attempts: 1, last_attempt_at: T0 + 1000 });
    expect(await addressFailures("10.9.6.6")).toEqual({ window_start: T0, count: 300 });
    // A known address without the device cookie has its own count too.
    await setAttempts(`login:address:${sha256("address:10.9.6.1")}:${person}`, 5, T0);
    expect(await logIn("maycu", "matkhau-123", "10.9.6.1", { now: T0 + 1000 })).toEqual({ ok: false, status: 429, error: ACCOUNT_MESSAGE(1) });
    expect(await addressFailures("10.9.6.1")).toBeNull();
    // The right password on the known device signs in, and the address's count of strangers is left alone.
    const signedIn = await logIn("maycu", "matkhau-123", "10.9.6.6", { now: T0 + 2000, deviceToken: TOKEN });
    expect(signedIn).toMatchObject({ ok: true, personId: person });
    expect(await addressFailures("10.9.6.6")).toEqual({ window_start: T0, count: 300 });
    expect(await attempts(`login:device:${sha256(TOKEN)}:${person}`)).toBeNull();
  });

  it("only the first 200 characters of a password are used, as when it was set", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const { setPassword } = await import("~/accounts/people.server");
    const person = await makePerson({ username: "matkhaudai" });
    await setPassword(person, "m".repeat(200), false);
    expect(await logIn("matkhaudai", "m".repeat(200) + "thua", "10.9.7.7", { now: T0 })).toMatchObject({ ok: true, personId: person });
  });

  it("a stored hash scrypt cannot read is an error for the operator, not a 'busy, try later' answer", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const person = await makePerson({ username: "hongbam" });
    const salt = Buffer.from("0123456789abcdef").toString("base64");
    // N must be a power of two: scrypt refuses N=3 outright.
    await (
      await db()
    )
      .updateTable("person")
      .set({ password_hash: `scrypt$3$8$1$${salt}$${Buffer.alloc(32).toString("base64")}` })
      .where("id", "=", person)
      .execute();
    await expect(logIn("hongbam", "matkhau-123", "10.9.8.9", { now: T0 })).rejects.toThrow(/scrypt/i);
  });

  it("when the line of password checks is full, the login answers 503 with a plain message, not a 500", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const { verifyPassword } = await import("~/accounts/password.server");
    await makePerson({ username: "hangdoi" });
    // Two slow checks hold both places (scrypt p=24: about a second each), 64 quick ones fill the line behind.
    const randomKey = Buffer.alloc(32, 7).toString("base64");
    const salt = Buffer.from("0123456789abcdef").toString("base64");
    const slow = `scrypt$16384$8$24$${salt}$${randomKey}`;
    const quick = `scrypt$16$8$1$${salt}$${randomKey}`;
    const fillers = [verifyPassword("x", slow), verifyPassword("x", slow), ...Array.from({ length: 64 }, () => verifyPassword("x", quick))];
    expect(await logIn("hangdoi", "matkhau-123", "10.9.8.8", { now: T0 })).toEqual({
      ok: false,
      status: 503,
      error: "Hệ thống đang bận, vui lòng thử lại sau ít phút.",
    });
    await Promise.all(fillers);
    // Once the line has drained, the same login goes through.
    expect(await logIn("hangdoi", "matkhau-123", "10.9.8.8", { now: T0 })).toMatchObject({ ok: true });
  }, 120_000);
});
