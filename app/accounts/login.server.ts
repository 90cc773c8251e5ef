import { db } from "~/db.server";
import { knownBy, rememberLogin, type KnownBy } from "./known-login.server";
import { HashQueueFull } from "./password.server";
import { checkCredentials, normalizeUsername } from "./people.server";
import { clearAttempts, hit, reserveAttempt, undoHit, waitMessage, type Limit, type Throttle } from "./rate-limit.server";

// Login limits (decision 010). Every attempt is counted *before* the slow password check, so parallel requests
// cannot get more guesses than the allowance.
// - Per account: the first 5 attempts are free, then each further one waits 1, 2, 4, 8, then 15 minutes at
//   most: a guesser is slowed to about 100 tries a day, the owner is never locked out. Attempts from a device
//   or address that has signed in to the account before are counted apart, so strangers cannot slow the owner.
// - Per address: 300 failures in 15 minutes, enough for a carrier NAT with many people behind one address.
// A success clears the account's count and takes back its address hit. The message never says whether the
// username exists.

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
export const FREE_ATTEMPTS = 5;
export const ADDRESS_FAILURES = 300;

export const addressLimit = (ip: string): Limit => ({ key: `login:ip:${ip}`, max: ADDRESS_FAILURES, windowMs: WINDOW });

function throttleFor(username: string, personId: string | undefined, known: KnownBy | null): Throttle {
  const key = known && personId ? `login:${known.kind}:${known.keyHash}:${personId}` : `login:account:${username}`;
  return { key, free: FREE_ATTEMPTS, firstDelayMs: MINUTE, maxDelayMs: WINDOW, forgetAfterMs: 24 * 60 * MINUTE };
}

export type LoginResult = { ok: true; personId: string; deviceCookie: string } | { ok: false; status: 400 | 401 | 429 | 503; error: string };

type LoginOptions = { deviceToken?: string | null; now?: number };

const tooManyForAccount = (seconds: number): LoginResult => ({
  ok: false,
  status: 429,
  error: `Bạn đã nhập sai quá nhiều lần. Để giữ an toàn cho tài khoản, ${waitMessage(seconds)}. Nếu quên mật khẩu, hãy nhờ người hướng dẫn hoặc quản trị viên đặt lại.`,
});

const tooManyFromAddress = (seconds: number): LoginResult => ({
  ok: false,
  status: 429,
  error: `Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng, ${waitMessage(seconds)}.`,
});

export async function logIn(rawUsername: string, password: string, ip: string, options: LoginOptions = {}): Promise<LoginResult> {
  const now = options.now ?? Date.now();
  const username = normalizeUsername(rawUsername.slice(0, 100));
  if (!username || !password) return { ok: false, status: 400, error: "Vui lòng nhập tên đăng nhập và mật khẩu." };
  const person = await db().selectFrom("person").select("id").where("username", "=", username).executeTakeFirst();
  const known = person ? await knownBy(person.id, options.deviceToken, ip, now) : null;
  const throttle = throttleFor(username, person?.id, known);
  // Strangers count against their address; a known device or address has its own allowance instead.
  const address = known ? null : addressLimit(ip);
  if (address) {
    const wait = await hit(address, now);
    if (wait) return tooManyFromAddress(wait);
  }
  const wait = await reserveAttempt(throttle, now);
  if (wait) {
    if (address) await undoHit(address, now); // refused without a guess: not a failure of this address
    return tooManyForAccount(wait);
  }
  const personId = await check(username, password);
  if (personId === "busy") return { ok: false, status: 503, error: new HashQueueFull().message };
  if (!personId) return { ok: false, status: 401, error: "Tên đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường)." };
  await clearAttempts(throttle.key);
  if (address) await undoHit(address, now);
  return { ok: true, personId, deviceCookie: await rememberLogin(personId, options.deviceToken, ip, now) };
}

async function check(username: string, password: string): Promise<string | null | "busy"> {
  try {
    return await checkCredentials(username, password.slice(0, 200));
  } catch (error) {
    if (error instanceof HashQueueFull) return "busy";
    throw error;
  }
}
