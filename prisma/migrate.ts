/**
 * Applies prisma/migrations/<name>/migration.sql in order, once each, to the
 * database named by DATABASE_URL — PGlite or a PostgreSQL server.
 *
 * Prisma's own `migrate deploy` needs a native engine it downloads at first use, and
 * its WASM engine cannot apply migrations to a PostgreSQL server. This runner applies
 * the very same SQL files and records them in Prisma's `_prisma_migrations` table
 * (same columns, same SHA-256 checksum), so a machine with internet can switch to
 * `prisma migrate deploy` at any time and see the history as its own.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, type Database } from "../app/utils/db.server";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export type MigrationResult = { applied: string[]; alreadyApplied: number };

type Migration = { name: string; script: string; checksum: string };

/**
 * The migrations in `dir` not yet applied to `database`, in order, each read once; throws
 * when an applied one was edited since (its checksum differs). `_prisma_migrations` must exist.
 */
async function pendingMigrations(database: Database, dir: string): Promise<{ pending: Migration[]; alreadyApplied: number }> {
  const done = await database.sql.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const doneByName = new Map(done.map((row) => [row.migration_name, row.checksum]));
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const pending: Migration[] = [];
  for (const name of names) {
    const script = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = crypto.createHash("sha256").update(script).digest("hex");
    const previous = doneByName.get(name);
    if (previous === undefined) pending.push({ name, script, checksum });
    else if (previous !== checksum) throw new Error(`Migration ${name} was edited after it was applied (checksum differs); add a new migration instead.`);
  }
  return { pending, alreadyApplied: doneByName.size };
}

/**
 * Stops a server or job runner from starting on a database whose schema is behind its
 * code (never migrated, or a new release started before its migrations ran): every
 * request would otherwise fail on a missing table or column.
 */
export async function assertMigrated(database: Database, dir = MIGRATIONS_DIR): Promise<void> {
  const [{ present }] = await database.sql.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!present) {
    throw new Error("The database has no tables yet. Run `npm run db:setup` (schema and demo data) or `npm run db:migrate` (schema only), then start again.");
  }
  const { pending } = await pendingMigrations(database, dir);
  if (pending.length) {
    throw new Error(
      `The database is ${pending.length} migration(s) behind this release (next: ${pending[0].name}). Run \`npm run db:migrate\`, then start again.`,
    );
  }
}

/** Opens the database at `url` for a server or job runner: closed again, and the reason thrown, when it is not migrated. */
export async function openMigratedDatabase(url: string): Promise<Database> {
  const database = await openDatabase(url);
  try {
    await assertMigrated(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

export async function applyMigrations(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const { sql } = database;
  const lock = database.kind === "postgres";
  // Two server processes starting at once must not both apply a migration.
  if (lock) await sql.query("SELECT pg_advisory_lock(7218461)");
  try {
    await sql.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { pending, alreadyApplied } = await pendingMigrations(database, dir);
    const applied: string[] = [];
    for (const { name, script, checksum } of pending) {
      await sql.exec(
        `BEGIN;\n${script}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ('${crypto.randomUUID()}', '${checksum}', '${name.replace(/'/g, "''")}', now(), now(), 1);\nCOMMIT;`,
      );
      applied.push(name);
    }
    return { applied, alreadyApplied };
  } catch (error) {
    await sql.exec("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    if (lock) await sql.query("SELECT pg_advisory_unlock(7218461)");
  }
}
