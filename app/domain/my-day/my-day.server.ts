/**
 * A rep's day: every source's open items, ordered by what falls due first. A manager looks
 * at any rep's day and hands items to another rep — the account (its owner), a dispute or
 * an application (its assignee) — each with an audit row.
 */
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import type { SessionUser } from "../auth/session-user";
import { byDue, type DayContext, type DayItem, type DayRep, type ReassignTarget } from "./items";
import { DAY_SOURCES } from "./sources.server";

export async function staffMember(id: string): Promise<DayRep | null> {
  const user = await db().user.findFirst({
    where: { id, role: { in: ["REP", "MANAGER"] }, active: true },
    select: { id: true, name: true, role: true, staffLevel: true, languages: true },
  });
  return user;
}

/** Reps and managers a manager may choose from (a day to look at, a rep to hand work to). */
export async function staffList(): Promise<{ id: string; name: string; staffLevel: string | null }[]> {
  return db().user.findMany({
    where: { role: { in: ["REP", "MANAGER"] }, active: true },
    orderBy: [{ name: "asc" }],
    select: { id: true, name: true, staffLevel: true },
  });
}

export async function myDay(rep: DayRep, now = new Date()): Promise<DayItem[]> {
  const owned = await db().account.findMany({ where: { ownerRepId: rep.id }, select: { id: true, number: true, legalName: true } });
  const ctx: DayContext = { rep, now, accounts: new Map(owned.map((a) => [a.id, a])) };
  const lists = await Promise.all(DAY_SOURCES.map((source) => source.items(ctx)));
  return lists.flat().sort(byDue);
}

export type ReassignResult = { ok: true } | { ok: false; error: "forbidden" | "not_found" | "no_such_rep" };

/** A manager gives an item's work to another rep. */
export async function reassignDayItem(actor: SessionUser, target: ReassignTarget, toRepId: string): Promise<ReassignResult> {
  if (actor.role !== "MANAGER") return { ok: false, error: "forbidden" };
  const rep = await staffMember(toRepId);
  if (!rep) return { ok: false, error: "no_such_rep" };
  return db().$transaction(async (tx) => {
    if (target.target === "account") {
      const row = await tx.account.findUnique({ where: { id: target.id }, select: { id: true, ownerRepId: true } });
      if (!row) return { ok: false as const, error: "not_found" as const };
      await tx.account.update({ where: { id: row.id }, data: { ownerRepId: rep.id } });
      await recordAudit(
        {
          actorId: actor.id,
          accountId: row.id,
          entity: "Account",
          entityId: row.id,
          action: "owner_reassigned",
          before: { ownerRepId: row.ownerRepId },
          after: { ownerRepId: rep.id },
        },
        tx,
      );
      return { ok: true as const };
    }
    if (target.target === "dispute") {
      const row = await tx.dispute.findUnique({ where: { id: target.id }, select: { id: true, accountId: true, assignedToId: true } });
      if (!row) return { ok: false as const, error: "not_found" as const };
      await tx.dispute.update({ where: { id: row.id }, data: { assignedToId: rep.id } });
      await recordAudit(
        {
          actorId: actor.id,
          accountId: row.accountId,
          entity: "Dispute",
          entityId: row.id,
          action: "reassigned",
          before: { assignedToId: row.assignedToId },
          after: { assignedToId: rep.id },
        },
        tx,
      );
      return { ok: true as const };
    }
    const row = await tx.creditApplication.findUnique({ where: { id: target.id }, select: { id: true, accountId: true, reviewerId: true } });
    if (!row) return { ok: false as const, error: "not_found" as const };
    await tx.creditApplication.update({ where: { id: row.id }, data: { reviewerId: rep.id } });
    await recordAudit(
      {
        actorId: actor.id,
        accountId: row.accountId,
        entity: "CreditApplication",
        entityId: row.id,
        action: "reassigned",
        before: { reviewerId: row.reviewerId },
        after: { reviewerId: rep.id },
      },
      tx,
    );
    return { ok: true as const };
  });
}
