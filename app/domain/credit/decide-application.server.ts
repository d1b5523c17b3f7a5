/**
 * A rep's decision on an application: approve (or counter-offer), decline, or ask for
 * information. Whether the rep's level may approve is checked by the authority rules
 * (app/domain/authority/); above them the approval becomes an escalation.
 */
import type { CreditApplication, StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { checkAuthority, checkLimitCut, rankOf, type AuthorityDecision } from "../authority/authority.server";
import { accountSummary } from "../accounts/account-summary.server";
import type { SessionUser } from "../auth/session-user";
import { mailText, queueEmail } from "../mail/outbox.server";
import { toMinor } from "../money/money";
import { counterOfferExpiry } from "./status-links.server";
import { noteBody, noteMoney } from "./credit-notes.server";
import { applicantLink, applicantMailReader, offerValues } from "./applicant-emails.server";
import { approveApplication, ConcurrentDecision, firstUserFor, FirstUserEmailTaken } from "./approve-application.server";
import { notifyEscalation } from "./notify-escalation.server";

export type Decision =
  | { action: "approve"; limitMinor: number; termsDays: number; conditions?: string; reason?: string; firstUserEmail?: string; firstUserName?: string }
  | { action: "decline"; reason: string }
  | { action: "request_info"; message: string };

export type DecisionResult =
  | { ok: true; outcome: "approved" | "counter_offered" | "escalated" | "declined" | "info_requested"; requiredLevel?: StaffLevel | null }
  | { ok: false; error: "not_found" | "not_open" | "not_your_level" | "first_user_email_taken"; email?: string };

/**
 * A rep can decide an application under review, one waiting for the applicant's answer
 * (the rep need not wait for it), and a counter-offer the applicant let expire.
 */
const OPEN_STATUSES = ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED"] as const;

function isOpenForDecision(application: Pick<CreditApplication, "status"> & { offerExpiresAt?: Date | null }): boolean {
  if (application.status === "COUNTER_OFFERED") return Boolean(application.offerExpiresAt && application.offerExpiresAt.getTime() <= Date.now());
  return (OPEN_STATUSES as readonly string[]).includes(application.status);
}

/** Can this staff member act on this application (escalations only from the required level up)? */
export async function canActOn(
  actor: SessionUser,
  application: Pick<CreditApplication, "status" | "escalatedToLevel"> & { offerExpiresAt?: Date | null },
): Promise<boolean> {
  if (!isOpenForDecision(application)) return false;
  if (application.status === "ESCALATED" && application.escalatedToLevel) {
    return (await rankOf(actor.staffLevel)) >= (await rankOf(application.escalatedToLevel));
  }
  return true;
}

/**
 * A rep's decision. An approval above the rep's authority (limit or terms) becomes an
 * escalation to the lowest level that may approve it — checked here, on the server,
 * every time, whatever the form said.
 */
export async function decideApplication(actor: SessionUser, applicationId: string, decision: Decision): Promise<DecisionResult> {
  try {
    return await decide(actor, applicationId, decision);
  } catch (error) {
    // Another decision on the same application won the claim: nothing of ours was written.
    if (error instanceof ConcurrentDecision) return { ok: false, error: "not_open" };
    throw error;
  }
}

/**
 * An application from a customer who already has an account replaces that account's limit
 * when it is approved or its counter-offer accepted: a lower figure is a limit cut, and
 * needs the same authority as cutting the limit on the account's credit page.
 */
async function limitCutOfExistingAccount(actor: SessionUser, accountId: string | null, proposedMinor: number): Promise<AuthorityDecision | null> {
  if (!accountId) return null;
  const account = await db().account.findUnique({ where: { id: accountId }, select: { creditLimitMinor: true } });
  if (!account) return null;
  const summary = await accountSummary(accountId);
  return checkLimitCut(actor.staffLevel, {
    currentMinor: toMinor(account.creditLimitMinor),
    proposedMinor,
    exposureMinor: summary?.exposure.amountMinor ?? 0,
  });
}

async function decide(actor: SessionUser, applicationId: string, decision: Decision): Promise<DecisionResult> {
  const application = await db().creditApplication.findUnique({ where: { id: applicationId } });
  if (!application) return { ok: false, error: "not_found" };
  if (!isOpenForDecision(application)) return { ok: false, error: "not_open" };
  if (!(await canActOn(actor, application))) return { ok: false, error: "not_your_level" };

  if (decision.action === "approve") {
    const currency = application.currency ?? "USD";
    const byLimit = await checkAuthority(actor.staffLevel, "credit_limit", { amount: { amountMinor: decision.limitMinor, currency } });
    const byTerms = await checkAuthority(actor.staffLevel, "payment_terms", { days: decision.termsDays });
    const byCut = await limitCutOfExistingAccount(actor, application.accountId, decision.limitMinor);
    const checks = byCut ? [byLimit, byTerms, byCut] : [byLimit, byTerms];
    if (checks.some((d) => !d.allowed)) {
      const candidates = checks.filter((d) => !d.allowed).map((d) => (d.allowed ? null : d.requiredLevel));
      let requiredLevel: StaffLevel | null = null;
      for (const level of candidates) if (level && (await rankOf(level)) > (await rankOf(requiredLevel))) requiredLevel = level;
      requiredLevel ??= "MANAGER";
      await db().$transaction(async (tx) => {
        const claimed = await tx.creditApplication.updateMany({
          where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
          data: {
            status: "ESCALATED",
            escalatedToLevel: requiredLevel,
            reviewerId: actor.id,
            approvedLimitMinor: BigInt(decision.limitMinor),
            approvedTermsDays: decision.termsDays,
            conditions: decision.conditions || null,
          },
        });
        if (claimed.count !== 1) throw new ConcurrentDecision();
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
        await recordAudit(
          {
            actorId: actor.id,
            accountId: application.accountId,
            entity: "CreditApplication",
            entityId: application.id,
            action: "escalated",
            before: { status: application.status },
            after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: decision.limitMinor, proposedTermsDays: decision.termsDays },
          },
          tx,
        );
        if (application.accountId)
          await tx.accountNote.create({
            data: {
              accountId: application.accountId,
              authorId: actor.id,
              kind: "credit_decision",
              body: noteBody("Escalated", {
                application: application.number,
                to: requiredLevel,
                limit: noteMoney(decision.limitMinor, currency),
                terms: `Net ${decision.termsDays}`,
              }),
            },
          });
      }, CLAIM_TRANSACTION);
      await notifyEscalation({ ...application, approvedLimitMinor: BigInt(decision.limitMinor), approvedTermsDays: decision.termsDays }, requiredLevel, actor);
      return { ok: true, outcome: "escalated", requiredLevel };
    }
    const requested = toMinor(application.requestedLimitMinor);
    const isCounter = decision.limitMinor < requested || decision.termsDays < (application.requestedTermsDays ?? 0) || Boolean(decision.conditions);
    if (isCounter) {
      const offerExpiresAt = await counterOfferExpiry();
      await db().$transaction(async (tx) => {
        const claimed = await tx.creditApplication.updateMany({
          where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
          data: {
            status: "COUNTER_OFFERED",
            approvedLimitMinor: BigInt(decision.limitMinor),
            approvedTermsDays: decision.termsDays,
            conditions: decision.conditions || null,
            decisionReason: decision.reason || null,
            decidedById: actor.id,
            reviewerId: actor.id,
            escalatedToLevel: null,
            offerExpiresAt,
          },
        });
        if (claimed.count !== 1) throw new ConcurrentDecision();
        await tx.creditApplicationEvent.create({
          data: { applicationId: application.id, kind: "counter_offered", message: decision.reason || null, actorId: actor.id },
        });
        await recordAudit(
          {
            actorId: actor.id,
            accountId: application.accountId,
            entity: "CreditApplication",
            entityId: application.id,
            action: "counter_offered",
            before: { status: application.status },
            after: { status: "COUNTER_OFFERED", limitMinor: decision.limitMinor, termsDays: decision.termsDays, conditions: decision.conditions },
          },
          tx,
        );
        if (application.accountId)
          await tx.accountNote.create({
            data: {
              accountId: application.accountId,
              authorId: actor.id,
              kind: "credit_decision",
              body: noteBody("Counter-offer", {
                application: application.number,
                limit: noteMoney(decision.limitMinor, currency),
                terms: `Net ${decision.termsDays}`,
              }),
            },
          });
      }, CLAIM_TRANSACTION);
      // The offer itself, its expiry and where to accept or decline it.
      if (application.applicantEmail) {
        await queueEmail({
          to: application.applicantEmail,
          reader: applicantMailReader(application),
          template: "credit_counter_offer",
          values: {
            name: application.applicantName,
            number: application.number,
            ...(await offerValues(application, {
              limitMinor: decision.limitMinor,
              termsDays: decision.termsDays,
              conditions: decision.conditions,
              reason: decision.reason,
              expiresAt: offerExpiresAt,
            })),
            ...(await applicantLink(application)),
          },
        });
      }
      return { ok: true, outcome: "counter_offered" };
    }
    // A new company needs a first user who can sign in: checked before anything is claimed or written.
    const firstUser = await firstUserFor(application, decision.firstUserEmail);
    if (firstUser && !firstUser.available) return { ok: false, error: "first_user_email_taken", email: firstUser.email };
    // Guard against a concurrent decision before approving.
    const claimed = await db().creditApplication.updateMany({
      where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
      data: { reviewerId: actor.id },
    });
    if (claimed.count !== 1) return { ok: false, error: "not_open" };
    try {
      await approveApplication(application, {
        limitMinor: decision.limitMinor,
        termsDays: decision.termsDays,
        actorId: actor.id,
        firstUserEmail: firstUser?.email,
        firstUserName: decision.firstUserName,
      });
    } catch (error) {
      // The address was taken between the check and the write (another approval, a sign-up): nothing was written.
      if (error instanceof FirstUserEmailTaken) return { ok: false, error: "first_user_email_taken", email: firstUser?.email };
      throw error;
    }
    return { ok: true, outcome: "approved" };
  }

  const nextStatus = decision.action === "decline" ? "DECLINED" : "INFO_REQUESTED";
  const message = decision.action === "decline" ? decision.reason : decision.message;
  await db().$transaction(async (tx) => {
    const claimed = await tx.creditApplication.updateMany({
      where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
      data: {
        status: nextStatus,
        reviewerId: actor.id,
        ...(decision.action === "decline" ? { decisionReason: message, decidedById: actor.id, decidedAt: new Date() } : {}),
      },
    });
    if (claimed.count !== 1) throw new ConcurrentDecision();
    await tx.creditApplicationEvent.create({
      data: { applicationId: application.id, kind: decision.action === "decline" ? "declined" : "info_requested", message, actorId: actor.id },
    });
    await recordAudit(
      {
        actorId: actor.id,
        accountId: application.accountId,
        entity: "CreditApplication",
        entityId: application.id,
        action: decision.action === "decline" ? "declined" : "info_requested",
        before: { status: application.status },
        after: { status: nextStatus, message },
      },
      tx,
    );
    if (application.accountId)
      await tx.accountNote.create({
        data: {
          accountId: application.accountId,
          authorId: actor.id,
          kind: "credit_decision",
          body: noteBody(decision.action === "decline" ? "Declined" : "Information requested", { application: application.number, message }),
        },
      });
  }, CLAIM_TRANSACTION);
  if (application.applicantEmail) {
    // A question carries the way to answer it: Credit for a customer, the status link for a new company.
    const answerAt = decision.action === "request_info" ? await applicantLink(application) : {};
    await queueEmail({
      to: application.applicantEmail,
      reader: applicantMailReader(application),
      template: decision.action === "decline" ? "credit_decision" : "credit_info_requested",
      values: {
        name: application.applicantName,
        number: application.number,
        status: mailText(`credit:status.${nextStatus}`),
        message,
        details: message,
        ...answerAt,
      },
    });
  }
  return { ok: true, outcome: decision.action === "decline" ? "declined" : "info_requested" };
}
