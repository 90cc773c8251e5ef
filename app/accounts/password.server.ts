import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt is memory-hard and built into Node: no native add-on to compile. N=2^15, r=8 uses 32 MiB per hash.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

// ---------------------------------------------------------------------------------------------------------
// The hash queue. Each scrypt takes ~90 ms of a core and 32 MiB; unbounded, 40 parallel sign-ups filled the
// thread pool and every login waited behind them. At most two hashes run at once (this server has two cores)
// and the rest wait in two bounded lines: checks of a password (logins) go before new hashes (sign-ups,
// password changes), so a flood of sign-ups cannot hold up people signing in. Past a full line the answer is
// 503 with a plain message, never a 500.

export const HASHES_AT_ONCE = 2;
export const WAITING_LOGINS = 64;
export const WAITING_SIGN_UPS = 32;
const BUSY_MESSAGE = "Hệ thống đang bận, vui lòng thử lại sau ít phút.";

type Line = "check" | "create";
const waiting: Record<Line, Array<() => void>> = { check: [], create: [] };
const waitingLimit: Record<Line, number> = { check: WAITING_LOGINS, create: WAITING_SIGN_UPS };
let running = 0;
let peak = 0;

/** Thrown when the line is full. A Response, so a route that does not catch it still answers 503. */
export class HashQueueFull extends Response {
  readonly message = BUSY_MESSAGE;
  constructor() {
    super(BUSY_MESSAGE, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "60" } });
  }
}

/** The most hashes that ever ran at once in this process (for tests and monitoring). */
export function hashQueuePeak(): number {
  return peak;
}

async function inHashQueue<T>(line: Line, work: () => Promise<T>): Promise<T> {
  if (running < HASHES_AT_ONCE) running += 1;
  else if (waiting[line].length >= waitingLimit[line]) throw new HashQueueFull();
  else await new Promise<void>((resolve) => waiting[line].push(resolve)); // the slot is handed over, still counted
  peak = Math.max(peak, running);
  try {
    return await work();
  } finally {
    const next = waiting.check.shift() ?? waiting.create.shift();
    if (next) next();
    else running -= 1;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await inHashQueue("create", () => derive(password, salt, PARAMS));
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const actual = await inHashQueue("check", () => derive(password, Buffer.from(salt, "base64"), params));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A one-time PIN for assisted enrollment and resets: 6 digits, easy to read aloud and type on a phone. */
export function oneTimePin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}
