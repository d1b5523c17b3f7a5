/**
 * Group commit: work handed in while a write is in flight waits and goes out with the
 * next write, together. Under load one round trip (and one transaction) carries many
 * items instead of one each; when idle an item is written at once, with no added delay.
 * Chat messages and Stripe's paid checkouts are stored this way.
 */
export type Pending<In, Out> = { input: In; resolve: (result: Out) => void; reject: (error: unknown) => void };

export type GroupCommit<In, Out> = {
  submit(input: In): Promise<Out>;
  /**
   * Resolves once everything submitted so far is written (or refused), and nothing more
   * arrived in a short while after: callers that were between their checks and `submit`
   * when the server began to stop hand theirs over too. Called on shutdown.
   */
  drain(settleMs?: number): Promise<void>;
};

/**
 * `lingerMs` lets a batch gather more under load (see flush). `maxInFlight` batches may be written at once (their items then share no order);
 * with the default of one, items are written in the order they were handed in.
 * `write` settles every item of its batch. When it throws instead, each item is written
 * again on its own, so one bad item (a row that vanished) does not sink the others.
 */
export function groupCommit<In, Out>(
  write: (batch: Pending<In, Out>[]) => Promise<void>,
  { maxBatch, maxInFlight = 1, lingerMs = 0 }: { maxBatch: number; maxInFlight?: number; lingerMs?: number },
): GroupCommit<In, Out> {
  const queue: Pending<In, Out>[] = [];
  let flushing = 0;
  let lastBatchSize = 0;

  async function flush() {
    flushing++;
    try {
      while (queue.length) {
        // Under load (the last batch carried several) the next wave of work is still arriving a
        // request at a time: waiting a moment gathers it into one batch instead of a batch of one
        // that the rest then queue behind. Idle, nothing waits.
        if (lingerMs && lastBatchSize > 1 && queue.length < maxBatch) await new Promise((resolve) => setTimeout(resolve, lingerMs));
        const batch = queue.splice(0, maxBatch);
        // Another flush may have taken everything while this one waited.
        if (!batch.length) break;
        lastBatchSize = batch.length;
        try {
          await write(batch);
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else for (const item of batch) await write([item]).catch(item.reject);
        }
      }
    } finally {
      flushing--;
    }
  }

  return {
    submit: (input) =>
      new Promise<Out>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (flushing < maxInFlight) void flush();
      }),
    async drain(settleMs = 200) {
      for (;;) {
        while (flushing || queue.length) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        if (!flushing && !queue.length) return;
      }
    },
  };
}
