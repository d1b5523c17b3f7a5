/**
 * The embedded database has no autovacuum; the portal's upkeep does its work. Measured on
 * PGlite itself whichever database the suite targets: dead rows are reclaimed and the
 * statistics taken.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { startEmbeddedUpkeep } from "../../app/utils/embedded-upkeep.server";

let database: Database;

beforeAll(async () => {
  database = await openDatabase("pglite:memory");
  await database.sql.exec(`CREATE TABLE ledger_rows (id int PRIMARY KEY, balance bigint);
    INSERT INTO ledger_rows SELECT g, g FROM generate_series(1, 2000) g;
    UPDATE ledger_rows SET balance = balance + 1;`);
});

afterAll(async () => {
  await database.close();
});

type TableStats = { dead: number; vacuumed: Date | null; analyzed: Date | null };

async function stats(): Promise<TableStats> {
  const [row] = await database.sql.query<TableStats>(
    `SELECT n_dead_tup::int AS dead, last_vacuum AS vacuumed, last_analyze AS analyzed FROM pg_stat_user_tables WHERE relname = 'ledger_rows'`,
  );
  return row;
}

describe("embedded database upkeep", () => {
  it("vacuums and analyzes PGlite on its timer, and stops cleanly", async () => {
    const before = await stats();
    expect(before.vacuumed).toBeNull();
    expect(before.analyzed).toBeNull();
    const errors: unknown[] = [];
    const upkeep = startEmbeddedUpkeep(database, (error) => errors.push(error), { firstAfterMs: 10, everyMs: 60_000 });
    const deadline = Date.now() + 10_000;
    let after = await stats();
    while (after.vacuumed === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await stats();
    }
    await upkeep.stop();
    expect(errors).toEqual([]);
    expect(after.vacuumed).not.toBeNull();
    expect(after.analyzed).not.toBeNull();
    expect(after.dead).toBe(0);
  });
});
