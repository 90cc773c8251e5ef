import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { deleteExpiredSessions } from "~/accounts/lucia.server";
import { operations } from "~/operations/health.server";
import { inFlight, settled } from "./in-flight";
import { createRequestListener } from "./pipeline";

/** How often expired sessions are deleted. */
const SESSION_SWEEP_MS = 60 * 60 * 1000;

/** How long a graceful stop waits for the requests in flight. */
const STOP_LIMIT_MS = 10_000;

export type ServerOptions = { port?: number; host?: string };

/**
 * Starts one server process on the Remix build: refuses to start on an empty or un-migrated database (which
 * would answer 500s), then listens, and stops gracefully on SIGTERM/SIGINT. A cluster launcher calls this
 * once per worker.
 */
export async function startServer(build: ServerBuild, options: ServerOptions = {}): Promise<http.Server> {
  const problem = await operations.startupProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  operations.start();
  sweepExpiredSessions();

  const server = http.createServer(createRequestListener(build));
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject); // the port is taken, or the address is not this machine's
    server.listen(port, host, resolve);
  });
  console.log(`Học vụ số Tây Ninh đang chạy tại http://${host === "127.0.0.1" ? "localhost" : host}:${port}`);

  // Graceful stop: take no new connections, finish the requests in flight (their writes are acknowledged only
  // after commit), including those whose client has hung up, then fold the WAL into the .db file and truncate
  // it, so a copy of the .db alone is complete (decision 013). After STOP_LIMIT_MS the process stops anyway.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const started = Date.now();
      let exiting = false;
      const exit = () => {
        if (exiting) return;
        exiting = true;
        operations.shutdown().finally(() => process.exit(0));
      };
      server.close(() => settled(STOP_LIMIT_MS - (Date.now() - started)).then(exit));
      server.closeIdleConnections?.();
      setTimeout(() => {
        const left = inFlight();
        if (left.length) console.error(`[shutdown] dừng khi còn yêu cầu chưa xong sau ${STOP_LIMIT_MS / 1000} giây: ${left.join(", ")}`);
        exit();
      }, STOP_LIMIT_MS).unref();
    });
  }
  return server;
}

/** Deletes expired sessions a minute after the start and then every hour; a failure (the database busy) waits for the next turn. */
function sweepExpiredSessions(): void {
  const sweep = () =>
    deleteExpiredSessions().catch((error) =>
      console.error(`[sessions] chưa xóa được phiên đăng nhập hết hạn: ${error instanceof Error ? error.message : error}`),
    );
  setTimeout(sweep, 60_000).unref(); // after the start, not during it
  setInterval(sweep, SESSION_SWEEP_MS).unref();
}
