import pg from "pg";

// Per-process caches of data that can change (the commune names) must not outlive a change made by another
// app process (decision 017). On SQLite there is one app process, so forgetting locally is enough. On
// PostgreSQL each process keeps one extra connection that LISTENs on a channel; a change is announced with
// NOTIFY in the same transaction-free statement after the write, and every process (this one included) drops
// the named cache when the notice arrives. A process that lost its listening connection drops every cache
// and listens again, so a notice missed meanwhile costs a reload, never a stale name.

const CHANNEL = "hvs_cache";
const forgetters = new Map<string, () => void>();
let listener: Promise<pg.Client | undefined> | undefined;

/** Registers how to drop a named cache; call once per cache at module load. */
export function onCacheChange(name: string, forget: () => void): void {
  forgetters.set(name, forget);
}

/** Drops the named cache here and, on PostgreSQL, in every other app process. */
export async function announceCacheChange(name: string, postgresUrl: string | undefined): Promise<void> {
  forgetters.get(name)?.();
  if (!postgresUrl) return;
  await listen(postgresUrl); // so this process hears later notices too
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query("select pg_notify($1, $2)", [CHANNEL, name]);
  } finally {
    await client.end();
  }
}

/** Starts this process's listening connection once (called when a cache is first filled on PostgreSQL). */
export function listen(postgresUrl: string): Promise<pg.Client | undefined> {
  listener ??= connectListener(postgresUrl);
  return listener;
}

async function connectListener(postgresUrl: string): Promise<pg.Client | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, application_name: "hoc-vu-so-cache" });
  const forgetAll = () => forgetters.forEach((forget) => forget());
  client.on("notification", (message) => {
    if (message.channel === CHANNEL && message.payload) forgetters.get(message.payload)?.();
  });
  client.on("error", () => {
    // Lost: anything may have changed unheard. Drop everything; the next cache fill listens again.
    forgetAll();
    listener = undefined;
  });
  try {
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    // Not a reason to keep a CLI script alive.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    return client;
  } catch (error) {
    listener = undefined;
    throw error;
  }
}
