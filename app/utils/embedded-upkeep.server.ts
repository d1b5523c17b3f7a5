import type { Database } from "./db.server";
import { repeatInBackground } from "./repeat-in-background.server";

/**
 * PGlite, the embedded default, runs PostgreSQL without its autovacuum. Left alone, the
 * rows every payment and every ledger-version bump leave dead are never reclaimed, the
 * planner's statistics are those of the day the tables were empty, and the visibility
 * map that lets an index-only scan skip the table is never set (a deep page of a long
 * invoice list then reads thousands of rows from the table instead of from the index).
 * So the portal does autovacuum's work itself: `VACUUM (ANALYZE)` a minute after start
 * and then every hour. On PostgreSQL, autovacuum does it; nothing runs here.
 */
const EVERY_MS = 60 * 60 * 1000;
const FIRST_AFTER_MS = 60 * 1000;

export function startEmbeddedUpkeep(
  database: Database,
  onError: (error: unknown) => void,
  timing: { firstAfterMs: number; everyMs: number } = { firstAfterMs: FIRST_AFTER_MS, everyMs: EVERY_MS },
): { stop(): Promise<void> } {
  if (database.kind !== "pglite") return { stop: async () => undefined };
  return repeatInBackground(() => database.sql.exec("VACUUM (ANALYZE)"), timing, onError);
}
