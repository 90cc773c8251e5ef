import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Security review, issue 12: findings 3 (limits beaten by parallel requests), 4 (anyone can lock others out)
// and 9 (sign-up floods). Real SQLite file, real scrypt.

beforeAll(async () => {
  await useTempDatabase();
});

type Outcome = { ok: boolean; status?: number; error?: string; deviceCookie?: string };

function statuses(results: Outcome[]) {
  const count = (status: number) => results.filter((r) => !r.ok && r.status === status).length;
  return { ok: results.filter((r) => r.ok).length, 401: count(401), 429: count(429), 503: count(503) };
}

function deviceTokenOf(result: Outcome): string {
  const match = /hvs_device=([^;]+)/.exec(result.deviceCookie ?? "");
  if (!match) throw new Error("no device cookie");
  return match[1];
}

const minutes = (n: number) => n * 60_000;

describe("finding 3: the attempt is counted before the password is checked", () => {
  it("20 parallel wrong passwords on one account: only the free attempts are checked, the rest are refused", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "songsong" });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => logIn("songsong", `sai-${i}`, `10.0.0.${i}`)));
    const seen = statuses(results);
    expect(seen[401]).toBeLessThanOrEqual(5);
    expect(seen[401] + seen[429]).toBe(20);
    const refused = (results as Outcome[]).find((r) => !r.ok && r.status === 429);
    expect(refused?.error).toMatch(/nhập sai quá nhiều lần.*thử lại sau khoảng \d+ phút/);
  });

  // Which five are checked is up to the scheduler (PostgreSQL takes the lock in any order), so the right PIN
  // may be one of them: the guarantee is that no more than five of the sixty are checked at all.
  it("a 6-digit PIN cannot be guessed by firing many guesses at once: only the five free ones are checked", async () => {
    const { logIn } = await import("~/accounts/login.server");
    const { setPassword } = await import("~/accounts/people.server");
    const person = await makePerson({ username: "mapin" });
    await setPassword(person, "482913", true);
    const guesses = Array.from({ length: 60 }, (_, i) => String(482_900 + i).padStart(6, "0")); // includes the PIN
    const results = await Promise.all(guesses.map((pin, i) => logIn("mapin", pin, `10.1.0.${i}`)));
    const seen = statuses(results);
    expect(seen.ok + seen[401]).toBeLessThanOrEqual(5);
    expect(seen[429]).toBeGreaterThanOrEqual(55);
  });

  it("an attacker gets about four guesses an hour once the free ones are spent: about a hundred a day, not a million", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "motngay" });
    const start = Date.now();
    let checked = 0;
    // Six hours of trying every five minutes, from one address.
    for (let minute = 0; minute < 6 * 60; minute += 5) {
      const result = await logIn("motngay", String(100_000 + minute), "10.2.0.1", { now: start + minutes(minute) });
      if (!result.ok && result.status === 401) checked += 1;
    }
    expect(checked).toBeGreaterThan(5);
    expect(checked).toBeLessThanOrEqual(5 + 4 + 6 * 4);
  });
});

describe("finding 4: a stranger's wrong guesses slow the account down but never lock the owner out", () => {
  it("the owner still signs in from a phone that signed in before", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "0987654321" });
    const first = await logIn("0987654321", "matkhau-123", "100.64.0.1");
    expect(first.ok).toBe(true);
    expect(first.ok && first.deviceCookie).toMatch(/HttpOnly/);
    const phone = deviceTokenOf(first);
    for (let i = 0; i < 30; i++) await logIn("0987654321", `doan-${i}`, `203.0.113.${i}`);
    const stranger = await logIn("0987654321", "matkhau-123", "203.0.113.99");
    expect(stranger).toMatchObject({ ok: false, status: 429 });
    expect(await logIn("0987654321", "matkhau-123", "100.64.9.9", { deviceToken: phone })).toMatchObject({ ok: true });
  });

  it("the delay grows step by step and the message says how long to wait; then the right password works", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "quantrivien" });
    const start = Date.now();
    for (let i = 0; i < 5; i++) {
      expect(await logIn("quantrivien", `sai-${i}`, "198.51.100.1", { now: start })).toMatchObject({ ok: false, status: 401 });
    }
    const waitOne = await logIn("quantrivien", "matkhau-123", "198.51.100.2", { now: start + 1000 });
    expect(waitOne).toMatchObject({ ok: false, status: 429, error: expect.stringContaining("khoảng 1 phút") });
    expect(await logIn("quantrivien", "sai-6", "198.51.100.1", { now: start + minutes(1) })).toMatchObject({ status: 401 });
    const waitTwo = await logIn("quantrivien", "matkhau-123", "198.51.100.2", { now: start + minutes(1.5) });
    expect(waitTwo).toMatchObject({ ok: false, status: 429, error: expect.stringContaining("khoảng 2 phút") });
    // Slowed down, not locked: once the delay has passed, the right password gets in from any address.
    expect(await logIn("quantrivien", "matkhau-123", "198.51.100.2", { now: start + minutes(4) })).toMatchObject({ ok: true });
    // And a success starts the count afresh.
    expect(await logIn("quantrivien", "sai-7", "198.51.100.1", { now: start + minutes(4) })).toMatchObject({ status: 401 });
  });

  it("the delay never exceeds 15 minutes however many guesses were made", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "giamtoida" });
    const start = Date.now();
    let now = start;
    for (let i = 0; i < 12; i++) {
      const result = await logIn("giamtoida", `sai-${i}`, "198.51.100.7", { now });
      expect(result).toMatchObject({ status: 401 });
      now += minutes(15);
    }
    const refused = await logIn("giamtoida", "matkhau-123", "198.51.100.8", { now: now - minutes(15) + 1000 });
    expect(refused).toMatchObject({ status: 429, error: expect.stringContaining("khoảng 15 phút") });
    expect(await logIn("giamtoida", "matkhau-123", "198.51.100.8", { now })).toMatchObject({ ok: true });
  });

  it("many wrong passwords from one shared mobile address do not stop other people behind it", async () => {
    const { logIn } = await import("~/accounts/login.server");
    await makePerson({ username: "hangxom" });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => logIn(`khongco-nat-${i}`, "sai", "100.100.1.1")));
    expect(statuses(results)[401]).toBe(40);
    expect(await logIn("hangxom", "matkhau-123", "100.100.1.1")).toMatchObject({ ok: true });
  });

  it("the per-address limit still holds at a few hundred failures, counted before the hash", async () => {
    const { logIn, addressLimit, ADDRESS_FAILURES } = await import("~/accounts/login.server");
    const { hit } = await import("~/accounts/rate-limit.server");
    expect(ADDRESS_FAILURES).toBeGreaterThanOrEqual(200);
    const owner = await logIn((await makePersonNamed("conguoiquen")).username, "matkhau-123", "100.100.2.2");
    for (let i = 0; i < ADDRESS_FAILURES; i++) await hit(addressLimit("100.100.3.3"));
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => logIn(`khongco-ip-${i}`, "sai", "100.100.3.3")));
    expect(statuses(results)[429]).toBe(5);
    expect((results[0] as Outcome).error).toContain("thử lại sau khoảng");
    // A phone that signed in to its account before is not held back by strangers on the same address.
    expect(await logIn("conguoiquen", "matkhau-123", "100.100.3.3", { deviceToken: deviceTokenOf(owner) })).toMatchObject({ ok: true });
  });
});

