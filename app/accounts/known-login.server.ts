import { randomBytes } from "node:crypto";
import { db } from "~/db.server";
import { secureCookies } from "./lucia.server";
import { storedToken } from "./token.server";

// Devices and addresses a person has signed in from (OWASP "device cookies"). After a successful login the
// browser keeps a long-lived random token (HttpOnly); the database keeps only its SHA-256. Attempts from a
// device or address that has signed in to that account before are counted apart from strangers', so a
// stranger's wrong guesses never stop the owner signing in from their own phone.

export const DEVICE_COOKIE = "hvs_device";
const DEVICE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
// Mobile and home addresses change hands; an address counts as known for a month after the last success.
const ADDRESS_KNOWN_MS = 30 * 24 * 60 * 60_000;
const DEVICE_KNOWN_MS = DEVICE_MAX_AGE_SECONDS * 1000;

export type KnownBy = { kind: "device" | "address"; keyHash: string };

export function deviceTokenFrom(cookieHeader: string | null): string | null {
  const match = new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE}=([A-Za-z0-9_-]{32,64})(?:;|$)`).exec(cookieHeader ?? "");
  return match ? match[1] : null;
}

function addressHash(ip: string): string | null {
  return ip && ip !== "unknown" ? storedToken(`address:${ip}`) : null;
}

/** Whether this device (first) or address has signed in to the person's account recently. */
export async function knownBy(personId: string, deviceToken: string | null | undefined, ip: string, now = Date.now()): Promise<KnownBy | null> {
  const candidates: Array<KnownBy & { since: number }> = [];
  if (deviceToken) candidates.push({ kind: "device", keyHash: storedToken(deviceToken), since: now - DEVICE_KNOWN_MS });
  const address = addressHash(ip);
  if (address) candidates.push({ kind: "address", keyHash: address, since: now - ADDRESS_KNOWN_MS });
  for (const { kind, keyHash, since } of candidates) {
    const row = await db()
      .selectFrom("known_login")
      .select("last_success_at")
      .where("person_id", "=", personId)
      .where("kind", "=", kind)
      .where("key_hash", "=", keyHash)
      .executeTakeFirst();
    if (row && row.last_success_at >= since) return { kind, keyHash };
  }
  return null;
}

/** Remembers this device and address for the person; returns the Set-Cookie that keeps (or renews) the device token. */
export async function rememberLogin(personId: string, deviceToken: string | null | undefined, ip: string, now = Date.now()): Promise<string> {
  const token = deviceToken || randomBytes(32).toString("base64url");
  const rows: Array<{ kind: KnownBy["kind"]; key_hash: string }> = [{ kind: "device", key_hash: storedToken(token) }];
  const address = addressHash(ip);
  if (address) rows.push({ kind: "address", key_hash: address });
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const row of rows) {
        await trx
          .insertInto("known_login")
          .values({ person_id: personId, ...row, last_success_at: now })
          .onConflict((oc) => oc.columns(["person_id", "kind", "key_hash"]).doUpdateSet({ last_success_at: now }))
          .execute();
      }
      // Keep the list short: forget what has not been used for longer than a device cookie lives.
      await trx
        .deleteFrom("known_login")
        .where("person_id", "=", personId)
        .where("last_success_at", "<", now - DEVICE_KNOWN_MS)
        .execute();
    });
  return deviceCookie(token);
}

function deviceCookie(token: string): string {
  return `${DEVICE_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${DEVICE_MAX_AGE_SECONDS}${secureCookies() ? "; Secure" : ""}`;
}
