/**
 * Promises to pay on the rep's accounts that are due today or earlier and still open, and
 * broken ones (within `collections.brokenPromiseLookbackDays`) nobody has called about since:
 * a collection contact logged after the promise broke is the follow-up that ends it.
 */
import { db } from "../../../utils/db.server";
import { collectionsPolicy } from "../../collections/policy.server";
import { toMinor } from "../../money/money";
import { dayStart, defineSource } from "../items";

type Row = {
  id: string;
  accountId: string;
  status: string;
  amountMinor: bigint;
  currency: string;
  promisedFor: Date;
  resolvedAt: Date | null;
  lastContactAt: Date | null;
};

export const promises = defineSource<Row>({
  kind: "promise",
  async load(ctx) {
    const policy = await collectionsPolicy();
    const accountIds = [...ctx.accounts.keys()];
    const since = new Date(ctx.now.getTime() - policy.brokenPromiseLookbackDays * 86_400_000);
    const rows = await db().promiseToPay.findMany({
      where: {
        accountId: { in: accountIds },
        OR: [
          { status: "OPEN", promisedFor: { lte: dayStart(ctx.now) } },
          { status: "BROKEN", resolvedAt: { gte: since } },
        ],
      },
      orderBy: { promisedFor: "asc" },
      take: 200,
    });
    const contacts = await db().collectionContact.groupBy({
      by: ["accountId"],
      where: { accountId: { in: [...new Set(rows.map((r) => r.accountId))] } },
      _max: { createdAt: true },
    });
    const last = new Map(contacts.map((c) => [c.accountId, c._max.createdAt]));
    return rows.map((r) => ({ ...r, lastContactAt: last.get(r.accountId) ?? null }));
  },
  done: (row) => {
    if (row.status === "OPEN") return false;
    if (row.status !== "BROKEN") return true;
    return Boolean(row.lastContactAt && row.resolvedAt && row.lastContactAt > row.resolvedAt);
  },
  toItem: (row, ctx) => ({
    kind: "promise",
    key: `promise:${row.id}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: {
      key: row.status === "BROKEN" ? "myday:items.promise_broken" : "myday:items.promise_due",
      values: { amount: { money: { amountMinor: toMinor(row.amountMinor), currency: row.currency } }, date: { date: row.promisedFor.toISOString() } },
    },
    detail: null,
    dueAt: row.promisedFor.toISOString(),
    href: `/rep/accounts/${row.accountId}?tab=promises`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.accountId },
  }),
});
