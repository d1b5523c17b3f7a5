/** Every background job the portal runs, in order. */
import { creditHoldJob } from "../collections/credit-hold.server";
import { dunningJob } from "../collections/dunning.server";
import { markPromisesKeptOrBroken } from "../collections/promises.server";
import { invoiceDeliveryJob } from "../invoice-delivery/deliver.server";
import { heldOrdersJob } from "../payments/after-payment.server";
import type { Job } from "./runner.server";

const promisesJob: Job = {
  name: "promises",
  run: async ({ now }) => {
    const { kept, broken } = await markPromisesKeptOrBroken({ now: now() });
    return { kept: kept.length, broken: broken.length };
  },
};

export const JOBS: readonly Job[] = [
  // Promises first, so a promise that broke today no longer shields its invoices from dunning.
  promisesJob,
  dunningJob,
  creditHoldJob,
  // After the holds: an account the credit-hold rule just held keeps its orders held.
  heldOrdersJob,
  invoiceDeliveryJob,
];
