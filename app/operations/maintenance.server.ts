import { database, db } from "~/db.server";
import { databasePath } from "../../db/database";
import { checkFree, minFreeBytes, recheckDisk, takeShortageSeen, walBytes } from "./disk.server";
import { logOncePerBurst } from "./errors.server";

// Keeping the WAL from eating the disk (decision 013). Checkpoints normally run every 10,000 WAL pages
// (decision 007); when the disk runs low that is too late, so a watcher checks free space every few seconds:
// - while space is low, it folds the WAL into the database and truncates it whenever it can;
// - when space comes back after a shortage, it does the same at once, so the WAL does not grow back into it.
// And on a clean stop the WAL is folded in and truncated, so the .db file alone holds every acknowledged write.

const WATCH_MS = Number(process.env.DISK_WATCH_MS ?? 5000);
let wasLow = false;
let watcher: NodeJS.Timeout | undefined;

/** wal_checkpoint(TRUNCATE) on the server's connection, unless one of its transactions is open right now. */
export function checkpointTruncate(): { ok: boolean; busy?: boolean } {
  const opened = database();
  // PostgreSQL manages its own WAL and checkpoints on its own server (decision 016).
  if (opened.engine !== "sqlite") return { ok: true };
  const { sqlite } = opened;
  if (sqlite.inTransaction) return { ok: false };
  try {
    const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    return { ok: result?.busy === 0, busy: result?.busy !== 0 };
  } catch (error) {
    logOncePerBurst(error, "checkpoint");
    return { ok: false };
  }
}

/** One look at the disk: checkpoint while low, and once more when space has come back. */
export function watchDiskOnce(): void {
  if (database().engine !== "sqlite") return;
  const file = databasePath();
  recheckDisk();
  // "Low" for the watcher starts at twice the write threshold: checkpoint before writes have to be refused.
  const low = checkFree(file) < minFreeBytes() * 2;
  wasLow ||= takeShortageSeen();
  if ((low || wasLow) && walBytes(file) > 0) {
    const { ok } = checkpointTruncate();
    if (wasLow && !low && ok) console.error(`[disk] dung lượng trống đã trở lại; WAL đã được gộp và cắt về 0.`);
    if (!ok && !low) return; // try again next time before declaring recovery
  }
  wasLow = low;
}

export function startDiskWatcher(): void {
  if (watcher || WATCH_MS <= 0) return;
  watcher = setInterval(() => {
    try {
      watchDiskOnce();
    } catch (error) {
      logOncePerBurst(error, "disk");
    }
  }, WATCH_MS);
  watcher.unref();
}

/** Graceful stop (SIGTERM/SIGINT): after the last request, checkpoint with TRUNCATE and close. */
let stopping: Promise<void> | undefined;
export function shutdownDatabase(): Promise<void> {
  stopping ??= (async () => {
    if (watcher) clearInterval(watcher);
    const { ok } = checkpointTruncate();
    if (!ok) console.error("[shutdown] không gộp được WAL vào tệp .db; hãy sao lưu cả tệp -wal (npm run db:backup).");
    await db().destroy();
  })();
  return stopping;
}
