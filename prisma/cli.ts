/**
 * Database commands, offline, for the embedded default and PostgreSQL alike:
 *   tsx prisma/cli.ts migrate   apply pending migrations
 *   tsx prisma/cli.ts seed      load the demo data (idempotent)
 *   tsx prisma/cli.ts setup     both
 * The database is DATABASE_URL (default pglite:.data/pglite).
 */
import { openDatabase } from "../app/utils/db.server";
import { EnvError, parseDatabaseEnv } from "../app/utils/config.server";
import { DEMO_USERS_TEXT } from "./demo-users";
import { applyMigrations } from "./migrate";
import { seedDemoData } from "./seed";

async function main() {
  const command = process.argv[2];
  if (!["migrate", "seed", "setup"].includes(command ?? "")) {
    console.error("Usage: tsx prisma/cli.ts <migrate|seed|setup>");
    process.exit(2);
  }
  const env = parseDatabaseEnv(process.env);
  const database = await openDatabase(env.DATABASE_URL);
  try {
    if (command === "migrate" || command === "setup") {
      const result = await applyMigrations(database);
      console.log(result.applied.length ? `Applied migrations: ${result.applied.join(", ")}` : `Database is up to date (${result.alreadyApplied} migrations).`);
    }
    if (command === "seed" || command === "setup") {
      const summary = await seedDemoData(database.prisma);
      console.log(`Seeded: ${summary.accounts} accounts, ${summary.users} users, ${summary.invoices} invoices (${summary.createdInvoices} new).`);
      console.log(DEMO_USERS_TEXT);
    }
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : `Database command failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
