import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import os from "node:os";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { addBenchAdmin } from "./bench-admin";

// Shared helpers for the benchmark scripts: a production server on 127.0.0.1, a login, a few statistics.

/**
 * CPU seconds (user + system) a process has used so far, from /proc on Linux; null elsewhere or when it is gone.
 * On a shared machine this moves far less than requests per second do, so a change can be compared by it.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : null; // utime + stime, in ticks of 1/100 s (USER_HZ)
}

/**
 * The same for a process and its children: the children alive now, and those that ended and were waited for
 * (cutime + cstime). For the app's workers (WEB_CONCURRENCY) and for a PostgreSQL server's backends.
 */
export function treeCpuSeconds(pid: number | undefined): number | null {
  const own = statFields(pid);
  if (!own) return null;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** /proc/<pid>/stat after the command name: [0] is the state, [1] the parent, [11..14] the CPU times. */
function statFields(pid: number | undefined): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  } catch {
    return null;
  }
}

/** The PostgreSQL server's main process (postmaster) for `url`, when it runs on this machine; else null. */
export async function postgresServerPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("select pg_backend_pid() as pid");
    const parent = statFields(rows[0].pid)?.[1];
    return parent ? Number(parent) : null;
  } finally {
    await client.end();
  }
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export type Server = { url: string; process: ChildProcess; stop: () => Promise<void> };

export async function startServer(command: string[], env: Record<string, string>, readyPath = "/khoa-hoc"): Promise<Server> {
  const port = await freePort();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), COOKIE_SECURE: "0", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${url}${readyPath}`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
    body: new URLSearchParams({ username, password }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`login failed for ${username}: ${response.status}`);
  return cookie;
}

export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// ——— Engines (issue 16, decision 029) ———
// BENCH_ENGINES=sqlite,postgres chooses the engines; without it, both when BENCH_DATABASE_URL names a
// PostgreSQL server (e.g. the local cluster of scripts/pg-cluster.sh), else SQLite alone. Each script measures
// every chosen engine in the same run and prints the figures side by side.

export type EngineName = "sqlite" | "postgres";

export function benchEngines(): EngineName[] {
  const server = process.env.BENCH_DATABASE_URL;
  const wanted = (process.env.BENCH_ENGINES ?? (server ? "sqlite,postgres" : "sqlite"))
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of wanted) if (e !== "sqlite" && e !== "postgres") throw new Error(`BENCH_ENGINES: unknown engine ${e}`);
  if (wanted.includes("postgres") && !server) throw new Error("BENCH_ENGINES includes postgres: set BENCH_DATABASE_URL=postgres://…/postgres");
  return wanted as EngineName[];
}

/** The URL of a database named `name` on the BENCH_DATABASE_URL server. */
export function postgresDatabaseUrl(name: string): string {
  const url = new URL(process.env.BENCH_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A benchmark database on one engine: the environment a server or script needs to use it, and its removal. */
export type BenchDatabase = { engine: EngineName; env: Record<string, string>; path?: string; url?: string; drop: () => void };

export function sqliteDatabase(file: string): BenchDatabase {
  return {
    engine: "sqlite",
    path: file,
    // An empty DATABASE_URL keeps a caller's PostgreSQL setting from leaking into a SQLite run.
    env: { DATABASE_PATH: file, DATABASE_URL: "" },
    drop: () => execFileSync("rm", ["-f", file, `${file}-wal`, `${file}-shm`]),
  };
}

export function postgresDatabase(name: string): BenchDatabase {
  const url = postgresDatabaseUrl(name);
  return {
    engine: "postgres",
    url,
    env: { DATABASE_URL: url },
    drop: () => execFileSync("npx", ["tsx", "scripts/pg-database.ts", "drop", url], { stdio: "ignore" }),
  };
}

/** A fresh demo database (`npm run setup -- --demo`) on the engine, named after the benchmark. */
export function demoDatabase(engine: EngineName, name: string): BenchDatabase {
  const database = engine === "sqlite" ? sqliteDatabase(`data/bench-${name}-${process.pid}.db`) : postgresDatabase(`hvs_bench_${name}_${process.pid}`);
  if (database.url) execFileSync("npx", ["tsx", "scripts/pg-database.ts", "recreate", database.url], { stdio: "ignore" });
  execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...process.env, ...database.env }, stdio: "ignore" });
  return database;
}

/** One row of a side-by-side table: a label, then one cell per engine. */
export function sideBySide(label: string, cells: string[], width = 34): string {
  return `${label.padEnd(width)} ${cells.map((c) => c.padEnd(44)).join(" ")}`;
}

/**
 * A scale database (npm run seed:scale) at `file`, generated with `seedArgs` when missing or with --fresh, then
 * brought up to the latest migration (the server refuses an old schema), with the administrator the
 * benchmarks sign in as. Returns the open file for any check the caller makes; the caller closes it.
 */
export async function scaleDatabase(file: string, seedArgs: Record<string, number>, what: string): Promise<Database.Database> {
  if (!existsSync(file) || process.argv.includes("--fresh")) {
    console.log(`Generating ${what} (npm run seed:scale)…`);
    const args = Object.entries(seedArgs).flatMap(([name, value]) => [`--${name}`, String(value)]);
    execFileSync("npx", ["tsx", "scripts/seed-scale.ts", ...args, "--db", file], { stdio: "inherit" });
  }
  execFileSync("npx", ["tsx", "scripts/setup.ts"], { stdio: "ignore", env: { ...process.env, DATABASE_PATH: file, DATABASE_URL: "" } });
  const sqlite = new Database(file);
  await addBenchAdmin(sqlite);
  return sqlite;
}
