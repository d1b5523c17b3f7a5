/** Periodic credit reviews of the rep's accounts whose date has come; deciding one moves the date on, which ends the item. */
import { reviewsDue, type ReviewDue } from "../../credit/periodic-review.server";
import { dayStart, defineSource } from "../items";

export const creditReviews = defineSource<ReviewDue>({
  kind: "credit_review",
  load: (ctx) => reviewsDue([...ctx.accounts.keys()]),
  done: (row, ctx) => row.dueOn.getTime() > dayStart(ctx.now).getTime(),
  toItem: (row, ctx) => ({
    kind: "credit_review",
    key: `credit_review:${row.accountId}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: { key: "myday:items.credit_review", values: { date: { date: row.dueOn.toISOString() }, risk: { term: `watch:riskClasses.${row.riskClass}` } } },
    detail: null,
    dueAt: row.dueOn.toISOString(),
    href: `/rep/reviews/${row.accountId}`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.accountId },
  }),
});
