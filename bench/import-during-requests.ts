// npx tsx bench/import-during-requests.ts — do other requests keep answering while an administrator uploads a 60,000-row roster?
// Security review, issue 12, finding 8: before decision 011 such an upload blocked every request for seconds.
// Signed-in lesson pages (each one reads the session from the database) at a few connections, first alone,
// then while the roster is uploaded through the admin page again and again; p99 of both, in the same run, on
// each engine (BENCH_ENGINES, see bench/lib.ts).
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { benchEngines, demoDatabase, fmt, login, machine, startServer, type EngineName } from "./lib";

const LESSON = "/khoa-hoc/dich-vu-cong-truc-tuyen/dich-vu-cong-truc-tuyen-la-gi";
const ROWS = Number(process.env.BENCH_ROWS ?? 60_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const HEADER = "personnel_code,full_name,birth_year,agency_code,commune_code,status";

type Figures = { requests: number; p50: number; p99: number; max: number; errors: number; non2xx: number };

/** A valid roster; `round` flips some statuses so that every upload after the first changes rows too. */
function roster(round: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const status = (i + round) % 7 === 0 ? "left" : "active";
    lines.push(`BENCH-${i},Người Thử Số ${i},${1960 + (i % 40)},${i % 2 ? "SNV" : "UBND-25459"},${i % 2 ? "" : "25459"},${status}`);
  }
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

async function pages(url: string, cookie: string): Promise<Figures> {
  const r = await autocannon({ url: `${url}${LESSON}`, connections: CONNECTIONS, duration: DURATION, headers: { Cookie: cookie } });
  return { requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors, non2xx: r.non2xx };
}

async function upload(url: string, cookie: string, file: Buffer): Promise<{ ms: number; status: number; text: string }> {
  const form = new FormData();
  form.append("kind", "roster");
  form.append("file", new Blob([new Uint8Array(file)], { type: "text/csv" }), "bench-roster.csv");
  const started = performance.now();
  const response = await fetch(`${url}/quan-tri/nhap-du-lieu`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: url }, redirect: "manual" });
  const text = await response.text();
  return { ms: performance.now() - started, status: response.status, text };
}

function line(label: string, f: Figures) {
  console.log(
    `${label.padEnd(30)} ${String(f.requests).padStart(7)} requests   p50 ${fmt(f.p50, 0)} ms   p99 ${fmt(f.p99, 0)} ms   max ${fmt(f.max, 0)} ms${f.errors || f.non2xx ? `   (errors ${f.errors}, non-2xx ${f.non2xx})` : ""}`,
  );
}

const engines = benchEngines();
console.log(
  `Import-during-requests benchmark — ${new Date().toISOString()} — ${machine()} — ${ROWS} rows, ${CONNECTIONS} connections, ${DURATION} s each — engines ${engines.join(", ")}`,
);
execFileSync("npx", ["remix", "build"], { stdio: "ignore" });
for (const engine of engines) await importOn(engine);

async function importOn(engine: EngineName) {
  const database = demoDatabase(engine, "import");
  const server = await startServer(["node", "build/index.js"], database.env);
  console.log(`— ${engine} —`);
  try {
    const learner = await login(server.url, "demo-hocvien", "hocvuso-demo");
    const admin = await login(server.url, "demo-quantri", "hocvuso-demo");
    const files = [roster(0), roster(1)];
    await autocannon({ url: `${server.url}${LESSON}`, connections: CONNECTIONS, duration: 2, headers: { Cookie: learner } }); // warm-up

    const alone = await pages(server.url, learner);

    // Uploads back to back for the whole measuring window.
    let measuring = true;
    const uploads: { ms: number; status: number; text: string }[] = [];
    const uploading = (async () => {
      for (let round = 0; measuring; round++) uploads.push(await upload(server.url, admin, files[round % 2]));
    })();
    const during = await pages(server.url, learner);
    measuring = false;
    await uploading;

    const imported = uploads.filter((u) => u.status === 200 && u.text.includes(`Đã nhập ${ROWS.toLocaleString("en").replaceAll(",", "")} dòng`));
    const times = uploads.map((u) => u.ms).sort((a, b) => a - b);
    line("lesson page, no import", alone);
    line("lesson page, during imports", during);
    console.log(`uploads: ${uploads.length} (${imported.length} imported ${ROWS} rows), each ${fmt(times[0] / 1000, 1)}–${fmt(times.at(-1)! / 1000, 1)} s`);
    if (imported.length !== uploads.length)
      console.log(
        `unexpected upload answers: ${uploads
          .filter((u) => !imported.includes(u))
          .map((u) => u.status)
          .join(", ")}`,
      );
    console.log(
      `SUMMARY import during requests [${engine}]: p99 ${fmt(during.p99, 0)} ms during ${uploads.length} uploads of ${ROWS} rows vs ${fmt(alone.p99, 0)} ms without ` +
        `(max ${fmt(during.max, 0)} vs ${fmt(alone.max, 0)} ms)`,
    );
  } finally {
    await server.stop();
    database.drop();
  }
}
