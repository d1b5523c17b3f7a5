/** The applicant's answer to a counter-offer: accepted (then approved at the offered terms) or declined, once. */
import type { CreditApplication } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { toMinor } from "../money/money";
import { applicationByStatusToken } from "./status-links.server";
import { noteBody } from "./credit-notes.server";
import { approveApplication, ConcurrentDecision, FirstUserEmailTaken } from "./approve-application.server";

export type OfferAnswer =
  { ok: true; outcome: "accepted" | "declined" | "first_user_needed" } | { ok: false; error: "not_found" | "not_available" | "offer_expired" };

/**
 * Accepts a counter-offer once: the application is claimed from COUNTER_OFFERED (and
 * only while the offer is open) in a conditional update, so a double click or two tabs
 * apply it once; then it is approved at the offered limit and terms.
 */
async function acceptOffer(application: CreditApplication, actorId: string | null): Promise<OfferAnswer> {
  const now = new Date();
  const claimed = await db().$transaction(async (tx) => {
    const claim = await tx.creditApplication.updateMany({
      where: { id: application.id, status: "COUNTER_OFFERED", OR: [{ offerExpiresAt: null }, { offerExpiresAt: { gt: now } }] },
      data: { status: "IN_REVIEW" },
    });
    if (claim.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "offer_accepted", actorId } });
    await recordAudit(
      {
        actorId,
        accountId: application.accountId,
        entity: "CreditApplication",
        entityId: application.id,
        action: "offer_accepted",
        before: { status: "COUNTER_OFFERED" },
        after: { status: "IN_REVIEW" },
      },
      tx,
    );
    return true;
  });
  if (!claimed) {
    const fresh = await db().creditApplication.findUnique({ where: { id: application.id }, select: { status: true, offerExpiresAt: true } });
    const expired = fresh?.status === "COUNTER_OFFERED" && fresh.offerExpiresAt !== null && fresh.offerExpiresAt.getTime() <= now.getTime();
    return { ok: false, error: expired ? "offer_expired" : "not_available" };
  }
  try {
    await approveApplication(
      { ...application, status: "IN_REVIEW" },
      {
        limitMinor: toMinor(application.approvedLimitMinor),
        termsDays: application.approvedTermsDays ?? 0,
        actorId: application.decidedById,
        conditions: application.conditions,
      },
    );
  } catch (error) {
    // A rep's decision won the application meanwhile: the offer was taken by it, not by this answer.
    if (error instanceof ConcurrentDecision) return { ok: false, error: "not_available" };
    if (!(error instanceof FirstUserEmailTaken)) throw error;
    // The applicant's email already signs in elsewhere: a rep names the first user and approves.
    await db().creditApplicationEvent.create({ data: { applicationId: application.id, kind: "first_user_needed", actorId: null } });
    return { ok: true, outcome: "first_user_needed" };
  }
  return { ok: true, outcome: "accepted" };
}

/** Declines a counter-offer: the application is closed as withdrawn by the applicant, once. */
async function declineOffer(application: CreditApplication, actorId: string | null, reason: string): Promise<OfferAnswer> {
  const done = await db().$transaction(async (tx) => {
    const claim = await tx.creditApplication.updateMany({
      where: { id: application.id, status: "COUNTER_OFFERED" },
      data: { status: "WITHDRAWN", decidedAt: new Date() },
    });
    if (claim.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "offer_declined", message: reason || null, actorId } });
    await recordAudit(
      {
        actorId,
        accountId: application.accountId,
        entity: "CreditApplication",
        entityId: application.id,
        action: "offer_declined",
        before: { status: "COUNTER_OFFERED" },
        after: { status: "WITHDRAWN", reason: reason || null },
      },
      tx,
    );
    if (application.accountId)
      await tx.accountNote.create({
        data: {
          accountId: application.accountId,
          authorId: actorId,
          kind: "credit_decision",
          body: noteBody("Counter-offer declined by the customer", { application: application.number, reason: reason || "-" }),
        },
      });
    return true;
  });
  return done ? { ok: true, outcome: "declined" } : { ok: false, error: "not_available" };
}

/** A signed-in customer's answer to a counter-offer; the application must be their account's. */
export async function answerCounterOffer(
  accountId: string,
  applicationId: string,
  actorId: string,
  answer: { accept: true } | { accept: false; reason: string },
): Promise<OfferAnswer> {
  const application = await db().creditApplication.findFirst({ where: { id: applicationId, accountId } });
  if (!application) return { ok: false, error: "not_found" };
  return answer.accept ? acceptOffer(application, actorId) : declineOffer(application, actorId, answer.reason);
}

/** A new company's answers, through its status link: the token is the only key. */
export async function answerCounterOfferByToken(token: string, answer: { accept: true } | { accept: false; reason: string }): Promise<OfferAnswer> {
  const application = await applicationByStatusToken(token);
  if (!application) return { ok: false, error: "not_found" };
  return answer.accept ? acceptOffer(application, null) : declineOffer(application, null, answer.reason);
}
