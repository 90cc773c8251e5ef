import { sql, type Kysely } from "kysely";

// Two indexes that cost every write and serve no read of their own (decision 036).
//
// - quiz_attempt_person_course (person, course, time): each quiz answer inserts into it, and since people's
//   ids are random, each answer in a group commit dirties its own page of it — 26 of the 64 pages an average
//   commit wrote in `bench:quiz`. The unique index (person, idempotency key) starts with the person too, so
//   every read by person and course still finds the person's few attempts by index.
// - person_personnel: the same column as person_personnel_code (migration 0011 added that one without
//   noticing this one), so every person write updated two identical indexes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists quiz_attempt_person_course`.execute(db);
  await sql`drop index if exists person_personnel`.execute(db);
}
