/**
 * Credit applications the rep reviews, due by the review SLA (`credit.reviewSlaHours`):
 * those assigned to them, and unassigned ones of their accounts or of new companies
 * (which every rep sees until one takes them).
 */
import { db } from "../../../utils/db.server";
import { loadCreditPolicy } from "../../credit/scoring.server";
import { toMinor } from "../../money/money";
import { defineSource, hoursBetween, type DayContext } from "../items";

const OPEN = ["SUBMITTED", "IN_REVIEW"] as const;

type Row = {
  id: string;
  number: string;
  status: string;
  company: string;
  accountId: string | null;
  reviewerId: string | null;
  submittedAt: Date;
  requestedMinor: bigint | null;
  currency: string | null;
  slaHours: number;
};

function mine(row: Row, ctx: DayContext): boolean {
  if (row.reviewerId) return row.reviewerId === ctx.rep.id;
  return row.accountId === null || ctx.accounts.has(row.accountId);
}

export const creditApplications = defineSource<Row>({
  kind: "credit_application",
  async load(ctx) {
    const { reviewSlaHours } = await loadCreditPolicy();
    const rows = await db().creditApplication.findMany({
      where: {
        status: { in: [...OPEN] },
        OR: [{ reviewerId: ctx.rep.id }, { reviewerId: null, OR: [{ accountId: null }, { accountId: { in: [...ctx.accounts.keys()] } }] }],
      },
      orderBy: { submittedAt: "asc" },
      take: 200,
    });
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      company: r.companyName ?? r.applicantName,
      accountId: r.accountId,
      reviewerId: r.reviewerId,
      submittedAt: r.submittedAt ?? r.createdAt,
      requestedMinor: r.requestedLimitMinor,
      currency: r.currency,
      slaHours: reviewSlaHours,
    }));
  },
  done: (row, ctx) => !(OPEN as readonly string[]).includes(row.status) || !mine(row, ctx),
  toItem: (row, ctx) => {
    const due = new Date(row.submittedAt.getTime() + row.slaHours * 3_600_000);
    const left = Math.floor((due.getTime() - ctx.now.getTime()) / 3_600_000);
    return {
      kind: "credit_application",
      key: `credit_application:${row.id}`,
      account: row.accountId ? (ctx.accounts.get(row.accountId) ?? null) : null,
      title: {
        key: "myday:items.credit_application",
        values: {
          number: row.number,
          company: row.company,
          amount: { money: { amountMinor: toMinor(row.requestedMinor), currency: row.currency ?? "USD" } },
        },
      },
      detail:
        left >= 0
          ? { key: "myday:sla.left", values: { hours: left, sla: row.slaHours } }
          : { key: "myday:sla.over", values: { hours: -left, sla: row.slaHours } },
      dueAt: due.toISOString(),
      href: `/rep/credit/applications/${row.id}`,
      waitedHours: hoursBetween(row.submittedAt, ctx.now),
      clears: null,
      reassign: { target: "application", id: row.id },
    };
  },
});
