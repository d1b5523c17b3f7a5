/** Escalated applications and limit changes waiting for the rep's own level to decide. */
import { db } from "../../../utils/db.server";
import { loadCreditPolicy } from "../../credit/scoring.server";
import { toMinor } from "../../money/money";
import { defineSource, hoursBetween } from "../items";

type Row = {
  id: string;
  number: string;
  status: string;
  company: string;
  accountId: string | null;
  escalatedToLevel: string | null;
  since: Date;
  requestedMinor: bigint | null;
  currency: string | null;
  slaHours: number;
};

export const escalations = defineSource<Row>({
  kind: "escalation",
  async load(ctx) {
    const level = ctx.rep.staffLevel;
    if (!level) return [];
    const { reviewSlaHours } = await loadCreditPolicy();
    // Escalated to nobody (no level had the authority) waits for the top level, the manager.
    const rows = await db().creditApplication.findMany({
      where: { status: "ESCALATED", OR: [{ escalatedToLevel: level }, ...(level === "MANAGER" ? [{ escalatedToLevel: null }] : [])] },
      orderBy: { submittedAt: "asc" },
      take: 200,
    });
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      company: r.companyName ?? r.applicantName,
      accountId: r.accountId,
      escalatedToLevel: r.escalatedToLevel,
      since: r.submittedAt ?? r.createdAt,
      requestedMinor: r.requestedLimitMinor,
      currency: r.currency,
      slaHours: reviewSlaHours,
    }));
  },
  done: (row, ctx) => row.status !== "ESCALATED" || (row.escalatedToLevel ?? "MANAGER") !== ctx.rep.staffLevel,
  toItem: (row, ctx) => ({
    kind: "escalation",
    key: `escalation:${row.id}`,
    account: row.accountId ? (ctx.accounts.get(row.accountId) ?? null) : null,
    title: {
      key: "myday:items.escalation",
      values: { number: row.number, company: row.company, amount: { money: { amountMinor: toMinor(row.requestedMinor), currency: row.currency ?? "USD" } } },
    },
    detail: { key: "myday:escalatedTo", values: { level: { term: `rep:levels.${row.escalatedToLevel ?? "MANAGER"}` } } },
    dueAt: new Date(row.since.getTime() + row.slaHours * 3_600_000).toISOString(),
    href: `/rep/credit/applications/${row.id}`,
    waitedHours: hoursBetween(row.since, ctx.now),
    clears: null,
    reassign: null,
  }),
});
