import { scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";

// Password hashes and the hash queue (decision 010, security finding 9). The stored form is checked against
// node:crypto's own scrypt called here, not against verifyPassword alone.

function parts(stored: string) {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  return { scheme, n: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
}

const scryptHash = (password: string, salt: Buffer, N: number, r: number, p: number) =>
  `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${scryptSync(password, salt, 32, { N, r, p, maxmem: 256 * N * r }).toString("base64")}`;

describe("the stored hash", () => {
  it("is scrypt N=2^15, r=8, p=1 with a 16-byte random salt and a 32-byte key that scrypt itself reproduces", async () => {
    const { hashPassword } = await import("~/accounts/password.server");
    const stored = await hashPassword("Mật khẩu 123");
    const { scheme, n, r, p, salt, key } = parts(stored);
    expect([scheme, n, r, p, salt.length, key.length]).toEqual(["scrypt", 32768, 8, 1, 16, 32]);
    expect(key.equals(scryptSync("Mật khẩu 123".normalize("NFC"), salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }))).toBe(true);
    // The salt is fresh each time: the same password never gives the same stored text.
    expect(await hashPassword("Mật khẩu 123")).not.toBe(stored);
  });

  it("accepts the right password (also typed in decomposed Unicode) and refuses a wrong one", async () => {
    const { hashPassword, verifyPassword } = await import("~/accounts/password.server");
    const stored = await hashPassword("Nguyễn");
    expect(await verifyPassword("Nguyễn", stored)).toBe(true);
    expect(await verifyPassword("Nguyễn".normalize("NFD"), stored)).toBe(true);
    expect(await verifyPassword("Nguyen", stored)).toBe(false);
  });

  it("reads the cost from the stored text, so hashes made with other parameters still verify", async () => {
    const { verifyPassword } = await import("~/accounts/password.server");
    const stored = scryptHash("matkhau-cu", Buffer.from("0123456789abcdef"), 1024, 4, 2);
    expect(await verifyPassword("matkhau-cu", stored)).toBe(true);
    expect(await verifyPassword("matkhau-moi", stored)).toBe(false);
  });

  it("refuses, without an error, stored text that is not a whole scrypt hash", async () => {
    const { hashPassword, verifyPassword } = await import("~/accounts/password.server");
    const stored = await hashPassword("matkhau-123");
    const [, n, r, p, salt, key] = stored.split("$");
    expect(await verifyPassword("matkhau-123", `bcrypt$${n}$${r}$${p}$${salt}$${key}`)).toBe(false);
    expect(await verifyPassword("matkhau-123", `scrypt$${n}$${r}$${p}$$${key}`)).toBe(false);
    expect(await verifyPassword("matkhau-123", `scrypt$${n}$${r}$${p}$${salt}$`)).toBe(false);
    expect(await verifyPassword("matkhau-123", `scrypt$${n}$${r}$${p}$${salt}`)).toBe(false);
    expect(await verifyPassword("matkhau-123", "")).toBe(false);
    // A key cut short is a different length from what scrypt gives: refused, not thrown.
    expect(await verifyPassword("matkhau-123", `scrypt$${n}$${r}$${p}$${salt}$${key.slice(0, 20)}`)).toBe(false);
  });
});

describe("the hash queue", () => {
  it("runs exactly two hashes at once when more are asked for", async () => {
    const { hashPassword, hashQueuePeak, HASHES_AT_ONCE } = await import("~/accounts/password.server");
    expect(HASHES_AT_ONCE).toBe(2);
    await Promise.all([hashPassword("a-1"), hashPassword("a-2"), hashPassword("a-3"), hashPassword("a-4")]);
    expect(hashQueuePeak()).toBe(2);
  });

  it("a waiting login goes before sign-ups that were waiting longer", async () => {
    const { hashPassword, verifyPassword } = await import("~/accounts/password.server");
    const stored = await hashPassword("dang-nhap");
    const finished: string[] = [];
    const track = <T>(name: string, work: Promise<T>) => work.then((value) => (finished.push(name), value));
    const running = [track("running-1", hashPassword("x-1")), track("running-2", hashPassword("x-2"))];
    const waitingSignUps = [track("sign-up-1", hashPassword("x-3")), track("sign-up-2", hashPassword("x-4"))];
    const login = track("login", verifyPassword("dang-nhap", stored));
    await Promise.all([...running, ...waitingSignUps, login]);
    expect(await login).toBe(true);
    // The login takes the first free slot; the second waiting sign-up can only start after it.
    expect(finished.indexOf("login")).toBeLessThan(finished.indexOf("sign-up-2"));
  });

  it("after a burst, the queue is empty again: the next hash starts at once", async () => {
    const { hashPassword } = await import("~/accounts/password.server");
    await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`burst-${i}`)));
    const started = performance.now();
    await Promise.race([hashPassword("single"), new Promise((_, reject) => setTimeout(() => reject(new Error("stuck in the queue")), 10_000))]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("a full hash queue", () => {
  // Stored text with the cheapest scrypt cost (N=16): each check is quick, but the queue is filled and the extra
  // call made before any of them can finish, so the count is exact.
  const cheap = scryptHash("re", Buffer.from("fedcba9876543210"), 16, 8, 1);

  it("past 2 running and 64 waiting checks, the next check is refused with a 503 in Vietnamese", async () => {
    const { verifyPassword, HashQueueFull, WAITING_LOGINS } = await import("~/accounts/password.server");
    expect(WAITING_LOGINS).toBe(64);
    const accepted = Array.from({ length: 2 + 64 }, () => verifyPassword("re", cheap));
    const refused = await verifyPassword("re", cheap).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HashQueueFull);
    const response = refused as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("60");
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("Hệ thống đang bận, vui lòng thử lại sau ít phút.");
    expect((refused as InstanceType<typeof HashQueueFull>).message).toBe("Hệ thống đang bận, vui lòng thử lại sau ít phút.");
    // Every check that got a place still finishes, and the queue is usable again.
    expect(await Promise.all(accepted)).toEqual(Array.from({ length: 66 }, () => true));
    expect(await verifyPassword("re", cheap)).toBe(true);
  });

  it("sign-ups have their own line of 32: when it is full a login still gets a place", async () => {
    const { hashPassword, verifyPassword, HashQueueFull, WAITING_SIGN_UPS } = await import("~/accounts/password.server");
    expect(WAITING_SIGN_UPS).toBe(32);
    const running = [verifyPassword("re", cheap), verifyPassword("re", cheap)];
    const signUps = Array.from({ length: 32 }, (_, i) => hashPassword(`mot-${i}`));
    const extraSignUp = await hashPassword("thua").then(
      () => null,
      (error: unknown) => error,
    );
    expect(extraSignUp).toBeInstanceOf(HashQueueFull);
    const login = verifyPassword("re", cheap);
    expect(await Promise.all([...running, login])).toEqual([true, true, true]);
    expect((await Promise.all(signUps)).every((stored) => stored.startsWith("scrypt$32768$8$1$"))).toBe(true);
  }, 120_000);
});

describe("one-time PIN", () => {
  it("is always six digits, keeping leading zeros", async () => {
    const { oneTimePin } = await import("~/accounts/password.server");
    const pins = Array.from({ length: 300 }, () => oneTimePin());
    for (const pin of pins) expect(pin).toMatch(/^\d{6}$/);
    // About one PIN in ten starts with 0; none in 300 would happen once in ~10^13 runs.
    expect(pins.some((pin) => pin.startsWith("0"))).toBe(true);
    expect(new Set(pins).size).toBeGreaterThan(250);
  });
});
