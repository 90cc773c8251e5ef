import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

// The files under /app/: the page script, the service worker, the web app manifest and the home-screen icons
// (decision 025). They live in app/reach/ next to the code they belong to and are read once per process;
// every response carries an ETag, so a repeat visit costs a 304.

type AppFile = { source: string; type: string; cacheControl: string; extra?: Record<string, string> };

const FILES: Record<string, AppFile> = {
  "doc.js": { source: "browser/doc.js", type: "text/javascript; charset=utf-8", cacheControl: "no-cache" },
  // Served from /app/ but controls the whole site: the header allows the "/" scope.
  "sw.js": { source: "browser/sw.js", type: "text/javascript; charset=utf-8", cacheControl: "no-cache", extra: { "Service-Worker-Allowed": "/" } },
  "manifest.webmanifest": { source: "manifest.webmanifest", type: "application/manifest+json; charset=utf-8", cacheControl: "public, max-age=86400" },
  "icon.svg": { source: "icons/icon.svg", type: "image/svg+xml", cacheControl: "public, max-age=86400" },
  "icon-192.png": { source: "icons/icon-192.png", type: "image/png", cacheControl: "public, max-age=86400" },
  "icon-512.png": { source: "icons/icon-512.png", type: "image/png", cacheControl: "public, max-age=86400" },
};

const loaded = new Map<string, { body: Buffer; etag: string }>();

/**
 * The scripts are written for people (comments, JSDoc types, indentation) and served without those: a quarter
 * fewer bytes after gzip, which keeps a lesson page's script inside its 6 KB budget with no build step.
 * Works line by line, so it only drops whole comment lines and leading spaces — never anything inside code.
 */
export function withoutComments(source: string): string {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (inBlock) {
      inBlock = !line.endsWith("*/");
      continue;
    }
    if (line.startsWith("/*")) {
      const end = line.indexOf("*/");
      if (end === -1) inBlock = true;
      else if (line.slice(end + 2).trim()) out.push(line); // code follows the comment on this line: keep it
      continue;
    }
    if (line && !line.startsWith("//")) out.push(line);
  }
  return out.join("\n") + "\n";
}

function load(name: string, file: AppFile) {
  let entry = loaded.get(name);
  if (!entry) {
    const source = readFileSync(path.resolve("app/reach", file.source));
    const body = file.source.endsWith(".js") ? Buffer.from(withoutComments(source.toString("utf8"))) : source;
    entry = { body, etag: `"${createHash("sha1").update(body).digest("base64url").slice(0, 16)}"` };
    loaded.set(name, entry);
  }
  return entry;
}

/** The response for /app/<name>, or null when there is no such file. */
export function appFile(name: string, ifNoneMatch: string | null): Response | null {
  const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!file) return null;
  const { body, etag } = load(name, file);
  const headers = { "Content-Type": file.type, "Cache-Control": file.cacheControl, ETag: etag, ...file.extra };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(body), { headers });
}
