// Service worker (decision 025): hand-written, about 1 KB. Network first for everything; when the network
// fails, a copy saved in Cache Storage (a course saved with "Lưu để đọc khi không có mạng"), and for any
// other page the offline page. Nothing is cached here on the way through: only what the learner chose to
// save, plus the offline page itself. Quizzes and every POST always go to the network.

const SHELL = "hvs-vo-1"; // the offline page and what it needs; bump to replace it
const OFFLINE_PAGE = "/ngoai-tuyen";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      const response = await fetch(OFFLINE_PAGE, { credentials: "omit" });
      const html = await response.clone().text();
      await cache.put(OFFLINE_PAGE, response);
      // Its stylesheet and this site's script, found in the page so the hashed names are always right (not the
      // icons and manifest it also links: offline they serve no one, and they cost a first visit ~2 KB).
      const assets = [...html.matchAll(/(?:href|src)="(\/(?:build|app)\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith("hvs-vo-") && name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** A saved page, marked so the page's script knows it is reading a copy. */
async function savedCopy(response) {
  const html = await response.text();
  return new Response(html.replace("<html", '<html data-offline=""'), {
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

async function fromNetworkOrSaved(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const saved = await caches.match(request, { ignoreVary: true, ignoreSearch: request.mode === "navigate" });
    if (request.mode !== "navigate") {
      if (saved) return saved;
      throw error;
    }
    if (saved) return savedCopy(saved);
    const offline = await caches.match(OFFLINE_PAGE, { ignoreVary: true });
    return offline ? savedCopy(offline) : Response.error();
  }
}

// Files to download (CSV exports, templates, personal data) and the JSON API go straight to the browser.
const NOT_PAGES = /(?:\.csv$|\/tai-ve|\/mau\/|^\/api\/)/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || NOT_PAGES.test(url.pathname)) return;
  event.respondWith(fromNetworkOrSaved(request));
});
