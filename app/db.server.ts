import type { Kysely } from "kysely";
import { databasePath, openDatabase, type AppDatabase } from "../db/database";
import type { DB } from "../db/schema";

// One connection per process (SQLite serialises writers anyway); opened on first use.
let opened: AppDatabase | undefined;

export function database(): AppDatabase {
  opened ??= openDatabase(databasePath());
  return opened;
}

export function db(): Kysely<DB> {
  return database().db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
