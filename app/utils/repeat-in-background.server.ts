/**
 * A task a server process repeats on its own (an upload sweep, database upkeep): first
 * after `firstAfterMs` (0: at once), then every `everyMs`. A pass never starts while the
 * previous one runs, a failure goes to `onError` and the next pass comes as planned, the
 * timers keep no process alive, and `stop()` waits for a pass under way so that what it
 * uses (the database) is not closed under it.
 */
export function repeatInBackground(
  pass: () => Promise<unknown>,
  timing: { firstAfterMs: number; everyMs: number },
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= pass()
      .then(() => undefined, onError)
      .finally(() => (running = null));
  };
  const first = timing.firstAfterMs > 0 ? setTimeout(run, timing.firstAfterMs) : (run(), undefined);
  const every = setInterval(run, timing.everyMs);
  first?.unref();
  every.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
