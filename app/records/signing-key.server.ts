import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

// The organisation's Ed25519 signing key for certificates (decision 022). It lives in a file outside the
// repository (CREDENTIAL_KEY_PATH, default data/credential-key.json, which git ignores), written by
// `npm run keys:generate`. Rotating keeps the old public keys, so every credential already handed out still
// verifies against the published key set.

export const SIGNING_ALG = "EdDSA";

type StoredKey = { kid: string; createdAt: string; publicJwk: JWK; privateJwk?: JWK };
type KeyFile = { keys: StoredKey[] }; // the first key signs; the others only verify

export function keyPath(): string {
  return path.resolve(process.env.CREDENTIAL_KEY_PATH ?? "data/credential-key.json");
}

function readKeyFile(file = keyPath()): KeyFile | null {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as KeyFile;
  if (!Array.isArray(parsed.keys) || !parsed.keys[0]?.privateJwk) throw new Error(`${file}: không phải tệp khóa ký hợp lệ.`);
  return parsed;
}

/**
 * Writes a new signing key. Without `rotate`, an existing key file is left alone (a second run must never
 * invalidate the certificates already issued); with it, the new key signs and the old ones stay published.
 */
export async function generateSigningKey(options: { rotate?: boolean; file?: string } = {}): Promise<{ created: boolean; kid: string; file: string }> {
  const file = options.file ?? keyPath();
  const existing = readKeyFile(file);
  if (existing && !options.rotate) return { created: false, kid: existing.keys[0].kid, file };
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key: StoredKey = { kid, createdAt: new Date().toISOString(), publicJwk, privateJwk: await exportJWK(privateKey) };
  const retired = (existing?.keys ?? []).map(({ privateJwk: _private, ...rest }) => rest);
  mkdirSync(path.dirname(file), { recursive: true });
  // Written to a temporary file, then renamed: a crash never leaves half a key file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ keys: [key, ...retired] }, null, 2), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  loaded = undefined;
  return { created: true, kid, file };
}

let loaded: { file: string; keys: KeyFile } | undefined;

function keyFile(): KeyFile | null {
  const file = keyPath();
  if (loaded?.file !== file) {
    const keys = readKeyFile(file);
    if (!keys) return null;
    loaded = { file, keys };
  }
  return loaded.keys;
}

export class NoSigningKey extends Error {
  constructor() {
    super("Chưa có khóa ký chứng nhận. Quản trị viên cần chạy lệnh npm run keys:generate.");
  }
}

/** The key that signs now: its id and private key. Throws NoSigningKey before `keys:generate` has run. */
export async function signingKey() {
  const file = keyFile();
  if (!file) throw new NoSigningKey();
  const [current] = file.keys;
  return { kid: current.kid, key: await importJWK(current.privateJwk!, SIGNING_ALG) };
}

/**
 * Every public key, current first, as a JWK Set (never a private part: only the public members are copied).
 * With the set's own address, each key's id is the URI a credential's `kid` names (OB 3.0 §8.2.2: a URI that
 * dereferences to the key); without it, the bare thumbprint.
 */
export function publicKeySet(setUrl?: string): { keys: JWK[] } {
  const file = keyFile();
  return {
    keys: (file?.keys ?? []).map((k) => ({
      kty: k.publicJwk.kty,
      crv: k.publicJwk.crv,
      x: k.publicJwk.x,
      kid: setUrl ? `${setUrl}#${k.kid}` : k.kid,
      alg: SIGNING_ALG,
      use: "sig",
    })),
  };
}
