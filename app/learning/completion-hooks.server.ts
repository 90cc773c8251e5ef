import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";

/**
 * Called inside the transaction that completes a course, so anything derived from completions (the
 * indicator aggregates) changes atomically with it.
 */
export async function recordCompletion(_trx: Transaction<DB>, _personId: string, _courseSlug: string, _at: string): Promise<void> {
  // Filled in by the reports module (indicator aggregates).
}
