// npm start: one app process, or WEB_CONCURRENCY=N processes sharing the port (node:cluster), decision 017.
// Several processes need PostgreSQL (DATABASE_URL): SQLite's group commit and single writer belong to one
// process. The primary only forks, restarts a worker that dies, and passes SIGTERM/SIGINT on; each worker is
// the ordinary server (build/index.js, decision 014), with its own pool of connections.
import cluster from "node:cluster";

const wanted = Math.max(1, Math.floor(Number(process.env.WEB_CONCURRENCY ?? 1)) || 1);
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

if (wanted === 1 || !cluster.isPrimary) {
  await import("./build/index.js");
} else if (!onPostgres) {
  console.error(
    "WEB_CONCURRENCY > 1 cần PostgreSQL (DATABASE_URL=postgres://…); với SQLite chỉ chạy một tiến trình. " +
      "(Several processes need PostgreSQL; on SQLite run one.)",
  );
  process.exit(2);
} else {
  let stopping = false;
  const fork = () => cluster.fork({ HVS_WORKER: "1" });
  for (let i = 0; i < wanted; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A crash (or a SIGKILL) ends only that process's requests; the others keep serving, and a new one starts.
    console.error(`[cluster] tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động tiến trình mới.`);
    fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      setTimeout(() => process.exit(0), 15_000).unref();
    });
  }
  console.log(`Học vụ số Tây Ninh: ${wanted} tiến trình trên PostgreSQL (cổng ${process.env.PORT ?? 3000}).`);
}
