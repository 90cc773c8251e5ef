import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics (decision 013). One registry for the process; /metrics serves it to operators only
// (health.server.ts). Gauges that describe files (WAL size, free disk, backup age) are read when scraped.

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "hvs_" });

export const httpRequests = new Counter({
  name: "hvs_http_requests_total",
  help: "HTTP requests answered, by route pattern, method and status.",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: "hvs_http_request_duration_seconds",
  help: "Time from request to the end of the response, by route pattern and method.",
  labelNames: ["route", "method"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const quizSubmissionsAcknowledged = new Counter({
  name: "hvs_quiz_submissions_acknowledged_total",
  help: "Quiz attempts stored and acknowledged to the learner (after their commit).",
  registers: [registry],
});

export const groupCommitSize = new Histogram({
  name: "hvs_group_commit_jobs",
  help: "Writes sharing one group commit (one transaction, one fsync).",
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  registers: [registry],
});

export const databaseBusy = new Counter({
  name: "hvs_db_lock_waits_total",
  help: "Times a write found the database locked by another process and waited asynchronously.",
  registers: [registry],
});

export const writesRefused = new Counter({
  name: "hvs_db_writes_refused_total",
  help: "Requests answered 503 because the database could not take a write (busy past the deadline, or disk low).",
  labelNames: ["reason"] as const,
  registers: [registry],
});

/** Gauges computed at scrape time from a function. */
export function scrapedGauge(name: string, help: string, read: () => number | null): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value !== null) this.set(value);
    },
  });
}
