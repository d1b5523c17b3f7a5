/** The credit review queue: open applications oldest first, with their age against the review SLA and whose level they wait for. */
import { db } from "../../utils/db.server";
import { levelsAtOrAbove, rankOf } from "../authority/authority.server";
import type { SessionUser } from "../auth/session-user";
import { toMinor } from "../money/money";
import { loadCreditPolicy } from "./scoring.server";

export type QueueFilter = { status?: string; language?: string };

export async function reviewQueue(actor: SessionUser, filter: QueueFilter) {
  const policy = await loadCreditPolicy();
  const myRank = await rankOf(actor.staffLevel);
  const visibleEscalations = actor.staffLevel ? await levelsAtOrAbove("REP_I") : [];
  const statuses =
    filter.status && ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED", "COUNTER_OFFERED"].includes(filter.status)
      ? [filter.status]
      : ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED", "COUNTER_OFFERED"];
  const rows = await db().creditApplication.findMany({
    where: { status: { in: statuses as never[] }, ...(filter.language === "en" || filter.language === "es" ? { language: filter.language } : {}) },
    orderBy: { submittedAt: "asc" },
    take: 200,
    select: {
      id: true,
      number: true,
      companyName: true,
      applicantName: true,
      language: true,
      status: true,
      submittedAt: true,
      score: true,
      requestedLimitMinor: true,
      currency: true,
      escalatedToLevel: true,
    },
  });
  const now = Date.now();
  const ranks = new Map<string, number>();
  for (const level of visibleEscalations) ranks.set(level, await rankOf(level));
  return {
    slaHours: policy.reviewSlaHours,
    items: rows.map((r) => {
      const ageHours = r.submittedAt ? Math.floor((now - r.submittedAt.getTime()) / 3_600_000) : 0;
      return {
        id: r.id,
        number: r.number,
        company: r.companyName ?? r.applicantName,
        language: r.language,
        status: r.status,
        submittedAt: r.submittedAt?.toISOString() ?? null,
        ageHours,
        overdue: ageHours >= policy.reviewSlaHours,
        score: r.score,
        requested: { amountMinor: toMinor(r.requestedLimitMinor), currency: r.currency ?? "USD" },
        escalatedToLevel: r.escalatedToLevel,
        forMe: r.status !== "ESCALATED" || !r.escalatedToLevel || myRank >= (ranks.get(r.escalatedToLevel) ?? 99),
        /** An escalation that needs this rep's level (or one below it): theirs to decide. */
        waitingForMyLevel: r.status === "ESCALATED" && Boolean(r.escalatedToLevel) && myRank >= (ranks.get(r.escalatedToLevel ?? "") ?? 99),
      };
    }),
  };
}
