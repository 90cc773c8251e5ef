import { timingSafeEqual } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { sql } from "kysely";
import { db } from "~/db.server";
import { databaseLabel, databasePath } from "../../db/database";
import { migrations } from "../../db/migrations";
import { withWriteDeadline } from "../../db/resilient-driver";
import { checkFree, freeBytes, minFreeBytes, recheckDisk, walBytes } from "./disk.server";
import { unavailableKind } from "./errors.server";
import { checkpointTruncate, shutdownDatabase, startDiskWatcher, watchDiskOnce } from "./maintenance.server";
import { httpDuration, httpRequests, registry, scrapedGauge } from "./metrics.server";

// /healthz, /readyz and /metrics for operators (decision 013), answered by the server's pipeline (server/pipeline.ts) before Express and Remix.
// /healthz says only that the process answers. /readyz and /metrics describe the machine, so they are for
// operators: a direct connection from this machine (loopback, not forwarded by a proxy), or
// `Authorization: Bearer $METRICS_TOKEN`.

type Check = { ok: boolean; critical: boolean; detail: string; [extra: string]: unknown };

export function backupDirectory(): string {
  return path.resolve(process.env.BACKUP_DIR ?? "backups");
}

/** Seconds since the newest backup, from the record the backup command writes (or the newest .db file). */
export function lastBackupAgeSeconds(now = Date.now()): number | null {
  const dir = backupDirectory();
  const record = path.join(dir, "last-backup.json");
  try {
    if (existsSync(record)) return (now - Date.parse(JSON.parse(readFileSync(record, "utf8")).finishedAt)) / 1000;
    const newest = Math.max(
      ...readdirSync(dir)
        .filter((f) => f.endsWith(".db"))
        .map((f) => statSync(path.join(dir, f)).mtimeMs),
    );
    return Number.isFinite(newest) ? (now - newest) / 1000 : null;
  } catch {
    return null;
  }
}

async function databaseCheck(): Promise<Check> {
  try {
    // An empty write transaction: it must get the write lock (begin immediate) and pass the disk guard.
    await withWriteDeadline(500, () =>
      db()
        .transaction()
        .execute(async (trx) => sql`select 1`.execute(trx)),
    );
    return { ok: true, critical: true, detail: "ghi được" };
  } catch (error) {
    const kind = unavailableKind(error);
    const detail =
      kind === "busy" ? "đang bị tiến trình khác khóa ghi" : kind === "disk-full" ? "không ghi được: ổ đĩa sắp đầy" : `lỗi: ${(error as Error).message}`;
    return { ok: false, critical: true, detail };
  }
}

function diskCheck(): Check {
  recheckDisk();
  const free = checkFree(databasePath());
  const min = minFreeBytes();
  const mb = (n: number) => Math.floor(n / 1048576);
  return {
    ok: free >= min,
    critical: true,
    detail: `còn ${mb(free)} MB trống (ngưỡng ${mb(min)} MB)`,
    freeBytes: free,
    minFreeBytes: min,
    walBytes: walBytes(databasePath()),
  };
}

async function migrationsCheck(): Promise<Check> {
  const expected = Object.keys(migrations);
  try {
    const applied = new Set(
      (
        await db()
          .selectFrom("kysely_migration" as never)
          .select("name" as never)
          .execute()
      ).map((r) => (r as { name: string }).name),
    );
    const missing = expected.filter((name) => !applied.has(name));
    return { ok: missing.length === 0, critical: true, detail: missing.length ? `chưa chạy: ${missing.join(", ")}` : `đủ ${expected.length}` };
  } catch (error) {
    return { ok: false, critical: true, detail: `không đọc được: ${(error as Error).message}` };
  }
}

function backupCheck(): Check {
  const age = lastBackupAgeSeconds();
  const maxHours = Number(process.env.BACKUP_MAX_AGE_HOURS ?? 26);
  // Not critical: a missing backup is the operator's alarm, not a reason to stop serving learners.
  if (age === null) return { ok: false, critical: false, detail: "chưa có bản sao lưu", ageSeconds: null };
  return { ok: age <= maxHours * 3600, critical: false, detail: `bản sao lưu mới nhất cách đây ${(age / 3600).toFixed(1)} giờ`, ageSeconds: Math.round(age) };
}

/**
 * Why this database cannot serve yet (migrations not run, organisation data not loaded), in Vietnamese and
 * English with the command to run; null when it can. The server refuses to start rather than answer 500s.
 */
