import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A real production server process on its own database, for fault tests that kill and restart it.
export { learnersReadyForQuiz } from "../../../scripts/seed/fixtures";

/**
 * A fresh demo database of its own for a spec's own server: on PostgreSQL when the suite runs there
 * (E2E_DATABASE_URL; a database named after it plus `suffix`), otherwise a new SQLite file. `env` is what the
 * server needs to open it.
 */
export function freshOwnDatabase(suffix: string): { database: { file: string } | { url: string }; env: Record<string, string> } {
  const shared = process.env.E2E_DATABASE_URL;
  if (!shared) {
    const file = freshDatabase();
    return { database: { file }, env: { DATABASE_PATH: file } };
  }
  const url = new URL(shared);
  url.pathname = `${url.pathname}_${suffix}`;
  execFileSync("npx", ["tsx", "scripts/pg-database.ts", "recreate", url.toString()], { stdio: "ignore" });
  execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...process.env, DATABASE_URL: url.toString(), NODE_ENV: "test" }, stdio: "ignore" });
  return { database: { url: url.toString() }, env: { DATABASE_URL: url.toString() } };
}

export function freshDatabase(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hvs-fault-")), "app.db");
  execFileSync("npx", ["tsx", "scripts/setup.ts", "--demo"], { env: { ...process.env, DATABASE_PATH: file, NODE_ENV: "test" }, stdio: "ignore" });
  return file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = { url: string; child: ChildProcess; logs: string[]; kill: (signal?: NodeJS.Signals) => Promise<void> };

/** `env` adds settings (e.g. DB_WRITE_DEADLINE_MS); `logs` collects what the server writes to stderr. */
export async function startServer(databasePath: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn("node", ["build/index.js"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, PORT: String(port), HOST: "127.0.0.1", COOKIE_SECURE: "0", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const logs: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/khoa-hoc`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    child,
    logs,
    kill: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

export function quizForm(answers: Record<string, string[]>, key = randomUUID()): URLSearchParams {
  const form = new URLSearchParams({ idempotency_key: key });
  for (const [question, options] of Object.entries(answers)) for (const option of options) form.append(`q-${question}`, option);
  return form;
}

export async function submit(url: string, courseSlug: string, cookie: string, form: URLSearchParams) {
  return fetch(`${url}/khoa-hoc/${courseSlug}/kiem-tra`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: form,
    // A connection handed to a process at the moment it is killed can stay open with no answer, as a phone's
    // would; like the phone, give up after a while (an unanswered submission is not acknowledged).
    signal: AbortSignal.timeout(15_000),
  });
}
