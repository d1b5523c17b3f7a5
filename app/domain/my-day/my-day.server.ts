/**
 * A rep's day: every source's open items, ordered by what falls due first. A manager looks
 * at any rep's day and hands items to another rep — the account (its owner), a dispute or
 * an application (its assignee) — each with an audit row.
 */
import type { Prisma } from "../../generated/prisma/client";
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

type Tx = Prisma.TransactionClient;

/** Who holds each kind of work (the account's owner, the dispute's or the application's assignee), read and handed on. */
const HOLDERS: Record<
  ReassignTarget["target"],
  {
    entity: string;
    action: string;
    field: string;
    read(tx: Tx, id: string): Promise<{ accountId: string | null; holder: string | null } | null>;
    hand(tx: Tx, id: string, repId: string): Promise<unknown>;
  }
> = {
  account: {
    entity: "Account",
    action: "owner_reassigned",
    field: "ownerRepId",
    read: async (tx, id) => {
      const row = await tx.account.findUnique({ where: { id }, select: { ownerRepId: true } });
      return row && { accountId: id, holder: row.ownerRepId };
    },
    hand: (tx, id, repId) => tx.account.update({ where: { id }, data: { ownerRepId: repId } }),
  },
  dispute: {
    entity: "Dispute",
    action: "reassigned",
    field: "assignedToId",
    read: async (tx, id) => {
      const row = await tx.dispute.findUnique({ where: { id }, select: { accountId: true, assignedToId: true } });
      return row && { accountId: row.accountId, holder: row.assignedToId };
    },
    hand: (tx, id, repId) => tx.dispute.update({ where: { id }, data: { assignedToId: repId } }),
  },
  application: {
    entity: "CreditApplication",
    action: "reassigned",
    field: "reviewerId",
    read: async (tx, id) => {
      const row = await tx.creditApplication.findUnique({ where: { id }, select: { accountId: true, reviewerId: true } });
      return row && { accountId: row.accountId, holder: row.reviewerId };
    },
    hand: (tx, id, repId) => tx.creditApplication.update({ where: { id }, data: { reviewerId: repId } }),
  },
};

export type ReassignResult = { ok: true } | { ok: false; error: "forbidden" | "not_found" | "no_such_rep" };

/** A manager gives an item's work to another rep. */
export async function reassignDayItem(actor: SessionUser, target: ReassignTarget, toRepId: string): Promise<ReassignResult> {
  if (actor.role !== "MANAGER") return { ok: false, error: "forbidden" };
  const rep = await staffMember(toRepId);
  if (!rep) return { ok: false, error: "no_such_rep" };
  const holder = HOLDERS[target.target];
  return db().$transaction(async (tx) => {
    const row = await holder.read(tx, target.id);
    if (!row) return { ok: false as const, error: "not_found" as const };
    await holder.hand(tx, target.id, rep.id);
    await recordAudit(
      {
        actorId: actor.id,
        accountId: row.accountId,
        entity: holder.entity,
        entityId: target.id,
        action: holder.action,
        before: { [holder.field]: row.holder },
        after: { [holder.field]: rep.id },
      },
      tx,
    );
    return { ok: true as const };
  });
}
