import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";
import { tempDir } from "./support/helpers";
import type { SsoSettings } from "~/accounts/sso.server";

// Sign-in with an OpenID provider (app/accounts/sso.server.ts, decisions 024 and 028), against a real
// oidc-provider 8 started here on 127.0.0.1 (port 0), behind a small proxy that can tamper with what the app
// receives: the ID token in the token response, or the discovery document. Nothing of the protocol is mocked;
// the test drives the provider's own login and consent pages with fetch, the way a browser would, and hands the
// provider's redirect to the module as the callback route does. Each expectation (who is signed in, what is
// linked, the Vietnamese message, the stored flow) is written out by hand.

const CLIENT_ID = "hoc-vu-so";
const OTHER_CLIENT_ID = "ung-dung-khac";
const SECRET = "bi-mat-thu-nghiem";
const REDIRECT_URI = "http://127.0.0.1:3999/dang-nhap/sso/ve";

const EXPIRED = "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy bấm đăng nhập lại từ đầu.";
const INVALID_ANSWER = "Đăng nhập không thành công: câu trả lời của hệ thống định danh không hợp lệ. Hãy thử lại từ đầu.";
const LONG_NAME = "Nguyễn Thị Một Cái Tên Rất Dài ".repeat(6); // 186 characters

let issuer: string;
let settings: SsoSettings;
const servers: Array<http.Server | https.Server> = [];

/** When set, the proxy replaces the ID token of the next token responses with what this returns (undefined: none). */
let replaceIdToken: ((idToken: string) => string | undefined | Promise<string>) | null = null;
/** When set, the proxy answers the discovery document with 503 (a provider that is down). */
let discoveryDown = false;
let discoveryRequests = 0;

function listen(server: http.Server | https.Server, host: string, port = 0): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A real provider for `issuer`: any login and password is accepted, the name comes from the subject. */
function provider(providerIssuer: string) {
  return new Provider(providerIssuer, {
    clients: [CLIENT_ID, OTHER_CLIENT_ID].map((client_id) => ({
      client_id,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "client_secret_post",
    })),
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => (sub.startsWith("khong-ten") ? { sub } : { sub, name: sub.startsWith("ten-dai") ? LONG_NAME : `Người dùng ${sub}` }),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    conformIdTokenClaims: false, // the name in the ID token itself, as the app reads it (no userinfo call)
  } as any);
}

beforeAll(async () => {
  await useTempDatabase();
  process.env.COOKIE_SECURE = "0";
  const providerServer = http.createServer();
  const providerPort = await listen(providerServer, "127.0.0.1");
  const proxy = http.createServer((req, res) => {
    if (req.url?.startsWith("/.well-known/openid-configuration")) {
      discoveryRequests += 1;
      if (discoveryDown) return void res.writeHead(503).end();
    }
    const upstream = http.request({ host: "127.0.0.1", port: providerPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      const rewrite = replaceIdToken;
      if (!(rewrite && req.url?.startsWith("/token"))) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (c) => chunks.push(c));
      answer.on("end", async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (body.id_token) body.id_token = await rewrite(body.id_token);
        const out = Buffer.from(JSON.stringify(body));
        res.writeHead(answer.statusCode ?? 200, { ...answer.headers, "content-length": String(out.length) });
        res.end(out);
      });
    });
    req.pipe(upstream);
  });
  const proxyPort = await listen(proxy, "127.0.0.1");
  issuer = `http://127.0.0.1:${proxyPort}`;
  providerServer.on("request", provider(issuer).callback());
  settings = { issuer, clientId: CLIENT_ID, clientSecret: SECRET, label: "VNeID (thử nghiệm)" };
});

