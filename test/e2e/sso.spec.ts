import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import Provider from "oidc-provider";
import { DEMO_PASSWORD } from "./support/accounts";
import { expectNoA11yViolations } from "./support/a11y";
import { queryAllIn, type OwnDatabase } from "./support/database";
import { freshOwnDatabase } from "./support/server";

// Part 4 of issue 20 (decision 024): OpenID Connect login against a real OpenID provider (oidc-provider 8)
// started here on 127.0.0.1, in front of which a small proxy can tamper with the ID token the app receives.
// The app runs as its own production server with OIDC configured, on a fresh demo database of its own (SQLite,
// or PostgreSQL when the suite runs there: E2E_DATABASE_URL).

test.describe.configure({ mode: "serial", timeout: 120_000 });

let providerServer: http.Server;
let proxy: http.Server;
let app: ChildProcess;
let appUrl: string;
let database: OwnDatabase;
/** When set, the proxy rewrites the ID token's subject to this one (an identity already linked to an account). */
let tamperIdTokenTo: string | null = null;
/** When set, the proxy rewrites the `state` in the provider's redirect back to the app to this one. */
let tamperStateTo: string | null = null;

/** The provider's redirect back to the app's callback, with another `state` (as a forged callback would carry). */
function withState(location: string, state: string): string {
  if (!location.startsWith(`${appUrl}/dang-nhap/sso/ve?`)) return location;
  const url = new URL(location);
  url.searchParams.set("state", state);
  return url.href;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The ID token as an attacker in the middle would change it: the same header and signature, but a payload that
 * names someone else (`sub`). Every claim stays well-formed and valid, so only the signature check can catch it.
 */
function tampered(idToken: string, sub: string): string {
  const [header, payload, signature] = idToken.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  return [header, Buffer.from(JSON.stringify({ ...claims, sub })).toString("base64url"), signature].join(".");
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const [proxyPort, providerPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${proxyPort}`;
  appUrl = `http://127.0.0.1:${appPort}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "hoc-vu-so",
        client_secret: "bi-mat-thu-nghiem",
        redirect_uris: [`${appUrl}/dang-nhap/sso/ve`],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, name: `Người dùng ${sub}` }) }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    conformIdTokenClaims: false, // the name in the ID token itself, as the app reads it (it calls no userinfo endpoint)
  } as any);
  providerServer = http.createServer(provider.callback());
  await new Promise<void>((resolve) => providerServer.listen(providerPort, "127.0.0.1", resolve));

  // Everything passes through unchanged, except the token response when tamperIdTokenTo is set and the redirect
  // back to the app when tamperStateTo is set.
  proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: "127.0.0.1", port: providerPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (!(tamperIdTokenTo && req.url?.startsWith("/token"))) {
        if (tamperStateTo && answer.headers.location) answer.headers.location = withState(answer.headers.location, tamperStateTo);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (c) => chunks.push(c));
      answer.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (body.id_token) body.id_token = tampered(body.id_token, tamperIdTokenTo!);
        const out = Buffer.from(JSON.stringify(body));
        res.writeHead(answer.statusCode ?? 200, { ...answer.headers, "content-length": String(out.length) });
        res.end(out);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));

  const own = freshOwnDatabase("sso");
  database = own.database;
  app = spawn("node", ["build/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      ...own.env,
      PORT: String(appPort),
      HOST: "127.0.0.1",
      COOKIE_SECURE: "0",
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: "hoc-vu-so",
      OIDC_CLIENT_SECRET: "bi-mat-thu-nghiem",
      OIDC_LABEL: "VNeID (thử nghiệm)",
      SIGNUPS_PER_ADDRESS: "1000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${appUrl}/khoa-hoc`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

test.afterAll(async () => {
  app?.kill("SIGTERM");
  proxy?.close();
  providerServer?.close();
});

/** From the app's login page through the provider's own login and consent pages (when it asks), back to the app. */
async function signOnAtProvider(page: Page, sub: string) {
  await page.goto(`${appUrl}/dang-nhap`);
  await Promise.all([
    page.waitForURL((url) => url.href !== `${appUrl}/dang-nhap`),
    page.getByRole("link", { name: "Đăng nhập bằng VNeID (thử nghiệm)" }).click(),
  ]);
  // oidc-provider's development pages: a login form, then a consent form; each submit leads to the next page.
  for (let step = 0; step < 4 && !page.url().startsWith(appUrl); step++) {
    const before = page.url();
    const login = page.locator('input[name="login"]');
    if (await login.count()) {
      await login.fill(sub);
      await page.locator('input[name="password"]').fill("bat-ky");
    }
    await Promise.all([page.waitForURL((url) => url.href !== before), page.locator('button[type="submit"]').first().click()]);
  }
  expect(page.url().startsWith(appUrl)).toBe(true);
}

function links(): Array<{ subject: string; person: string }> {
  return queryAllIn(
    database,
    "select oidc_link.subject, person.username as person from oidc_link join person on person.id = oidc_link.person_id order by subject",
  );
}

test("first sign-on links to an existing account only after its password; the next one signs straight in", async ({ page }) => {
  await signOnAtProvider(page, "cong-dan-1");
  await expect(page).toHaveURL(`${appUrl}/dang-nhap/sso/lien-ket`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lần đầu đăng nhập bằng VNeID (thử nghiệm)");
  await expectNoA11yViolations(page);
  expect(links()).toEqual([]); // nothing linked by name or anything else

  // A wrong password links nothing.
  const existing = page.locator("form").filter({ has: page.locator('input[value="existing"]') });
  await existing.getByLabel("Số điện thoại hoặc tên đăng nhập").fill("demo-hocvien");
  await existing.getByLabel("Mật khẩu hoặc mã PIN").fill("sai-mat-khau");
  await existing.getByRole("button", { name: "Gắn vào tài khoản này" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  expect(links()).toEqual([]);

  await existing.getByLabel("Số điện thoại hoặc tên đăng nhập").fill("demo-hocvien");
  await existing.getByLabel("Mật khẩu hoặc mã PIN").fill(DEMO_PASSWORD);
  await existing.getByRole("button", { name: "Gắn vào tài khoản này" }).click();
  await expect(page).toHaveURL(`${appUrl}/ca-nhan`);
  expect(links()).toEqual([{ subject: "cong-dan-1", person: "demo-hocvien" }]);

  // Signed out, then in again through the provider: straight to the account, no question asked.
  await page
    .context()
    .clearCookies({ domain: "127.0.0.1" })
    .catch(() => page.context().clearCookies());
  await page.goto(`${appUrl}/ca-nhan`);
  await expect(page).toHaveURL(/\/dang-nhap/);
  await signOnAtProvider(page, "cong-dan-1");
  await expect(page).toHaveURL(`${appUrl}/ca-nhan`);
});

test("a person without an account creates one at first sign-on", async ({ page }) => {
  await signOnAtProvider(page, "cong-dan-3");
  await expect(page).toHaveURL(`${appUrl}/dang-nhap/sso/lien-ket`);
  const form = page.locator("form").filter({ has: page.locator('input[value="new"]') });
  await form.getByLabel("Họ và tên").fill("Người Dùng Mới");
  await form.getByLabel("Số điện thoại hoặc tên đăng nhập bạn chọn").fill("nguoi-moi-sso");
  await form.getByLabel("Năm sinh").fill("1972");
  await form.getByLabel("Xã/phường nơi bạn sống").fill("Tân Ninh");
  await form.getByLabel("Mật khẩu (ít nhất 8 ký tự)").fill("mat-khau-moi-1");
  await form.getByLabel("Nhập lại mật khẩu").fill("mat-khau-moi-1");
  await form.getByLabel(/Tôi đồng ý/).check();
  await form.getByRole("button", { name: "Tạo tài khoản và đăng nhập" }).click();
  await expect(page).toHaveURL(`${appUrl}/ca-nhan`);
  expect(links()).toContainEqual({ subject: "cong-dan-3", person: "nguoi-moi-sso" });
});

function signedInCookies(page: Page) {
  return page
    .context()
    .cookies()
    .then((cookies) => cookies.filter((c) => c.name === "hvs_session"));
}

test("a wrong state is refused, in Vietnamese, and signs no one in", async ({ page }) => {
  // cong-dan-1 is linked (first test): with the right state this very sign-on would go straight in.
  tamperStateTo = "trang-thai-gia-mao";
  try {
    const response = page.waitForResponse((r) => r.url().startsWith(`${appUrl}/dang-nhap/sso/ve`));
    await signOnAtProvider(page, "cong-dan-1");
    expect((await response).url()).toContain("state=trang-thai-gia-mao");
    expect((await response).status()).toBe(400);
  } finally {
    tamperStateTo = null;
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chưa đăng nhập được");
  await expect(page.getByRole("alert")).toContainText("không hợp lệ");
  await expectNoA11yViolations(page);
  expect(await signedInCookies(page)).toEqual([]);
  await page.goto(`${appUrl}/ca-nhan`);
  await expect(page).toHaveURL(/\/dang-nhap/);
});

test("a tampered ID token is refused by its signature and links nothing", async ({ page }) => {
  // cong-dan-2 signs on at the provider; on the way back its ID token is rewritten to say cong-dan-1, the
  // identity linked to demo-hocvien. Without the signature check this would sign into demo-hocvien's account.
  tamperIdTokenTo = "cong-dan-1";
  try {
    const response = page.waitForResponse((r) => r.url().startsWith(`${appUrl}/dang-nhap/sso/ve`));
    await signOnAtProvider(page, "cong-dan-2");
    expect((await response).status()).toBe(400);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chưa đăng nhập được");
    await expect(page.getByRole("alert")).toContainText("không hợp lệ");
  } finally {
    tamperIdTokenTo = null;
  }
  expect(await signedInCookies(page)).toEqual([]);
  expect(links().map((l) => l.subject)).not.toContain("cong-dan-2");
  await page.goto(`${appUrl}/ca-nhan`);
  await expect(page).toHaveURL(/\/dang-nhap/);

  // The same person, untouched token: the provider and the flow were fine, only the tampering was refused.
  await signOnAtProvider(page, "cong-dan-2");
  await expect(page).toHaveURL(`${appUrl}/dang-nhap/sso/lien-ket`);
});
