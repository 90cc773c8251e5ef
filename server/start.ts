import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { operations } from "~/operations/health.server";
import { createRequestListener } from "./pipeline";

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

  const server = http.createServer(createRequestListener(build));
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject); // the port is taken, or the address is not this machine's
    server.listen(port, host, resolve);
  });
  console.log(`Học vụ số Tây Ninh đang chạy tại http://${host === "127.0.0.1" ? "localhost" : host}:${port}`);

  // Graceful stop: finish the requests in flight (their writes are acknowledged only after commit), then fold
  // the WAL into the .db file and truncate it, so a copy of the .db alone is complete (decision 013).
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const exit = () => operations.shutdown().finally(() => process.exit(0));
      server.close(exit);
      server.closeIdleConnections?.();
      setTimeout(exit, 10_000).unref();
    });
  }
  return server;
}
