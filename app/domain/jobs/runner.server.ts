/**
 * The background job runner: every job runs on an interval with an injectable clock.
 *
 * There is no lock and no jobs table to claim: each job's effect carries a unique key
 * in the database (invoice + dunning step, an account's hold flipped by a conditional
 * update), so two processes running the same job at once, or a rerun after a crash
 * mid-way, find the work already done and skip it. That holds on PGlite and PostgreSQL
 * alike.
 */
export type Clock = () => Date;

export type JobContext = { now: Clock };

/** What a job did, counted by kind ("sent", "skipped_promise" …), for logs and tests. */
export type JobResult = Record<string, number>;

export type Job = { name: string; run(context: JobContext): Promise<JobResult> };

export type JobRun = { name: string; ok: true; result: JobResult } | { name: string; ok: false; error: string };

/** Runs every job once, one after another; one job failing does not stop the others. */
export async function runJobsOnce(jobs: readonly Job[], now: Clock): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const job of jobs) {
    try {
      runs.push({ name: job.name, ok: true, result: await job.run({ now }) });
    } catch (error) {
      runs.push({ name: job.name, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return runs;
}

export type JobRunner = { stop(): Promise<void> };

/**
 * Runs the jobs every `intervalMs` (first run after one interval). A run never overlaps
 * the previous one in this process; other processes may overlap, which the unique keys make safe.
 */
export function startJobRunner(jobs: readonly Job[], options: { intervalMs: number; now?: Clock; onRun?: (runs: JobRun[]) => void }): JobRunner {
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = runJobsOnce(jobs, now)
      .then((runs) => options.onRun?.(runs))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
