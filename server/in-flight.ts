// Requests whose work is still running. A client that hangs up closes its connection, but the loader or action
// it started goes on (a quiz answer may be about to commit). `server.close` waits for connections only, so the
// graceful stop waits here as well before it closes the database: otherwise that work meets a destroyed
// database, fails, and logs an error at every deploy.

const running = new Map<Promise<unknown>, string>();

/** Counts `work` as in flight until it settles; returns it unchanged. `what` names it in the stop's log. */
export function track<T>(work: Promise<T>, what: string): Promise<T> {
  running.set(work, what);
  const done = () => running.delete(work);
  work.then(done, done);
  return work;
}

/** What is still being worked on, e.g. "2 × POST /khoa-hoc/a/kiem-tra". */
export function inFlight(): string[] {
  const counts = new Map<string, number>();
  for (const what of running.values()) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].map(([what, n]) => `${n} × ${what}`);
}

/** Resolves when nothing is in flight, or after `limitMs` (true when everything settled in time). */
export async function settled(limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (running.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, left)));
    await Promise.race([Promise.allSettled([...running.keys()]), timeout]);
    clearTimeout(timer);
  }
  return true;
}
