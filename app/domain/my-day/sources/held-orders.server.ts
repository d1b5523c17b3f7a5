/** Held orders on the rep's accounts, oldest hold first: how long each has waited and what releases it. */
import { db } from "../../../utils/db.server";
import { holdStateOf } from "../../credit/holds.server";
import { releaseConditionFor, type HoldAccountState } from "../../credit/hold-release";
import { toMinor } from "../../money/money";
import { defineSource, hoursBetween } from "../items";

type Row = {
  id: string;
  number: string;
  accountId: string;
  status: string;
  amountMinor: bigint;
  currency: string;
  heldAt: Date;
  holdReason: Parameters<typeof releaseConditionFor>[0];
  state: HoldAccountState | null;
};

export const heldOrders = defineSource<Row>({
  kind: "held_order",
  async load(ctx) {
    const orders = await db().order.findMany({
      where: { status: "ON_HOLD", accountId: { in: [...ctx.accounts.keys()] } },
      orderBy: { heldAt: "asc" },
      take: 200,
    });
    const states = new Map<string, HoldAccountState | null>();
    for (const accountId of new Set(orders.map((o) => o.accountId))) states.set(accountId, await holdStateOf(accountId));
    return orders.map((o) => ({
      id: o.id,
      number: o.number,
      accountId: o.accountId,
      status: o.status,
      amountMinor: o.amountMinor,
      currency: o.currency,
      heldAt: o.heldAt ?? o.placedAt,
      holdReason: o.holdReason,
      state: states.get(o.accountId) ?? null,
    }));
  },
  done: (row) => row.status !== "ON_HOLD",
  toItem: (row, ctx) => ({
    kind: "held_order",
    key: `held_order:${row.id}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: {
      key: "myday:items.held_order",
      values: { order: row.number, amount: { money: { amountMinor: toMinor(row.amountMinor), currency: row.currency } } },
    },
    detail: row.holdReason ? { key: `myday:holdReasons.${row.holdReason}`, values: {} } : null,
    dueAt: row.heldAt.toISOString(),
    href: `/rep/credit/held-orders`,
    waitedHours: hoursBetween(row.heldAt, ctx.now),
    clears: row.state ? releaseConditionFor(row.holdReason, row.state) : { kind: "rep_lifts_hold", pastDue: null },
    reassign: { target: "account", id: row.accountId },
  }),
});
