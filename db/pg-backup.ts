import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// Backup and restore on PostgreSQL (decision 016): the server's own tools. pg_dump takes one consistent
// snapshot while the app keeps writing; the custom format is compressed and restored with pg_restore.

/** pg_dump to `destination` (custom format), checked with pg_restore --list, recorded for /readyz. */
export function backupPostgres(url: string, destination: string): { destination: string; bytes: number; tables: number; milliseconds: number } {
  const started = Date.now();
  mkdirSync(path.dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  try {
    execFileSync("pg_dump", ["--format=custom", "--no-owner", "--file", partial, url], { stdio: ["ignore", "ignore", "pipe"] });
    // The archive must be readable and hold the data of every table.
    const listing = execFileSync("pg_restore", ["--list", partial], { encoding: "utf8" });
    const tables = listing.split("\n").filter((line) => / TABLE DATA /.test(line)).length;
    if (tables === 0) throw new Error("bản sao không có dữ liệu bảng nào");
    renameSync(partial, destination);
    const report = { destination, bytes: statSync(destination).size, tables, milliseconds: Date.now() - started };
    writeFileSync(path.join(path.dirname(destination), "last-backup.json"), JSON.stringify({ ...report, finishedAt: new Date().toISOString() }, null, 2));
    return report;
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Restores a pg_dump archive over the database at `url` (stop the app first): --clean drops, then recreates. */
export function restorePostgres(archive: string, url: string): void {
  execFileSync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", url, archive], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}
