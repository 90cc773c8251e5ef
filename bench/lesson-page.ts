// npm run bench:lesson — a real lesson page at 50 connections, anonymous and logged in, against two baselines
// measured in the same run: a plain node:http server sending the identical bytes (the practical limit) and a
// trivial Remix route under remix-serve.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { fmt, login, machine, startServer } from "./lib";

const LESSON = "/khoa-hoc/dich-vu-cong-truc-tuyen/dich-vu-cong-truc-tuyen-la-gi";
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

type Figures = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

async function load(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

function line(label: string, f: Figures) {
  console.log(`${label.padEnd(34)} ${fmt(f.rps, 0).padStart(8)} req/s   p50 ${fmt(f.p50, 1)} ms   p99 ${fmt(f.p99, 1)} ms${f.errors || f.non2xx ? `   (errors ${f.errors}, non-2xx ${f.non2xx})` : ""}`);
}

console.log(`Lesson page benchmark — ${new Date().toISOString()} — ${machine()} — ${CONNECTIONS} connections, ${DURATION} s each`);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
execFileSync("npx", ["remix", "build"], { cwd: "bench/trivial", stdio: "ignore" });
const db = `data/bench-lesson-${process.pid}.db`;
execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...process.env, DATABASE_PATH: db }, stdio: "ignore" });

const app = await startServer(["node", "build/index.js"], { DATABASE_PATH: db });
const bytes = Buffer.from(await (await fetch(`${app.url}${LESSON}`)).arrayBuffer());
const anonymous = await load(`${app.url}${LESSON}`);
const cookie = await login(app.url, "demo-hocvien", "hocvuso-demo");
const signedIn = await load(`${app.url}${LESSON}`, { Cookie: cookie });
await app.stop();

const bodyFile = path.join(tmpdir(), `lesson-${process.pid}.html`);
writeFileSync(bodyFile, bytes);
const plain = await startServer(["node", "bench/plain-server.mjs"], { BODY_FILE: bodyFile }, "/");
const limit = await load(`${plain.url}/`);
await plain.stop();

const trivial = await startServer(["node", "node_modules/@remix-run/serve/dist/cli.js", "bench/trivial/build/index.js"], {}, "/");
const trivialRemix = await load(`${trivial.url}/`);
await trivial.stop();

console.log(`Page: ${LESSON} (${bytes.length.toLocaleString("en")} bytes of HTML)`);
line("plain node:http, same bytes", limit);
line("trivial Remix route (remix-serve)", trivialRemix);
line("lesson page, anonymous", anonymous);
line("lesson page, logged in", signedIn);
const anonRatio = anonymous.rps / limit.rps;
const signedRatio = signedIn.rps / trivialRemix.rps;
console.log(
  `SUMMARY lesson page: anonymous ${fmt(anonRatio * 100, 0)}% of plain HTTP (goal ≥ 40%), logged in ${fmt(signedRatio, 2)}× trivial Remix (goal ≥ 2×), ` +
    `p99 ${fmt(anonymous.p99, 1)} / ${fmt(signedIn.p99, 1)} ms (goal < 50 ms)`,
);
execFileSync("rm", ["-f", db, `${db}-wal`, `${db}-shm`]);
