import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { tempDir } from "./helpers";
import type { SessionUser } from "~/accounts/session.server";
import type { Role } from "../../../db/schema";

/**
 * The engine the suite runs on: TEST_DATABASE_URL=postgres://… (a server where this role may create
 * databases) runs every test file on its own fresh PostgreSQL database; otherwise each gets a SQLite file.
 * scripts/test.sh runs the suite both ways (decision 016).
 */
export const testEngine: "sqlite" | "postgres" = process.env.TEST_DATABASE_URL ? "postgres" : "sqlite";

/** Creates an empty database on the test server and returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const server = process.env.TEST_DATABASE_URL!;
  const name = `hvs_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`create database ${name} template template0 encoding 'UTF8' locale 'C.UTF-8'`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Points the app at a fresh database (a SQLite file in a temp dir, or a new PostgreSQL database) and the good
 * content fixture, then migrates and loads organisation data. Call in beforeAll, before the first query (the
 * app opens its database lazily). Returns the SQLite file (also set on PostgreSQL, for the disk checks).
 */
export async function useTempDatabase(): Promise<string> {
  const file = path.join(tempDir(), "test.db");
  process.env.DATABASE_PATH = file;
  if (testEngine === "postgres") process.env.DATABASE_URL = await freshPostgresDatabase();
  process.env.CONTENT_DIR ??= path.resolve("test/fixtures/good");
  process.env.PUBLIC_DIR ??= path.resolve("test/fixtures/public");
  const { db } = await import("~/db.server");
  const { migrateToLatest } = await import("../../../db/database");
  const { seedDemoAgencies, seedOrganisation } = await import("../../../scripts/seed/organisation");
  await migrateToLatest(db());
  await seedOrganisation(db());
  await seedDemoAgencies(db());
  return file;
}

let counter = 0;

/** Creates a learner directly (no HTTP) and returns their id. */
export async function makePerson(
  overrides: Partial<{ username: string; kind: "citizen" | "official"; communeCode: string; birthYear: number; fullName: string }> = {},
) {
  const { createPerson } = await import("~/accounts/people.server");
  counter += 1;
  return createPerson({
    username: overrides.username ?? `learner${counter}`,
    fullName: overrides.fullName ?? `Người Học ${counter}`,
    birthYear: overrides.birthYear ?? 1970,
    communeCode: overrides.communeCode ?? "25459",
    kind: overrides.kind ?? "citizen",
    password: "matkhau-123",
    consentMethod: "self",
  });
}

/** Records a course completion at a given time, through the same aggregate update the app uses. */
export async function completeAt(personId: string, courseSlug: string, iso: string) {
  const { db } = await import("~/db.server");
  const { countCompletion } = await import("~/reports/indicators.server");
  await db()
    .transaction()
    .execute(async (trx) => {
      await trx
        .insertInto("course_progress")
        .values({ person_id: personId, course_slug: courseSlug, last_lesson_slug: null, started_at: iso, updated_at: iso, completed_at: iso })
        .execute();
      await countCompletion(trx, personId, courseSlug);
    });
}

/** A signed-in user as the session module hands it to domain code: a citizen of Phường Tân Ninh with these roles. */
export function signedIn(id: string, roles: Role[] = ["trainer"]): SessionUser {
  return {
    id,
    sessionId: "s",
    username: id,
    fullName: "Người hướng dẫn",
    kind: "citizen",
    communeCode: "25459",
    agencyCode: null,
    mustChangePassword: false,
    roles: roles.map((role) => ({ role, scope: "" })),
    supervisedBy: null,
  };
}

/**
 * A SQLite file migrated only up to `migration`, holding one commune ('1') and one person ('p1'): for tests of
 * what a later migration does to data written before it. Migrate the rest with the returned migrator.
 */
export async function databaseBefore(migration: string, file: string) {
  const { openDatabase } = await import("../../../db/database");
  const { migrations } = await import("../../../db/migrations");
  const { Migrator } = await import("kysely");
  const { db, sqlite } = openDatabase(path.join(tempDir(), file));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  await migrator.migrateTo(migration);
  sqlite.prepare("insert into commune (code, name, type, search_name) values ('1', 'Xã Thử', 'xa', 'xa thu')").run();
  sqlite
    .prepare(
      `insert into person (id, username, full_name, search_name, birth_year, commune_code, kind, password_hash, consent_at, consent_method, created_at)
       values ('p1', 'cu', 'Người Cũ', 'nguoi cu', 1970, '1', 'citizen', 'x', 'now', 'self', 'now')`,
    )
    .run();
  return { db, sqlite, migrator };
}
