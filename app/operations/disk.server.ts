import { existsSync, statfsSync, statSync } from "node:fs";
import path from "node:path";
import { DiskFullError } from "../../db/resilient-driver";

// Free space under the database (decision 013). Below MIN_FREE_DISK_MB, writes are refused before they start,
// with a clear message, instead of failing half-way with SQLITE_FULL: the WAL then never fills the disk, and
// the space left is enough for a checkpoint to fold the WAL back into the database when space returns.

const DEFAULT_MIN_FREE_MB = 64;

export function minFreeBytes(): number {
  const mb = Number(process.env.MIN_FREE_DISK_MB ?? DEFAULT_MIN_FREE_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_MIN_FREE_MB) * 1024 * 1024;
}

export function freeBytes(file: string): number {
  const stats = statfsSync(path.dirname(path.resolve(file)));
  return Number(stats.bavail) * Number(stats.bsize);
}

export function walBytes(file: string): number {
  return existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
}

let checkedAt = 0;
let lastFree = Number.POSITIVE_INFINITY;
// Set whenever a check finds space below the threshold, so the watcher checkpoints once it has returned, even
// if the shortage was too short for the watcher itself to see.
let shortageSeen = false;

/** Whether space was found below the threshold since the last call. */
export function takeShortageSeen(): boolean {
  const seen = shortageSeen;
  shortageSeen = false;
  return seen;
}

/** Free bytes now; remembers a shortage. */
export function checkFree(file: string): number {
  const free = freeBytes(file);
  if (free < minFreeBytes()) shortageSeen = true;
  return free;
}

/** Throws DiskFullError when free space is below the threshold. statfs is cheap, but not every write needs it. */
export function refuseWritesWhenDiskLow(file: string, now = Date.now()): void {
  if (now - checkedAt > 200) {
    lastFree = checkFree(file);
    checkedAt = now;
  }
  if (lastFree < minFreeBytes()) {
    throw new DiskFullError(`còn ${Math.floor(lastFree / 1048576)} MB trống, cần ít nhất ${Math.floor(minFreeBytes() / 1048576)} MB`);
  }
}

/** Forget the cached figure (after space was freed, or in tests). */
export function recheckDisk(): void {
  checkedAt = 0;
}
