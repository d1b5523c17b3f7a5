/** Open disputes where the customer spoke last (or nobody has answered yet): the rep owes a reply. */
import { db } from "../../../utils/db.server";
import { OPEN_DISPUTE_STATUSES } from "../../disputes/dispute-schemas";
import { toMinor } from "../../money/money";
import { defineSource, hoursBetween } from "../items";

type Row = {
  id: string;
  number: string;
  status: string;
  accountId: string;
  assignedToId: string | null;
  amountMinor: bigint;
  currency: string;
  waitingSince: Date;
  lastFromStaff: boolean;
};

export const disputeReplies = defineSource<Row>({
  kind: "dispute_reply",
  async load(ctx) {
    const rows = await db().dispute.findMany({
      where: {
        status: { in: [...OPEN_DISPUTE_STATUSES] },
        OR: [{ assignedToId: ctx.rep.id }, { assignedToId: null, accountId: { in: [...ctx.accounts.keys()] } }],
      },
      include: { messages: { where: { internal: false }, orderBy: { createdAt: "desc" }, take: 1 } },
      take: 200,
    });
    const authorIds = rows.map((r) => r.messages[0]?.authorId).filter((id): id is string => Boolean(id));
    const staff = new Set(
      (await db().user.findMany({ where: { id: { in: authorIds }, role: { in: ["REP", "MANAGER"] } }, select: { id: true } })).map((u) => u.id),
    );
    return rows.map((r) => {
      const last = r.messages[0];
      return {
        id: r.id,
        number: r.number,
        status: r.status,
        accountId: r.accountId,
        assignedToId: r.assignedToId,
        amountMinor: r.amountMinor,
        currency: r.currency,
        waitingSince: last?.createdAt ?? r.createdAt,
        lastFromStaff: Boolean(last?.authorId && staff.has(last.authorId)),
      };
    });
  },
  done: (row) => !(OPEN_DISPUTE_STATUSES as readonly string[]).includes(row.status) || row.lastFromStaff,
  toItem: (row, ctx) => ({
    kind: "dispute_reply",
    key: `dispute_reply:${row.id}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: {
      key: "myday:items.dispute_reply",
      values: { number: row.number, amount: { money: { amountMinor: toMinor(row.amountMinor), currency: row.currency } } },
    },
    detail: row.assignedToId ? null : { key: "myday:unassigned", values: {} },
    dueAt: row.waitingSince.toISOString(),
    href: `/rep/disputes/${row.id}`,
    waitedHours: hoursBetween(row.waitingSince, ctx.now),
    clears: null,
    reassign: { target: "dispute", id: row.id },
  }),
});