afterAll(async () => {
  for (const server of servers) server.closeAllConnections?.();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/**
 * Goes through the provider's own pages from the authorization address, as a browser would: its login form
 * (any password), then its consent form, following each redirect, keeping its cookies. Returns the address the
 * provider sends the browser back to (the app's callback).
 */
async function signOnAtProvider(location: string, sub: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = location;
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(REDIRECT_URI)) return new URL(url);
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      body,
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const next = response.headers.get("location");
    const html = next ? "" : await response.text();
    if (next) {
      url = new URL(next, url).href;
      body = undefined;
      continue;
    }
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`The provider answered ${response.status} without a form: ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    body = new URLSearchParams(prompt === "login" ? { prompt, login: sub, password: "bat-ky" } : { prompt }).toString();
  }
  throw new Error("The provider never sent the browser back");
}

/** The cookie a browser would send back to /dang-nhap/sso (only the name=value part of Set-Cookie). */
const cookieOf = (setCookie: string) => setCookie.split(";")[0];

/** Starts a login, signs on at the provider as `sub`, and returns what the callback route would receive. */
async function signOn(sub: string, options: { returnTo?: string; editLocation?: (url: URL) => void } = {}) {
  const { startSsoLogin } = await import("~/accounts/sso.server");
  const started = await startSsoLogin(settings, REDIRECT_URI, options.returnTo ?? "/ca-nhan");
  const location = new URL(started.location);
  options.editLocation?.(location);
  const callback = await signOnAtProvider(location.href, sub);
  return { cookie: cookieOf(started.cookie), callback, started };
}

async function finish(callback: URL, cookie: string | null) {
  const { finishSsoLogin } = await import("~/accounts/sso.server");
  return finishSsoLogin(settings, REDIRECT_URI, callback, cookie);
}

async function flows() {
  const { db } = await import("~/db.server");
  return db().selectFrom("oidc_flow").selectAll().execute();
}

async function linksOf(subject: string) {
  const { db } = await import("~/db.server");
  return db().selectFrom("oidc_link").select(["issuer", "subject", "person_id"]).where("subject", "=", subject).execute();
}

/** Signs on as `sub` for the first time and links the identity to `personId`. */
async function linkNew(sub: string, personId: string) {
  const { pendingLink, linkIdentity } = await import("~/accounts/sso.server");
  const { cookie, callback } = await signOn(sub);
  expect((await finish(callback, cookie)).kind).toBe("needs-link");
  const pending = await pendingLink(cookie);
  expect(await linkIdentity(pending!, personId)).toBe("linked");
}

/** The claims of a JWT, read without checking anything (for the test's own assertions). */
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

const tokenHashOf = (cookie: string) => createHash("sha256").update(cookie.split("=")[1]).digest("hex");

/** An environment with only these variables. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("the settings", () => {
  it("are off without an issuer or a client, and fill in the secret and the label", async () => {
    const { ssoSettings } = await import("~/accounts/sso.server");
    expect(ssoSettings(env({}))).toBeNull();
    expect(ssoSettings(env({ OIDC_ISSUER: "https://sso.tayninh.gov.vn" }))).toBeNull();
    expect(ssoSettings(env({ OIDC_CLIENT_ID: "hoc-vu-so" }))).toBeNull();
    expect(ssoSettings(env({ OIDC_ISSUER: "https://sso.tayninh.gov.vn", OIDC_CLIENT_ID: "hoc-vu-so" }))).toEqual({
      issuer: "https://sso.tayninh.gov.vn",
      clientId: "hoc-vu-so",
      clientSecret: "",
      label: "tài khoản định danh",
    });
    expect(
      ssoSettings(env({ OIDC_ISSUER: "https://sso.tayninh.gov.vn", OIDC_CLIENT_ID: "hoc-vu-so", OIDC_CLIENT_SECRET: "bi-mat", OIDC_LABEL: "" }))?.label,
    ).toBe("tài khoản định danh");
    expect(
      ssoSettings(env({ OIDC_ISSUER: "https://sso.tayninh.gov.vn", OIDC_CLIENT_ID: "hoc-vu-so", OIDC_CLIENT_SECRET: "bi-mat", OIDC_LABEL: "VNeID" })),
    ).toEqual({
      issuer: "https://sso.tayninh.gov.vn",
      clientId: "hoc-vu-so",
      clientSecret: "bi-mat",
      label: "VNeID",
    });
  });

  it("are read from the server's environment by default", async () => {
    const { ssoSettings } = await import("~/accounts/sso.server");
    expect(ssoSettings()).toBeNull();
    Object.assign(process.env, { OIDC_ISSUER: "https://sso.tayninh.gov.vn", OIDC_CLIENT_ID: "hoc-vu-so", OIDC_LABEL: "VNeID" });
    try {
      expect(ssoSettings()).toEqual({ issuer: "https://sso.tayninh.gov.vn", clientId: "hoc-vu-so", clientSecret: "", label: "VNeID" });
    } finally {
      for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_LABEL"]) delete process.env[name];
    }
  });
});

describe("starting a sign-in", () => {
  it("sends the browser to the provider with this login's state, nonce and PKCE challenge, and keeps them", async () => {
    const { startSsoLogin } = await import("~/accounts/sso.server");
    const before = Date.now();
    const started = await startSsoLogin(settings, REDIRECT_URI, "/khoa-hoc/an-toan");
    const after = Date.now();
    const location = new URL(started.location);
    expect(`${location.origin}${location.pathname}`).toBe(`${issuer}/auth`);
    const flow = (await flows()).find((f) => f.token_hash === tokenHashOf(cookieOf(started.cookie)))!;
    expect(flow).toBeDefined();
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: CLIENT_ID,
      response_type: "code",
      redirect_uri: REDIRECT_URI,
      scope: "openid profile",
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: createHash("sha256").update(flow.code_verifier).digest("base64url"),
      code_challenge_method: "S256",
    });
    expect(flow.return_to).toBe("/khoa-hoc/an-toan");
    expect([flow.issuer, flow.subject, flow.claimed_name]).toEqual([null, null, null]);
    // Ten minutes to come back from the provider.
    expect(Number(flow.expires_at)).toBeGreaterThanOrEqual(before + 600_000);
    expect(Number(flow.expires_at)).toBeLessThanOrEqual(after + 600_000);
    // Two logins never share a state, a nonce or a verifier.
    const second = await startSsoLogin(settings, REDIRECT_URI, "/ca-nhan");
    const other = (await flows()).find((f) => f.token_hash === tokenHashOf(cookieOf(second.cookie)))!;
    expect(other.state).not.toBe(flow.state);
    expect(other.nonce).not.toBe(flow.nonce);
    expect(other.code_verifier).not.toBe(flow.code_verifier);
  });

  it("ties the browser to the login with a cookie kept to /dang-nhap/sso for ten minutes", async () => {
    const { startSsoLogin, clearFlowCookie } = await import("~/accounts/sso.server");
    const started = await startSsoLogin(settings, REDIRECT_URI, "/ca-nhan");
    expect(started.cookie).toMatch(/^hvs_sso=[A-Za-z0-9_-]{43}; Path=\/dang-nhap\/sso; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(clearFlowCookie()).toBe("hvs_sso=; Path=/dang-nhap/sso; HttpOnly; SameSite=Lax; Max-Age=0");
    process.env.COOKIE_SECURE = "1";
    try {
      expect((await startSsoLogin(settings, REDIRECT_URI, "/ca-nhan")).cookie).toMatch(/; Max-Age=600; Secure$/);
      expect(clearFlowCookie()).toBe("hvs_sso=; Path=/dang-nhap/sso; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
    } finally {
      process.env.COOKIE_SECURE = "0";
    }
  });

  it("clears logins abandoned and expired, and keeps the ones still going", async () => {
    const { db } = await import("~/db.server");
    const { startSsoLogin } = await import("~/accounts/sso.server");
    const row = (token_hash: string, expires_at: number) => ({ token_hash, state: "s", nonce: "n", code_verifier: "v", return_to: "/ca-nhan", expires_at });
    await db()
      .insertInto("oidc_flow")
      .values([row("bo-do", Date.now() - 1000), row("dang-do", Date.now() + 60_000)])
      .execute();
    await startSsoLogin(settings, REDIRECT_URI, "/ca-nhan");
    const hashes = (await flows()).map((f) => f.token_hash);
    expect(hashes).not.toContain("bo-do");
    expect(hashes).toContain("dang-do");
  });

  it("reads the provider's configuration once, and tries again after the provider was down", async () => {
    const { startSsoLogin } = await import("~/accounts/sso.server");
    const other: SsoSettings = { ...settings, clientId: OTHER_CLIENT_ID };
    discoveryDown = true;
    try {
      await expect(startSsoLogin(other, REDIRECT_URI, "/ca-nhan")).rejects.toThrow();
    } finally {
      discoveryDown = false;
    }
    const before = discoveryRequests;
    expect(new URL((await startSsoLogin(other, REDIRECT_URI, "/ca-nhan")).location).searchParams.get("client_id")).toBe(OTHER_CLIENT_ID);
    await startSsoLogin(other, REDIRECT_URI, "/ca-nhan");
    expect(discoveryRequests - before).toBe(1);
  });
});

describe("plain http only for a provider on this machine", () => {
  async function providerAt(host: string, listenOn: string[]) {
    const server = http.createServer();
    const port = await listen(server, listenOn[0]);
    for (const also of listenOn.slice(1))
      await listen(
        http.createServer((req, res) => server.emit("request", req, res)),
        also,
        port,
      );
    server.on("request", provider(`http://${host}:${port}`).callback());
    return { ...settings, issuer: `http://${host}:${port}` };
  }

  it("accepts localhost and [::1] as well as 127.0.0.1", async () => {
    const { startSsoLogin } = await import("~/accounts/sso.server");
    for (const local of [await providerAt("localhost", ["127.0.0.1", "::1"]), await providerAt("[::1]", ["::1"])]) {
      const started = await startSsoLogin(local, REDIRECT_URI, "/ca-nhan");
      expect(started.location.startsWith(`${local.issuer}/auth?`)).toBe(true);
    }
  });

  it("refuses a provider on plain http anywhere else (127.0.0.2 answers, but is not named as this machine)", async () => {
    const { startSsoLogin } = await import("~/accounts/sso.server");
    const elsewhere = await providerAt("127.0.0.2", ["127.0.0.2"]);
    // The provider is up and answers over http: only the module's rule refuses it.
    expect((await fetch(`${elsewhere.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    await expect(startSsoLogin(elsewhere, REDIRECT_URI, "/ca-nhan")).rejects.toThrow();
  });
});

describe("a provider over https (as in production)", () => {
  it("is used without the allowance for plain http: the sign-on goes through", async () => {
    const { startSsoLogin } = await import("~/accounts/sso.server");
    // A self-signed certificate for 127.0.0.1, trusted for this test only.
    const dir = tempDir("hvs-tls-");
    const made = spawnSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ]);
    expect(made.status).toBe(0);
    const server = https.createServer({ key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) });
    const port = await listen(server, "127.0.0.1");
    const secure = { ...settings, issuer: `https://127.0.0.1:${port}` };
    server.on("request", provider(secure.issuer).callback());
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    try {
      const started = await startSsoLogin(secure, REDIRECT_URI, "/ca-nhan");
      expect(started.location.startsWith(`${secure.issuer}/auth?`)).toBe(true);
      const callback = await signOnAtProvider(started.location, "qua-https");
      const { finishSsoLogin } = await import("~/accounts/sso.server");
      expect(await finishSsoLogin(secure, REDIRECT_URI, callback, cookieOf(started.cookie))).toEqual({
        kind: "needs-link",
        returnTo: "/ca-nhan",
        claimedName: "Người dùng qua-https",
      });
    } finally {
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    }
  });
});

describe("the first sign-on, then the next ones", () => {
  it("asks to link the identity, links it to the account the person proved, then signs straight in", async () => {
    const { pendingLink, linkIdentity } = await import("~/accounts/sso.server");
    const person = await makePerson({ fullName: "Đỗ Văn Liên" });
    const { cookie, callback } = await signOn("cong-dan-1", { returnTo: "/khoa-hoc/an-toan" });
    const before = Date.now();
    expect(await finish(callback, cookie)).toEqual({ kind: "needs-link", returnTo: "/khoa-hoc/an-toan", claimedName: "Người dùng cong-dan-1" });
    const after = Date.now();
    expect(await linksOf("cong-dan-1")).toEqual([]); // nothing linked by name or anything else
    // Fifteen minutes to prove an account or create one.
    const flow = (await flows()).find((f) => f.token_hash === tokenHashOf(cookie))!;
    expect(flow).toMatchObject({ issuer, subject: "cong-dan-1", claimed_name: "Người dùng cong-dan-1" });
    expect(Number(flow.expires_at)).toBeGreaterThanOrEqual(before + 900_000);
    expect(Number(flow.expires_at)).toBeLessThanOrEqual(after + 900_000);

    const pending = await pendingLink(`theme=sang; ${cookie}; lang=vi`);
    expect(pending).toEqual({
      tokenHash: tokenHashOf(cookie),
      issuer,
      subject: "cong-dan-1",
      claimedName: "Người dùng cong-dan-1",
      returnTo: "/khoa-hoc/an-toan",
    });
    expect(await linkIdentity(pending!, person)).toBe("linked");
    expect(await linksOf("cong-dan-1")).toEqual([{ issuer, subject: "cong-dan-1", person_id: person }]);
    expect(await pendingLink(cookie)).toBeUndefined(); // used up
    expect(await finish(callback, cookie)).toEqual({ kind: "refused", message: EXPIRED });

    // Next time: straight into the account, to the page asked for, and the login is used up.
    const next = await signOn("cong-dan-1", { returnTo: "/lop-hoc" });
    expect(await finish(next.callback, next.cookie)).toEqual({ kind: "signed-in", personId: person, returnTo: "/lop-hoc" });
    expect((await flows()).map((f) => f.token_hash)).not.toContain(tokenHashOf(next.cookie));
    expect(await finish(next.callback, next.cookie)).toEqual({ kind: "refused", message: EXPIRED });
  });

  it("a person who created an account at the first sign-on is signed into that account next time", async () => {
    const created = await makePerson({ username: "nguoi-moi-sso", fullName: "Người Dùng Mới" });
    await linkNew("cong-dan-3", created);
    const next = await signOn("cong-dan-3");
    expect(await finish(next.callback, next.cookie)).toEqual({ kind: "signed-in", personId: created, returnTo: "/ca-nhan" });
  });

  it("the same subject at another provider is someone else: not signed in", async () => {
    const { db, nowIso } = await import("~/db.server");
    const stranger = await makePerson();
    await db()
      .insertInto("oidc_link")
      .values({ issuer: "https://sso.tinh-khac.gov.vn", subject: "cong-dan-9", person_id: stranger, linked_at: nowIso() })
      .execute();
    const { cookie, callback } = await signOn("cong-dan-9");
    expect(await finish(callback, cookie)).toMatchObject({ kind: "needs-link", claimedName: "Người dùng cong-dan-9" });
  });

  it("the answer is accepted whatever host name the callback request used", async () => {
    const person = await makePerson();
    await linkNew("cong-dan-4", person);
    const { cookie, callback } = await signOn("cong-dan-4");
    const viaOtherHost = new URL(`http://hocvuso.tayninh.local:8080/dang-nhap/sso/ve${callback.search}`);
    expect(await finish(viaOtherHost, cookie)).toMatchObject({ kind: "signed-in", personId: person });
  });

  it("a provider that gives no name leaves the name empty; a long name is cut at 100 characters", async () => {
    const { pendingLink } = await import("~/accounts/sso.server");
    const nameless = await signOn("khong-ten-1");
    expect(await finish(nameless.callback, nameless.cookie)).toEqual({ kind: "needs-link", returnTo: "/ca-nhan", claimedName: "" });
    expect((await pendingLink(nameless.cookie))?.claimedName).toBe("");
    const long = await signOn("ten-dai-1");
    const result = await finish(long.callback, long.cookie);
    expect(result).toEqual({ kind: "needs-link", returnTo: "/ca-nhan", claimedName: LONG_NAME.slice(0, 100) });
    expect(LONG_NAME.slice(0, 100)).toHaveLength(100);
    expect((await pendingLink(long.cookie))?.claimedName).toBe(LONG_NAME.slice(0, 100));
  });
});

describe("answers that must sign no one in", () => {
  let linked: string;
  beforeAll(async () => {
    linked = await makePerson({ fullName: "Chủ Tài Khoản" });
    await linkNew("chu-tai-khoan", linked);
  });

  it("an ID token rewritten on the way to name a linked identity is refused by its signature, in Vietnamese", async () => {
    // ke-gian signs on; the token that reaches the app says chu-tai-khoan. Every claim stays valid: only the
    // signature check (decision 028) can tell.
    replaceIdToken = (idToken) => {
      const [header, payload, signature] = idToken.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      return [header, Buffer.from(JSON.stringify({ ...claims, sub: "chu-tai-khoan" })).toString("base64url"), signature].join(".");
    };
    let attempt: Awaited<ReturnType<typeof signOn>>;
    try {
      attempt = await signOn("ke-gian");
      expect(await finish(attempt.callback, attempt.cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
    } finally {
      replaceIdToken = null;
    }
    expect(await linksOf("ke-gian")).toEqual([]);
    // The failed login is thrown away: the same cookie cannot be tried again.
    expect((await flows()).map((f) => f.token_hash)).not.toContain(tokenHashOf(attempt.cookie));
    expect(await finish(attempt.callback, attempt.cookie)).toEqual({ kind: "refused", message: EXPIRED });
  });

  it("an ID token the provider signed for another application (wrong audience) is refused", async () => {
    const { db } = await import("~/db.server");
    // A genuine, signed ID token for chu-tai-khoan, issued to the other application with this login's own nonce.
    let attempt: Awaited<ReturnType<typeof signOn>> | undefined;
    let swapped: { original: Record<string, unknown>; other: Record<string, unknown> } | undefined;
    replaceIdToken = async (original) => {
      const flow = await db().selectFrom("oidc_flow").select("nonce").where("token_hash", "=", tokenHashOf(attempt!.cookie)).executeTakeFirstOrThrow();
      const other = await idTokenForOtherClient("chu-tai-khoan", flow.nonce);
      swapped = { original: payloadOf(original), other: payloadOf(other) };
      return other;
    };
    try {
      // The token request is made by finishSsoLogin, after signOn returned: replaceIdToken can read the cookie.
      attempt = await signOn("chu-tai-khoan");
      expect(await finish(attempt.callback, attempt.cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
    } finally {
      replaceIdToken = null;
    }
    // Same issuer, subject and nonce as the token it replaced: only the audience differs.
    expect(swapped!.other).toMatchObject({ iss: issuer, sub: "chu-tai-khoan", nonce: swapped!.original.nonce, aud: OTHER_CLIENT_ID });
    expect(swapped!.original).toMatchObject({ iss: issuer, sub: "chu-tai-khoan", aud: CLIENT_ID });
    // The same person through this application's own token: signed in, so only the audience was refused.
    const fair = await signOn("chu-tai-khoan");
    expect(await finish(fair.callback, fair.cookie)).toMatchObject({ kind: "signed-in", personId: linked });
  });

  it("a token answer without an ID token is refused", async () => {
    replaceIdToken = () => undefined;
    try {
      const { cookie, callback } = await signOn("chu-tai-khoan");
      expect(await finish(callback, cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
    } finally {
      replaceIdToken = null;
    }
  });

  it("a callback with another state is refused", async () => {
    const { cookie, callback } = await signOn("chu-tai-khoan");
    callback.searchParams.set("state", "trang-thai-gia-mao");
    expect(await finish(callback, cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
  });

  it("a token carrying another nonce than this login's is refused", async () => {
    const { cookie, callback } = await signOn("chu-tai-khoan", { editLocation: (url) => url.searchParams.set("nonce", "mot-nonce-khac") });
    expect(await finish(callback, cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
  });

  it("a code exchanged without this login's PKCE verifier is refused", async () => {
    const { db } = await import("~/db.server");
    const { cookie, callback } = await signOn("chu-tai-khoan");
    await db()
      .updateTable("oidc_flow")
      .set({ code_verifier: "x".repeat(43) })
      .where("token_hash", "=", tokenHashOf(cookie))
      .execute();
    expect(await finish(callback, cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
  });

  it("another browser (no cookie, another login's cookie, a damaged cookie) is refused", async () => {
    const { callback, cookie } = await signOn("chu-tai-khoan");
    const token = cookie.split("=")[1];
    expect(await finish(callback, null)).toEqual({ kind: "refused", message: EXPIRED });
    expect(await finish(callback, "")).toEqual({ kind: "refused", message: EXPIRED });
    expect(await finish(callback, `xhvs_sso=${token}`)).toEqual({ kind: "refused", message: EXPIRED });
    expect(await finish(callback, `hvs_sso=${token}x`)).toEqual({ kind: "refused", message: EXPIRED });
    expect(await finish(callback, `hvs_sso=${token.slice(1)}`)).toEqual({ kind: "refused", message: EXPIRED });
    expect(await finish(callback, `hvs_sso=${"A".repeat(43)}`)).toEqual({ kind: "refused", message: EXPIRED });
    // Another login's cookie: its own state does not match this answer.
    const other = await signOn("chu-tai-khoan");
    expect(await finish(callback, other.cookie)).toEqual({ kind: "refused", message: INVALID_ANSWER });
    // The right cookie among others still works.
    expect(await finish(callback, `theme=sang;${cookie};lang=vi`)).toMatchObject({ kind: "signed-in", personId: linked });
  });

  it("a login older than its ten minutes is refused, up to the last millisecond", async () => {
    const { db } = await import("~/db.server");
    const late = await signOn("chu-tai-khoan");
    await db()
      .updateTable("oidc_flow")
      .set({ expires_at: Date.now() - 1 })
      .where("token_hash", "=", tokenHashOf(late.cookie))
      .execute();
    expect(await finish(late.callback, late.cookie)).toEqual({ kind: "refused", message: EXPIRED });

    // Coming back in the very millisecond it expires still counts.
    const onTime = await signOn("chu-tai-khoan");
    const now = Date.now();
    await db().updateTable("oidc_flow").set({ expires_at: now }).where("token_hash", "=", tokenHashOf(onTime.cookie)).execute();
    vi.useFakeTimers({ toFake: ["Date"], now });
    try {
      expect(await finish(onTime.callback, onTime.cookie)).toMatchObject({ kind: "signed-in", personId: linked });
    } finally {
      vi.useRealTimers();
    }
  });
});

/** Runs a whole sign-on for the other application, by hand, and returns the ID token it receives. */
async function idTokenForOtherClient(sub: string, nonce: string): Promise<string> {
  const verifier = "v".repeat(50);
  const auth = new URL(`${issuer}/auth`);
  for (const [k, v] of Object.entries({
    client_id: OTHER_CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid profile",
    state: "trang-thai-khac",
    nonce,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }))
    auth.searchParams.set(k, v);
  const callback = await signOnAtProvider(auth.href, sub);
  const saved = replaceIdToken;
  replaceIdToken = null;
  try {
    const response = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: callback.searchParams.get("code")!,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: OTHER_CLIENT_ID,
        client_secret: SECRET,
      }),
    });
    return ((await response.json()) as { id_token: string }).id_token;
  } finally {
    replaceIdToken = saved;
  }
}

describe("the identity waiting to be linked", () => {
  it("is none without a cookie, before the provider answered, or after fifteen minutes", async () => {
    const { db } = await import("~/db.server");
    const { pendingLink, startSsoLogin } = await import("~/accounts/sso.server");
    expect(await pendingLink(null)).toBeUndefined();
    expect(await pendingLink("hvs_sso=")).toBeUndefined();
    const started = await startSsoLogin(settings, REDIRECT_URI, "/ca-nhan");
    expect(await pendingLink(cookieOf(started.cookie))).toBeUndefined(); // not answered yet
    // An answered login whose subject is missing is not one to link.
    await db()
      .updateTable("oidc_flow")
      .set({ issuer })
      .where("token_hash", "=", tokenHashOf(cookieOf(started.cookie)))
      .execute();
    expect(await pendingLink(cookieOf(started.cookie))).toBeUndefined();
    // A waiting identity whose name column is empty (null: the column allows it) shows an empty name.
    await db()
      .updateTable("oidc_flow")
      .set({ subject: "khong-co-ten-luu" })
      .where("token_hash", "=", tokenHashOf(cookieOf(started.cookie)))
      .execute();
    expect(await pendingLink(cookieOf(started.cookie))).toMatchObject({ subject: "khong-co-ten-luu", claimedName: "" });

    const answered = await signOn("cho-lien-ket");
    expect((await finish(answered.callback, answered.cookie)).kind).toBe("needs-link");
    const hash = tokenHashOf(answered.cookie);
    const now = Date.now();
    await db().updateTable("oidc_flow").set({ expires_at: now }).where("token_hash", "=", hash).execute();
    vi.useFakeTimers({ toFake: ["Date"], now });
    try {
      expect((await pendingLink(answered.cookie))?.subject).toBe("cho-lien-ket"); // its last millisecond
    } finally {
      vi.useRealTimers();
    }
    await db()
      .updateTable("oidc_flow")
      .set({ expires_at: Date.now() - 1 })
      .where("token_hash", "=", hash)
      .execute();
    expect(await pendingLink(answered.cookie)).toBeUndefined();
  });
});

describe("linking an identity", () => {
  async function pendingFor(sub: string) {
    const { pendingLink } = await import("~/accounts/sso.server");
    const { cookie, callback } = await signOn(sub);
    expect((await finish(callback, cookie)).kind).toBe("needs-link");
    return { pending: (await pendingLink(cookie))!, cookie };
  }

  it("refuses an identity already linked to someone else, and leaves that link alone", async () => {
    const { linkIdentity } = await import("~/accounts/sso.server");
    const owner = await makePerson();
    const intruder = await makePerson();
    // Two browsers got as far as linking the same identity; the other one linked it to the owner first.
    const { pending, cookie } = await pendingFor("da-lien-ket");
    await linkNew("da-lien-ket", owner);
    expect(await linkIdentity(pending, intruder)).toBe("taken");
    expect(await linksOf("da-lien-ket")).toEqual([{ issuer, subject: "da-lien-ket", person_id: owner }]);
    expect((await flows()).map((f) => f.token_hash)).not.toContain(tokenHashOf(cookie)); // used up all the same
    // The identity still signs the owner in, not the intruder.
    const next = await signOn("da-lien-ket");
    expect(await finish(next.callback, next.cookie)).toMatchObject({ kind: "signed-in", personId: owner });
  });

  it("refuses a second identity from the same provider for an account that has one", async () => {
    const { linkIdentity } = await import("~/accounts/sso.server");
    const person = await makePerson();
    await linkNew("the-thu-nhat", person);
    const { pending } = await pendingFor("the-thu-hai");
    expect(await linkIdentity(pending, person)).toBe("taken");
    expect(await linksOf("the-thu-hai")).toEqual([]);
  });

  it("allows one identity per provider, and links again the identity an account already has (no second row)", async () => {
    const { db, nowIso } = await import("~/db.server");
    const { linkIdentity } = await import("~/accounts/sso.server");
    const person = await makePerson();
    await db()
      .insertInto("oidc_link")
      .values({ issuer: "https://sso.tinh-khac.gov.vn", subject: "o-tinh-khac", person_id: person, linked_at: nowIso() })
      .execute();
    const { pending } = await pendingFor("hai-nha-cung-cap");
    const before = Date.now();
    expect(await linkIdentity(pending, person)).toBe("linked"); // another provider's identity does not stand in the way
    expect(await linksOf("hai-nha-cung-cap")).toEqual([{ issuer, subject: "hai-nha-cung-cap", person_id: person }]);
    const stamp = (await db().selectFrom("oidc_link").select("linked_at").where("subject", "=", "hai-nha-cung-cap").executeTakeFirstOrThrow()).linked_at;
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before - 1000);
    // A second browser's pending link for the very same identity and account: still linked, still one row.
    expect(await linkIdentity({ tokenHash: "da-dung", issuer, subject: "hai-nha-cung-cap" }, person)).toBe("linked");
    expect(await linksOf("hai-nha-cung-cap")).toEqual([{ issuer, subject: "hai-nha-cung-cap", person_id: person }]);
  });
});
