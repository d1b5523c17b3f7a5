/** Collection follow-ups falling due: a contact's follow-up date has come and nobody has logged a contact on the account since. */
import { db } from "../../../utils/db.server";
import { dayStart, defineSource } from "../items";

type Row = { id: string; accountId: string; followUpOn: Date; createdAt: Date; channel: string; lastContactAt: Date | null };

export const followUps = defineSource<Row>({
  kind: "follow_up",
  async load(ctx) {
    const accountIds = [...ctx.accounts.keys()];
    const rows = await db().collectionContact.findMany({
      where: { accountId: { in: accountIds }, followUpOn: { not: null, lte: dayStart(ctx.now) } },
      orderBy: { followUpOn: "asc" },
      take: 200,
    });
    const contacts = await db().collectionContact.groupBy({ by: ["accountId"], where: { accountId: { in: accountIds } }, _max: { createdAt: true } });
    return rows.map((r) => ({
      id: r.id,
      accountId: r.accountId,
      followUpOn: r.followUpOn!,
      createdAt: r.createdAt,
      channel: r.channel,
      lastContactAt: contacts.find((c) => c.accountId === r.accountId)?._max.createdAt ?? null,
    }));
  },
  done: (row) => Boolean(row.lastContactAt && row.lastContactAt > row.createdAt),
  toItem: (row, ctx) => ({
    kind: "follow_up",
    key: `follow_up:${row.id}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: { key: "myday:items.follow_up", values: { date: { date: row.followUpOn.toISOString() }, channel: { term: `collections:channels.${row.channel}` } } },
    detail: null,
    dueAt: row.followUpOn.toISOString(),
    href: `/rep/accounts/${row.accountId}?tab=contacts`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.accountId },
  }),
});
