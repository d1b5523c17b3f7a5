/**
 * Background jobs of a running portal: every job in app/domain/jobs/registry.server.ts
 * on an interval (JOBS_INTERVAL_SECONDS, default 300; 0 turns them off in this process).
 */
import { JOBS } from "../app/domain/jobs/registry.server";
import { startJobRunner, type JobRunner } from "../app/domain/jobs/runner.server";
import type { Env } from "../app/utils/config.server";
import { log } from "../app/utils/logger.server";

export function startJobs(env: Pick<Env, "JOBS_INTERVAL_SECONDS">): JobRunner | null {
  const seconds = env.JOBS_INTERVAL_SECONDS;
  if (seconds <= 0) return null;
  return startJobRunner(JOBS, {
    intervalMs: seconds * 1000,
    onRun: (runs) => {
      for (const run of runs) if (!run.ok) log().error({ job: run.name, error: run.error }, "background job failed");
    },
  });
}
