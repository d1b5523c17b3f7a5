/**
 * Runs every background job once, with the clock set by `--now` (default: the real time):
 *   npm run jobs:run-once -- --now 2026-12-20T09:00:00Z
 * The database is DATABASE_URL. Prints what each job did as JSON.
 */
import { JOBS } from "../app/domain/jobs/registry.server";
import { runJobsOnce } from "../app/domain/jobs/runner.server";
import { setDatabase } from "../app/utils/db.server";
import { EnvError, parseEnv, setEnv } from "../app/utils/config.server";
import { openMigratedDatabase } from "../prisma/migrate";

async function main() {
  const at = process.argv.indexOf("--now");
  const now = at >= 0 ? new Date(process.argv[at + 1] ?? "") : new Date();
  if (Number.isNaN(now.getTime())) {
    console.error("Usage: npm run jobs:run-once -- [--now 2026-12-20T09:00:00Z]");
    process.exit(2);
  }
  const env = setEnv(parseEnv(process.env));
  const database = await openMigratedDatabase(env.DATABASE_URL);
  setDatabase(database);
  try {
    const runs = await runJobsOnce(JOBS, () => now);
    console.log(JSON.stringify({ now: now.toISOString(), runs }));
    if (runs.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    setDatabase(undefined);
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : `Jobs failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
