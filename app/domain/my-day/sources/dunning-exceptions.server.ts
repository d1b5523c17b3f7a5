/**
 * Dunning that did not reach anyone on the rep's accounts: a due step with no contact to
 * write to, or a notice whose email bounced (the outbox could not deliver it). One item per
 * account, from its latest such notice; it ends when the account has a working contact
 * again (for a missing one) or a rep has logged a collection contact since.
 */
import { db } from "../../../utils/db.server";
import { toMinor } from "../../money/money";
import { defineSource } from "../items";

type Row = {
  id: string;
  accountId: string;
  problem: "no_contact" | "bounced";
  createdAt: Date;
  amountMinor: bigint;
  currency: string;
  hasContactNow: boolean;
  lastContactAt: Date | null;
};

export const dunningExceptions = defineSource<Row>({
  kind: "dunning_exception",
  async load(ctx) {
    const accountIds = [...ctx.accounts.keys()];
    const notices = await db().dunningNotice.findMany({
      where: { accountId: { in: accountIds }, OR: [{ outcome: "NO_CONTACT" }, { emailId: { not: null } }] },
      orderBy: { createdAt: "desc" },
      take: 500,
    });
    const failed = new Set(
      (
        await db().outboxEmail.findMany({
          where: { id: { in: notices.map((n) => n.emailId).filter((id): id is string => Boolean(id)) }, status: "FAILED" },
          select: { id: true },
        })
      ).map((e) => e.id),
    );
    const latest = new Map<string, (typeof notices)[number] & { problem: Row["problem"] }>();
    for (const n of notices) {
      const problem = n.outcome === "NO_CONTACT" ? "no_contact" : n.emailId && failed.has(n.emailId) ? "bounced" : null;
      if (problem && !latest.has(n.accountId)) latest.set(n.accountId, { ...n, problem });
    }
    const ids = [...latest.keys()];
    const [people, contacts] = await Promise.all([
      db().user.groupBy({ by: ["accountId"], where: { accountId: { in: ids }, role: "CUSTOMER", active: true }, _count: { _all: true } }),
      db().collectionContact.groupBy({ by: ["accountId"], where: { accountId: { in: ids } }, _max: { createdAt: true } }),
    ]);
    return [...latest.values()].map((n) => ({
      id: n.id,
      accountId: n.accountId,
      problem: n.problem,
      createdAt: n.createdAt,
      amountMinor: n.amountMinor,
      currency: n.currency,
      hasContactNow: people.some((p) => p.accountId === n.accountId),
      lastContactAt: contacts.find((c) => c.accountId === n.accountId)?._max.createdAt ?? null,
    }));
  },
  done: (row) => (row.problem === "no_contact" && row.hasContactNow) || Boolean(row.lastContactAt && row.lastContactAt > row.createdAt),
  toItem: (row, ctx) => ({
    kind: "dunning_exception",
    key: `dunning_exception:${row.id}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: { key: `myday:items.dunning.${row.problem}`, values: { amount: { money: { amountMinor: toMinor(row.amountMinor), currency: row.currency } } } },
    detail: null,
    dueAt: row.createdAt.toISOString(),
    href: `/rep/accounts/${row.accountId}?tab=contacts`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.accountId },
  }),
});
