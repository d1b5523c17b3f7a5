/**
 * Invoices and credit memos that did not reach the customer by the account's designated
 * path (failed for good, or failing and retrying). The item ends when the ledger row is
 * sent or accepted again, by a retry or a rep's re-send.
 */
import { deliveryFailuresFor, type DeliveryFailure } from "../../invoice-delivery/delivery-ledger.server";
import { defineSource } from "../items";

export const deliveryFailures = defineSource<DeliveryFailure>({
  kind: "delivery_failure",
  load: (ctx) => deliveryFailuresFor(ctx.rep.id),
  // The ledger query returns only FAILED and RETRYING rows: each is still owed.
  done: () => false,
  toItem: (row) => ({
    kind: "delivery_failure",
    key: `delivery_failure:${row.id}`,
    account: row.account,
    title: {
      key: `myday:items.delivery_failure.${row.documentKind}`,
      values: {
        document: row.documentNumber,
        path: { term: `delivery:paths.${row.path}` },
        status: { term: `delivery:statuses.${row.status}` },
      },
    },
    detail: row.lastErrorCode ? { key: `delivery:failures.${row.lastErrorCode}`, values: {} } : null,
    dueAt: row.updatedAt,
    href: `/rep/accounts/${row.account.id}#delivery`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.account.id },
  }),
});
