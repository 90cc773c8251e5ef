import { checkCredentials, normalizeUsername } from "./people.server";
import { blockedFor, hit, reset, waitMessage, type Limit } from "./rate-limit.server";

// Login with rate limits per account and per client address. Failures count; a success clears the
// account's counter. The message never says whether the username exists.

const WINDOW = 15 * 60_000;
export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 30;

const accountLimit = (username: string): Limit => ({ key: `login:account:${username}`, max: ACCOUNT_FAILURES, windowMs: WINDOW });
const addressLimit = (ip: string): Limit => ({ key: `login:ip:${ip}`, max: ADDRESS_FAILURES, windowMs: WINDOW });

export type LoginResult = { ok: true; personId: string } | { ok: false; status: 400 | 401 | 429; error: string };

export async function logIn(rawUsername: string, password: string, ip: string): Promise<LoginResult> {
  const username = normalizeUsername(rawUsername.slice(0, 100));
  if (!username || !password) return { ok: false, status: 400, error: "Vui lòng nhập tên đăng nhập và mật khẩu." };
  const wait = Math.max(await blockedFor(accountLimit(username)), await blockedFor(addressLimit(ip)));
  if (wait) {
    return { ok: false, status: 429, error: `Bạn đã nhập sai quá nhiều lần, ${waitMessage(wait)}. Nếu quên mật khẩu, hãy nhờ người hướng dẫn hoặc quản trị viên đặt lại.` };
  }
  const personId = await checkCredentials(username, password.slice(0, 200));
  if (!personId) {
    await hit(accountLimit(username));
    await hit(addressLimit(ip));
    return { ok: false, status: 401, error: "Tên đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường)." };
  }
  await reset(accountLimit(username).key);
  return { ok: true, personId };
}
