/**
 * The migration history and prisma/schema.prisma must describe the same database:
 * one database built by applying every migration, another straight from the schema
 * (Prisma's own diff from empty), and their catalogs must match. Catches a schema
 * edit without its migration, or a migration edited by hand out of step.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../app/utils/db.server";
import { applyMigrations } from "../../prisma/migrate";

async function catalog(database: Database) {
  const columns = await database.sql.query(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
    ORDER BY table_name, column_name`);
  const indexes = await database.sql.query(`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
    ORDER BY tablename, indexname`);
  const enums = await database.sql.query(`
    SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`);
  // Constraint triggers (contype 't', the ledger-version triggers) live only in
  // migrations: Prisma's schema language has no word for them.
  const constraints = await database.sql.query(`
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 't' AND conrelid::regclass::text <> '"_prisma_migrations"' AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`);
  return { columns, indexes, enums, constraints };
}

describe("schema and migrations", () => {
  it("describe the same database", async () => {
    const fromSchema = execFileSync(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--config", "prisma/prisma.config.ts", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      {
        encoding: "utf8",
        env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true" },
      },
    );
    const migrated = await openDatabase("pglite:memory");
    const direct = await openDatabase("pglite:memory");
    try {
      await applyMigrations(migrated);
      // Free-standing sequences (account and payment numbers) live only in migrations, as
      // Prisma's schema language has no word for them; the schema's column defaults name them.
      await direct.sql.exec(`CREATE SEQUENCE "account_number_seq"; CREATE SEQUENCE "payment_number_seq";`);
      await direct.sql.exec(fromSchema);
      const [a, b] = [await catalog(migrated), await catalog(direct)];
      const key = (r: Record<string, unknown>) => JSON.stringify(r);
      const onlyIn = (x: Record<string, unknown>[], y: Record<string, unknown>[]) => x.map(key).filter((k) => !y.map(key).includes(k));
      expect({ migrationsOnly: onlyIn(a.constraints, b.constraints), schemaOnly: onlyIn(b.constraints, a.constraints) }).toEqual({
        migrationsOnly: [],
        schemaOnly: [],
      });
      expect(a.enums).toEqual(b.enums);
      expect(a.columns).toEqual(b.columns);
      expect(a.indexes).toEqual(b.indexes);
      expect(a.constraints).toEqual(b.constraints);
    } finally {
      await migrated.close();
      await direct.close();
    }
  }, 240_000); // two databases built from scratch: slow on a busy 2-core machine
});
