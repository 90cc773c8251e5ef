import { createHash, randomBytes } from "node:crypto";
import * as client from "openid-client";
import { db, nowIso } from "~/db.server";
import { secureCookies } from "./lucia.server";

// Single sign-on through OpenID Connect (decision 024), for a provincial SSO or VNeID once the province has
// access. Off unless OIDC_ISSUER is set. The provider proves who someone is *there*; which account they are
// *here* is decided only by an existing link, by the person proving an account with its password or PIN, or
// by creating a new account — never by matching names, birth years or phone numbers.

export type SsoSettings = { issuer: string; clientId: string; clientSecret: string; label: string };

export function ssoSettings(env = process.env): SsoSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) return null;
  return { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET ?? "", label: env.OIDC_LABEL || "tài khoản định danh" };
}

const configurations = new Map<string, Promise<client.Configuration>>();

/** The provider's configuration, discovered once per process (retried after a failure). */
function configuration(settings: SsoSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  let pending = configurations.get(key);
  if (!pending) {
    const url = new URL(settings.issuer);
    // Plain http only for a provider on this machine (tests, development); anything else must be https.
    const local = url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    // openid-client 6 does not check the ID token's signature by default when it comes from the token endpoint
    // (it trusts TLS). We check it anyway (enableNonRepudiationChecks): a forged or altered token must never
    // sign anyone in, whatever sits between us and the provider (decision 028).
    const execute = [client.enableNonRepudiationChecks, ...(local ? [client.allowInsecureRequests] : [])];
    pending = client.discovery(url, settings.clientId, { client_secret: settings.clientSecret }, client.ClientSecretPost(settings.clientSecret), { execute });
    pending.catch(() => configurations.delete(key));
    configurations.set(key, pending);
  }
  return pending;
}

export const FLOW_COOKIE = "hvs_sso";
const FLOW_MS = 10 * 60_000;
const LINK_MS = 15 * 60_000;

function hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function flowCookie(token: string, maxAgeSeconds: number): string {
  return `${FLOW_COOKIE}=${token}; Path=/dang-nhap/sso; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secureCookies() ? "; Secure" : ""}`;
}

export function clearFlowCookie(): string {
  return flowCookie("", 0);
}

function tokenFrom(cookieHeader: string | null): string | null {
  const match = /(?:^|;\s*)hvs_sso=([A-Za-z0-9_-]{43})(?:;|$)/.exec(cookieHeader ?? "");
  return match ? match[1] : null;
}

/** Starts a login: the provider's address to send the browser to, and the cookie that ties the answer to it. */
export async function startSsoLogin(settings: SsoSettings, redirectUri: string, returnTo: string): Promise<{ location: string; cookie: string }> {
  const config = await configuration(settings);
  const token = randomBytes(32).toString("base64url");
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  await db()
    .insertInto("oidc_flow")
    .values({ token_hash: hash(token), state, nonce, code_verifier: codeVerifier, return_to: returnTo, expires_at: Date.now() + FLOW_MS })
    .execute();
  await db().deleteFrom("oidc_flow").where("expires_at", "<", Date.now()).execute(); // old, abandoned logins
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile",
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return { location: location.href, cookie: flowCookie(token, FLOW_MS / 1000) };
}

export type CallbackResult =
  | { kind: "signed-in"; personId: string; returnTo: string }
  | { kind: "needs-link"; returnTo: string; claimedName: string }
  | { kind: "refused"; message: string };

/**
 * The provider's answer. openid-client checks the state, the code (PKCE), and the ID token's signature against
 * the provider's keys, its issuer, audience, expiry and nonce; any failure refuses the login.
 */
export async function finishSsoLogin(settings: SsoSettings, redirectUri: string, callbackUrl: URL, cookieHeader: string | null): Promise<CallbackResult> {
  const token = tokenFrom(cookieHeader);
  const flow = token ? await db().selectFrom("oidc_flow").selectAll().where("token_hash", "=", hash(token)).executeTakeFirst() : undefined;
  if (!token || !flow || flow.expires_at < Date.now() || flow.subject) {
    return { kind: "refused", message: "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy bấm đăng nhập lại từ đầu." };
  }
  const config = await configuration(settings);
  let claims: client.IDToken | undefined;
  try {
    // The answer must come back to our own callback address, whatever host name the request used.
    const current = new URL(redirectUri);
    current.search = callbackUrl.search;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.code_verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch {
    await db().deleteFrom("oidc_flow").where("token_hash", "=", flow.token_hash).execute();
    return { kind: "refused", message: "Đăng nhập không thành công: câu trả lời của hệ thống định danh không hợp lệ. Hãy thử lại từ đầu." };
  }
  if (!claims?.sub) return { kind: "refused", message: "Hệ thống định danh không cho biết bạn là ai. Hãy thử lại." };
  const link = await db().selectFrom("oidc_link").select("person_id").where("issuer", "=", claims.iss).where("subject", "=", claims.sub).executeTakeFirst();
  if (link) {
    await db().deleteFrom("oidc_flow").where("token_hash", "=", flow.token_hash).execute();
    return { kind: "signed-in", personId: link.person_id, returnTo: flow.return_to };
  }
  const claimedName = typeof claims.name === "string" ? claims.name.slice(0, 100) : "";
  await db()
    .updateTable("oidc_flow")
    .set({ issuer: claims.iss, subject: claims.sub, claimed_name: claimedName, expires_at: Date.now() + LINK_MS })
    .where("token_hash", "=", flow.token_hash)
    .execute();
  return { kind: "needs-link", returnTo: flow.return_to, claimedName };
}

/** The identity waiting to be linked to an account, for this browser; undefined when there is none. */
export async function pendingLink(cookieHeader: string | null) {
  const token = tokenFrom(cookieHeader);
  if (!token) return undefined;
  const flow = await db().selectFrom("oidc_flow").selectAll().where("token_hash", "=", hash(token)).executeTakeFirst();
  if (!flow?.issuer || !flow.subject || flow.expires_at < Date.now()) return undefined;
  return { tokenHash: flow.token_hash, issuer: flow.issuer, subject: flow.subject, claimedName: flow.claimed_name ?? "", returnTo: flow.return_to };
}

/**
 * Links the identity to an account the person has just proved is theirs (password or PIN), or has just created.
 * An identity links to one account; an account may have one identity per provider.
 */
export async function linkIdentity(pending: { tokenHash: string; issuer: string; subject: string }, personId: string): Promise<"linked" | "taken"> {
  return db()
    .transaction()
    .execute(async (trx) => {
      const existing = await trx
        .selectFrom("oidc_link")
        .select("person_id")
        .where("issuer", "=", pending.issuer)
        .where("subject", "=", pending.subject)
        .executeTakeFirst();
      const other = await trx
        .selectFrom("oidc_link")
        .select("subject")
        .where("issuer", "=", pending.issuer)
        .where("person_id", "=", personId)
        .executeTakeFirst();
      await trx.deleteFrom("oidc_flow").where("token_hash", "=", pending.tokenHash).execute();
      if ((existing && existing.person_id !== personId) || (other && other.subject !== pending.subject)) return "taken";
      if (!existing)
        await trx.insertInto("oidc_link").values({ issuer: pending.issuer, subject: pending.subject, person_id: personId, linked_at: nowIso() }).execute();
      return "linked";
    });
}
