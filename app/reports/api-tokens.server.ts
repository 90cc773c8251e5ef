import { createHash, randomBytes } from "node:crypto";
import { db, nowIso } from "~/db.server";

// Bearer tokens for the JSON API. Only a SHA-256 hash is stored: the token is shown once, at creation.

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(name: string, createdBy: string | null): Promise<string> {
  const token = `hvs_${randomBytes(32).toString("base64url")}`;
  await db().insertInto("api_token").values({ name: name.slice(0, 100), token_hash: hash(token), created_by: createdBy, created_at: nowIso() }).execute();
  return token;
}

export async function revokeApiToken(id: number): Promise<void> {
  await db().updateTable("api_token").set({ revoked_at: nowIso() }).where("id", "=", id).where("revoked_at", "is", null).execute();
}

export async function listApiTokens() {
  return db().selectFrom("api_token").select(["id", "name", "created_at", "last_used_at", "revoked_at"]).orderBy("id", "desc").execute();
}

/** The token's id if the request carries a valid, unrevoked `Authorization: Bearer` token. */
export async function authenticateBearer(request: Request): Promise<number | null> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(hvs_[A-Za-z0-9_-]{20,100})\s*$/.exec(header);
  if (!match) return null;
  const row = await db().selectFrom("api_token").select(["id", "revoked_at"]).where("token_hash", "=", hash(match[1])).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  await db().updateTable("api_token").set({ last_used_at: nowIso() }).where("id", "=", row.id).execute();
  return row.id;
}