async function makePersonNamed(username: string) {
  await makePerson({ username });
  return { username };
}

describe("finding 9: sign-up is limited per address and hashes wait in a bounded queue", () => {
  const form = (username: string) => ({
    full_name: "Trần Thị Mai",
    username,
    password: "matkhau-123",
    password_confirm: "matkhau-123",
    birth_year: "1961",
    commune: "tan ninh",
    consent: "yes",
  });

  it("parallel sign-ups from one address beyond the hourly limit are refused in Vietnamese and create no account", async () => {
    const { signUp, SIGNUPS_PER_ADDRESS } = await import("~/accounts/signup.server");
    const { db } = await import("~/db.server");
    const total = SIGNUPS_PER_ADDRESS + 5;
    const names = Array.from({ length: total }, (_, i) => `luot${i}`);
    const results = await Promise.all(names.map((name) => signUp("citizen", form(name), "203.0.113.50")));
    const seen = statuses(results as Outcome[]);
    expect(seen[429]).toBeGreaterThanOrEqual(5);
    expect(seen.ok + seen[429] + seen[503]).toBe(total);
    const refused = names.filter((_, i) => !results[i].ok && (results[i] as Outcome).status === 429);
    expect((results.find((r) => !r.ok && (r as Outcome).status === 429) as Outcome).error).toContain("thử lại sau khoảng");
    const created = await db().selectFrom("person").select("username").where("username", "in", names).execute();
    expect(created).toHaveLength(seen.ok);
    expect(created.map((p) => p.username)).not.toEqual(expect.arrayContaining(refused.slice(0, 1)));
    // Another address is not affected.
    expect(await signUp("citizen", form("khacdiachi"), "203.0.113.51")).toMatchObject({ ok: true });
  });

  it("a flood of sign-ups runs at most two hashes at once, answers 503 past the queue, and a login still gets through", async () => {
    const { signUp } = await import("~/accounts/signup.server");
    const { logIn } = await import("~/accounts/login.server");
    const { HASHES_AT_ONCE, WAITING_SIGN_UPS, hashQueuePeak } = await import("~/accounts/password.server");
    await makePerson({ username: "dangnhaptrongluclut" });
    const flood = HASHES_AT_ONCE + WAITING_SIGN_UPS + 6;
    let finishedSignUps = 0;
    const signUps = Array.from({ length: flood }, (_, i) => signUp("citizen", form(`lut${i}`), `192.0.2.${i}`).finally(() => (finishedSignUps += 1)));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the flood is already queued
    const login = await logIn("dangnhaptrongluclut", "matkhau-123", "192.0.2.250");
    const signUpsBeforeLogin = finishedSignUps;
    const results = await Promise.all(signUps);
    expect(login).toMatchObject({ ok: true });
    expect(signUpsBeforeLogin).toBeLessThan(flood / 2);
    expect(hashQueuePeak()).toBeLessThanOrEqual(HASHES_AT_ONCE);
    const seen = statuses(results as Outcome[]);
    expect(seen[503]).toBeGreaterThanOrEqual(1);
    expect(seen.ok + seen[503]).toBe(flood);
    expect((results.find((r) => !r.ok) as Outcome).error).toBe("Hệ thống đang bận, vui lòng thử lại sau ít phút.");
  });
});
