// npm run bench:weight — bytes transferred (compressed, first visit, every resource the browser loads) for the
// home page, the catalogue and a lesson page, measured in Chromium. Goal: a lesson page ≤ 60 KB in all.
// Budget of decision 025: all script on a lesson page (the service worker excluded) ≤ 6 KB, and the whole
// first visit of a lesson page < 20 KB, counting what the service worker fetches when it installs.
import { execFileSync } from "node:child_process";
import { chromium } from "@playwright/test";
import { demoDatabase, machine, startServer } from "./lib";

const PAGES = {
  home: "/",
  catalogue: "/khoa-hoc",
  lesson: "/khoa-hoc/dich-vu-cong-truc-tuyen/dich-vu-cong-truc-tuyen-la-gi",
  "lesson (signed in)": "/khoa-hoc/dich-vu-cong-truc-tuyen/dich-vu-cong-truc-tuyen-la-gi",
};

// The bytes a page sends do not depend on the engine: measured on SQLite only, whatever BENCH_ENGINES says.
console.log(
  `Page weight — ${new Date().toISOString()} — ${machine()} — Chromium, first visit, empty cache — SQLite (the weight does not depend on the engine)`,
);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
const database = demoDatabase("sqlite", "weight");
const server = await startServer(["node", "build/index.js"], database.env);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const results: Record<string, { bytes: number; requests: number; kinds: Record<string, number>; worker: number }> = {};
for (const [name, url] of Object.entries(PAGES)) {
  const context = await browser.newContext();
  if (name.includes("signed in")) {
    // Log in through the API of the context, so the page visit below still starts with an empty cache.
    const login = await context.request.post(`${server.url}/dang-nhap`, {
      form: { username: "demo-hocvien", password: "hocvuso-demo" },
      headers: { Origin: server.url },
      maxRedirects: 0,
    });
    if (login.status() !== 302) throw new Error(`login failed: ${login.status()}`);
  }
  const page = await context.newPage();
  const sizes: Promise<{ type: string; bytes: number }>[] = [];
  // Every request of the context: the page's, and the service worker's (its script and what it keeps at install).
  context.on("requestfinished", (request) => {
    const fromWorker = request.serviceWorker() !== null || /\/app\/sw\.js$/.test(request.url());
    const type = fromWorker ? "service worker" : request.resourceType();
    sizes.push(request.sizes().then((s) => ({ type, bytes: s.responseBodySize + s.responseHeadersSize })));
  });
  await page.goto(`${server.url}${url}`, { waitUntil: "networkidle" });
  await page.evaluate(() => navigator.serviceWorker?.ready);
  await page.waitForTimeout(500);
  const all = await Promise.all(sizes);
  const kinds: Record<string, number> = {};
  for (const r of all) kinds[r.type] = (kinds[r.type] ?? 0) + r.bytes;
  results[name] = { bytes: all.reduce((s, r) => s + r.bytes, 0), requests: all.length, kinds, worker: kinds["service worker"] ?? 0 };
  await context.close();
}
await browser.close();
await server.stop();
database.drop();
for (const [name, r] of Object.entries(results)) {
  const parts = Object.entries(r.kinds)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`)
    .join(", ");
  console.log(`${name.padEnd(20)} ${(r.bytes / 1024).toFixed(1).padStart(6)} KB in ${r.requests} requests (${parts})`);
}
const lesson = results.lesson;
const js = lesson.kinds.script ?? 0;
console.log(
  `SUMMARY lesson budget (decision 025): JavaScript ${(js / 1024).toFixed(1)} KB (budget ≤ 6 KB, service worker excluded) ${js <= 6 * 1024 ? "OK" : "OVER"}; ` +
    `first visit ${(lesson.bytes / 1024).toFixed(1)} KB in all, service worker's ${(lesson.worker / 1024).toFixed(1)} KB included (budget < 20 KB) ${lesson.bytes < 20 * 1024 ? "OK" : "OVER"}`,
);
console.log(
  `SUMMARY page weight: lesson page ${(results.lesson.bytes / 1024).toFixed(1)} KB transferred in all (goal ≤ 60 KB); home ${(results.home.bytes / 1024).toFixed(1)} KB; catalogue ${(results.catalogue.bytes / 1024).toFixed(1)} KB`,
);
