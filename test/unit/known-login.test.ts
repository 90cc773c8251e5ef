import { createHash } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Devices and addresses a person signed in from (decision 010): what the phone keeps, what the database
// keeps, and for how long each counts as "known". Real SQLite file; hashes recomputed here with node:crypto.

beforeAll(async () => {
  await useTempDatabase();
});

afterEach(() => {
  delete process.env.COOKIE_SECURE;
});

const DAY = 24 * 60 * 60_000;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const TOKEN = "A".repeat(20) + "b_c-".repeat(4) + "9".repeat(7); // 43 characters, like base64url of 32 bytes

async function storedRows(personId: string) {
  const { db } = await import("~/db.server");
  return db()
    .selectFrom("known_login")
    .select(["kind", "key_hash", "last_success_at"])
    .where("person_id", "=", personId)
    .orderBy("kind")
    .orderBy("key_hash")
    .execute();
}

describe("reading the device cookie", () => {
  it("finds the token among other cookies, and only a token of 32–64 safe characters", async () => {
    const { deviceTokenFrom } = await import("~/accounts/known-login.server");
    expect(deviceTokenFrom(`hvs_device=${TOKEN}`)).toBe(TOKEN);
    expect(deviceTokenFrom(`theme=dark; hvs_device=${TOKEN}; lang=vi`)).toBe(TOKEN);
    expect(deviceTokenFrom(`theme=dark;hvs_device=${TOKEN}`)).toBe(TOKEN);
    expect(deviceTokenFrom(`hvs_device=${"x".repeat(32)}`)).toBe("x".repeat(32));
    expect(deviceTokenFrom(`hvs_device=${"x".repeat(64)}`)).toBe("x".repeat(64));
    expect(deviceTokenFrom(`hvs_device=${"x".repeat(31)}`)).toBeNull();
    expect(deviceTokenFrom(`hvs_device=${"x".repeat(65)}`)).toBeNull();
    expect(deviceTokenFrom(`old_hvs_device=${TOKEN}`)).toBeNull();
    expect(deviceTokenFrom(`hvs_device=${TOKEN}x!`)).toBeNull();
    expect(deviceTokenFrom(`hvs_device=!${TOKEN}`)).toBeNull();
    expect(deviceTokenFrom(null)).toBeNull();
    expect(deviceTokenFrom("")).toBeNull();
  });
});

describe("remembering a sign-in", () => {
  it("stores only hashes of the device token and of the address, and hands back a long-lived HttpOnly cookie", async () => {
    const { rememberLogin } = await import("~/accounts/known-login.server");
    const person = await makePerson();
    const now = 1_800_000_000_000;
    const cookie = await rememberLogin(person, TOKEN, "203.0.113.7", now);
    expect(cookie).toBe(`hvs_device=${TOKEN}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`);
    expect(await storedRows(person)).toEqual([
      { kind: "address", key_hash: sha256("address:203.0.113.7"), last_success_at: now },
      { kind: "device", key_hash: sha256(TOKEN), last_success_at: now },
    ]);
  });

  it("marks the cookie Secure when the site runs on HTTPS", async () => {
    const { rememberLogin } = await import("~/accounts/known-login.server");
    process.env.COOKIE_SECURE = "1";
    const person = await makePerson();
    expect(await rememberLogin(person, TOKEN, "203.0.113.8")).toBe(`hvs_device=${TOKEN}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000; Secure`);
  });

  it("a phone without a token gets a new random one; an unknown address is not stored", async () => {
    const { rememberLogin, deviceTokenFrom } = await import("~/accounts/known-login.server");
    const person = await makePerson();
    const first = deviceTokenFrom(await rememberLogin(person, null, "unknown", 1_800_000_000_000));
    const second = deviceTokenFrom(await rememberLogin(person, undefined, "", 1_800_000_000_000));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    const rows = await storedRows(person);
    expect(rows.map((r) => r.kind)).toEqual(["device", "device"]);
    expect(rows.map((r) => r.key_hash).sort()).toEqual([sha256(first!), sha256(second!)].sort());
  });

  it("signing in again renews the date instead of adding a row, and rows unused for over a year are dropped", async () => {
    const { rememberLogin } = await import("~/accounts/known-login.server");
    const person = await makePerson();
    const start = 1_800_000_000_000;
    await rememberLogin(person, "o".repeat(43), "198.51.100.1", start);
    await rememberLogin(person, TOKEN, "198.51.100.2", start + 10 * DAY);
    await rememberLogin(person, TOKEN, "198.51.100.2", start + 20 * DAY);
    expect((await storedRows(person)).length).toBe(4);
    expect((await storedRows(person)).filter((r) => r.last_success_at === start + 20 * DAY).length).toBe(2);
    // Exactly 365 days after the first sign-in its rows are still kept; a millisecond later they go.
    await rememberLogin(person, TOKEN, "198.51.100.2", start + 365 * DAY);
    expect((await storedRows(person)).length).toBe(4);
    await rememberLogin(person, TOKEN, "198.51.100.2", start + 365 * DAY + 1);
    expect(await storedRows(person)).toEqual([
      { kind: "address", key_hash: sha256("address:198.51.100.2"), last_success_at: start + 365 * DAY + 1 },
      { kind: "device", key_hash: sha256(TOKEN), last_success_at: start + 365 * DAY + 1 },
    ]);
  });
});

describe("recognising a device or an address", () => {
  it("the device for a year, the address for 30 days, each only for the account it signed in to", async () => {
    const { rememberLogin, knownBy } = await import("~/accounts/known-login.server");
    const person = await makePerson();
    const other = await makePerson();
    const at = 1_900_000_000_000;
    await rememberLogin(person, TOKEN, "192.0.2.44", at);
    const device = { kind: "device", keyHash: sha256(TOKEN) };
    const address = { kind: "address", keyHash: sha256("address:192.0.2.44") };
    // The device is checked first, even from the same address.
    expect(await knownBy(person, TOKEN, "192.0.2.44", at)).toEqual(device);
    expect(await knownBy(person, TOKEN, "192.0.2.99", at + 365 * DAY)).toEqual(device);
    expect(await knownBy(person, TOKEN, "192.0.2.99", at + 365 * DAY + 1)).toBeNull();
    expect(await knownBy(person, null, "192.0.2.44", at + 30 * DAY)).toEqual(address);
    expect(await knownBy(person, null, "192.0.2.44", at + 30 * DAY + 1)).toBeNull();
    // A device it does not know falls back to the address, if that is still recent.
    expect(await knownBy(person, "z".repeat(43), "192.0.2.44", at + DAY)).toEqual(address);
    expect(await knownBy(person, null, "192.0.2.45", at)).toBeNull();
    expect(await knownBy(person, null, "unknown", at)).toBeNull();
    expect(await knownBy(other, TOKEN, "192.0.2.44", at)).toBeNull();
  });
});
