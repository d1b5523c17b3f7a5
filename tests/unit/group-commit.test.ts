/**
 * Group commit (app/utils/group-commit.server.ts): what arrives while a write is in flight
 * goes out together in the next write, one bad item does not sink its batch, and under
 * load a short linger gathers the next wave instead of writing a batch of one.
 */
import { describe, expect, it } from "vitest";
import { groupCommit, type Pending } from "../../app/utils/group-commit.server";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store that takes `ms` per write and records every batch it was handed. */
function slowStore(ms: number, refuse: (n: number) => boolean = () => false) {
  const batches: number[][] = [];
  const stored: number[] = [];
  const write = async (batch: Pending<number, string>[]) => {
    batches.push(batch.map((item) => item.input));
    await tick(ms);
    if (batch.some((item) => refuse(item.input))) throw new Error("refused");
    for (const item of batch) {
      stored.push(item.input);
      item.resolve(`stored ${item.input}`);
    }
  };
  return { write, batches, stored };
}

describe("groupCommit", () => {
  it("writes at once when idle, then everything that arrived meanwhile in one batch, in order", async () => {
    const store = slowStore(20);
    const commit = groupCommit(store.write, { maxBatch: 100 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(results).toEqual(["stored 1", "stored 2", "stored 3", "stored 4", "stored 5"]);
    expect(store.batches).toEqual([[1], [2, 3, 4, 5]]);
    expect(store.stored).toEqual([1, 2, 3, 4, 5]);
  });

  it("never puts more than maxBatch items in one write", async () => {
    const store = slowStore(5);
    const commit = groupCommit(store.write, { maxBatch: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => commit.submit(i)));
    expect(Math.max(...store.batches.map((b) => b.length))).toBe(3);
    expect(store.stored.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("a batch that fails is written again item by item: only the bad item is refused", async () => {
    const store = slowStore(5, (n) => n === 3);
    const commit = groupCommit(store.write, { maxBatch: 100 });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => commit.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(store.stored.sort()).toEqual([1, 2, 4]);
  });

  it("under load, lingers to gather the wave still arriving instead of writing a batch of one", async () => {
    const store = slowStore(10);
    // Linger far longer than the wave's 3 ms gaps: a busy CI host stalls a timer by more than 15 ms.
    const commit = groupCommit(store.write, { maxBatch: 100, lingerMs: 100 });
    // Load: a first batch of several.
    const first = [commit.submit(1), commit.submit(2), commit.submit(3)];
    await Promise.all(first);
    // The next wave arrives a few milliseconds apart.
    const wave: Promise<string>[] = [];
    for (const n of [4, 5, 6]) {
      wave.push(commit.submit(n));
      await tick(3);
    }
    await Promise.all(wave);
    expect(store.batches.slice(-1)).toEqual([[4, 5, 6]]);
  });

  it("drain resolves once everything handed in is written", async () => {
    const store = slowStore(10);
    const commit = groupCommit(store.write, { maxBatch: 100, maxInFlight: 2 });
    for (const n of [1, 2, 3, 4]) void commit.submit(n);
    await commit.drain(5);
    expect(store.stored.sort()).toEqual([1, 2, 3, 4]);
  });
});
