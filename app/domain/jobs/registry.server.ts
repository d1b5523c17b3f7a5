/** Every background job the portal runs, in order. */
import { creditHoldJob } from "../collections/credit-hold.server";
import { dunningJob } from "../collections/dunning.server";
import type { Job } from "./runner.server";

export const JOBS: readonly Job[] = [
  // Promises first, so a promise that broke today no longer shields its invoices from dunning:
  // { name: "promises", run: ({ now }) => markPromisesKeptOrBroken({ now: now() }) },  ← app/domain/collections/promises.server.ts
  dunningJob,
  creditHoldJob,
];