export async function startupProblem(): Promise<string | null> {
  const migrations = await migrationsCheck();
  let communes = 0;
  if (migrations.ok)
    communes = Number(
      (
        await db()
          .selectFrom("commune")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  if (migrations.ok && communes > 0) return null;
  const why = migrations.ok ? "chưa có danh sách xã/phường" : `cơ sở dữ liệu chưa được cập nhật (${migrations.detail})`;
  return [
    `Không khởi động: ${why} — ${databaseLabel()}. Hãy chạy: npm run setup`,
    `Not starting: the database is not set up (${migrations.ok ? "no communes loaded" : "migrations pending"}) — ${databaseLabel()}. Run: npm run setup`,
  ].join("\n");
}

export async function readiness(): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const checks = { database: await databaseCheck(), disk: diskCheck(), migrations: await migrationsCheck(), backup: backupCheck() };
  return { ready: Object.values(checks).every((c) => c.ok || !c.critical), checks };
}

// ---------------------------------------------------------------------------------------------------------

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function isOperator(req: IncomingMessage): boolean {
  const token = process.env.METRICS_TOKEN;
  const header = req.headers.authorization ?? "";
  if (token && header.startsWith("Bearer ")) {
    const given = Buffer.from(header.slice(7));
    const wanted = Buffer.from(token);
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
  }
  // A request forwarded by a proxy on this machine also arrives from loopback: it must carry the token.
  const forwarded = req.headers["x-forwarded-for"] || req.headers.forwarded || req.headers["x-real-ip"];
  return !forwarded && process.env.TRUST_PROXY !== "1" && LOOPBACK.has(req.socket.remoteAddress ?? "");
}

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) {
  // The security headers are on the response already (server/security.ts), like on every other response.
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...extra });
  res.end(body);
}

const JSON_TYPE = "application/json; charset=utf-8";

/** Answers /healthz, /readyz and /metrics; false for every other request. */
function handle(req: IncomingMessage, res: ServerResponse): boolean {
  const url = (req.url ?? "").split("?")[0];
  if (url !== "/healthz" && url !== "/readyz" && url !== "/metrics") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, "text/plain; charset=utf-8", "Phương thức yêu cầu không được hỗ trợ.", { Allow: "GET, HEAD" });
    return true;
  }
  if (url === "/healthz") {
    send(res, 200, JSON_TYPE, JSON.stringify({ status: "ok" }));
    return true;
  }
  if (!isOperator(req)) {
    send(res, 401, "text/plain; charset=utf-8", "Trang này chỉ dành cho người vận hành: cần mã truy cập (Authorization: Bearer).", {
      "WWW-Authenticate": "Bearer",
    });
    return true;
  }
  const answer =
    url === "/readyz"
      ? readiness().then(({ ready, checks }) =>
          send(res, ready ? 200 : 503, JSON_TYPE, JSON.stringify({ status: ready ? "ready" : "unready", checks }, null, 2)),
        )
      : registry.metrics().then((text) => send(res, 200, registry.contentType, text));
  answer.catch((error) => send(res, 500, "text/plain; charset=utf-8", `Không đọc được trạng thái: ${(error as Error).message}`));
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Request metrics by route pattern (/khoa-hoc/:course/:lesson), never by raw path: one series per route.

type RouteEntry = { id: string; parentId?: string; path?: string };
const patterns = new WeakMap<object, Array<{ pattern: RegExp; label: string; weight: number }>>();

function routePatterns(routes: Record<string, RouteEntry>) {
  let list = patterns.get(routes);
  if (list) return list;
  list = [];
  for (const route of Object.values(routes)) {
    const segments: string[] = [];
    for (let r: RouteEntry | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) segments.unshift(...(r.path ?? "").split("/"));
    const parts = segments.filter(Boolean);
    const label = `/${parts.join("/")}`;
    const source = parts.map((s) => (s === "*" ? ".*" : s.startsWith(":") ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
    // Static segments beat parameters, parameters beat the splat.
    const weight = parts.reduce((w, s) => w + (s === "*" ? 0 : s.startsWith(":") ? 2 : 3), 0);
    list.push({ pattern: new RegExp(`^/${source}/?$`), label, weight });
  }
  list.sort((a, b) => b.weight - a.weight);
  patterns.set(routes, list);
  return list;
}

function routeLabel(routes: Record<string, RouteEntry>, url: string): string {
  const pathname = url.split("?")[0];
  if (pathname.startsWith("/build/")) return "/build/*";
  if (pathname.startsWith("/images/")) return "/images/*";
  if (pathname === "/healthz" || pathname === "/readyz" || pathname === "/metrics") return pathname;
  return routePatterns(routes).find((r) => r.pattern.test(pathname))?.label ?? "other";
}

/** Counts and times every request by route pattern once its response has been sent. */
function observe(req: IncomingMessage, res: ServerResponse, routes: Record<string, RouteEntry>): void {
  const started = process.hrtime.bigint();
  res.once("finish", () => {
    const route = routeLabel(routes, req.url ?? "/");
    const method = req.method ?? "GET";
    httpRequests.inc({ route, method, status: String(res.statusCode) });
    httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
  });
}

let started = false;

/** Once per server process: the disk watcher and the scraped gauges. */
function start(): void {
  if (started) return;
  started = true;
  startDiskWatcher();
  scrapedGauge("hvs_sqlite_wal_bytes", "Size of the database's -wal file.", () => walBytes(databasePath()));
  scrapedGauge("hvs_disk_free_bytes", "Free space on the database's file system.", () => freeBytes(databasePath()));
  scrapedGauge("hvs_disk_min_free_bytes", "Free-space threshold below which writes are refused (MIN_FREE_DISK_MB).", () => minFreeBytes());
  scrapedGauge("hvs_last_backup_age_seconds", "Seconds since the newest backup in BACKUP_DIR.", () => lastBackupAgeSeconds());
  // A WAL left by a crash or by a full disk is folded in at once, not 10,000 pages later.
  checkpointTruncate();
}

export const operations = { start, startupProblem, handle, observe, shutdown: shutdownDatabase, checkpoint: checkpointTruncate, watchDiskOnce };
