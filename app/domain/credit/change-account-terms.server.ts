/** A rep changes an existing account's credit limit or payment terms, within authority or as an escalated request. */
import type { StaffLevel } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { accountSummary } from "../accounts/account-summary.server";
import { checkAuthority, checkLimitCut, rankOf } from "../authority/authority.server";
import type { SessionUser } from "../auth/session-user";
import { toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import { nextApplicationNumber } from "./application-numbers.server";
import { noteBody, noteMoney } from "./credit-notes.server";
import { notifyEscalation } from "./notify-escalation.server";

export type LimitChangeResult =
  | { ok: true; outcome: "changed" }
  | { ok: true; outcome: "escalated"; requiredLevel: StaffLevel; applicationId: string }
  | { ok: false; error: "not_found" | "unchanged" | "changed_meanwhile" | "already_requested" };

const LIMIT_CHANGE_ATTEMPTS = 5;

/**
 * A rep changes an account's limit or terms. Within authority it applies at once
 * (audit + account note); above it, it becomes an escalated request in the review
 * queue — the same path and the same approval rules as an application. A raise needs
 * authority for the new limit; a cut deeper than the level's percentage, or below the
 * account's exposure, needs a level that may make it (`checkLimitCut`). Either way the
 * account is claimed inside the transaction, so the same change sent several times at
 * once applies, or is requested, once.
 */
export async function changeAccountTerms(
  actor: SessionUser,
  accountId: string,
  change: { limitMinor: number; termsDays: number; reason: string },
): Promise<LimitChangeResult> {
  const account = await db().account.findUnique({
    where: { id: accountId },
    include: { users: { where: { role: "CUSTOMER", active: true }, take: 1, orderBy: { createdAt: "asc" } } },
  });
  if (!account) return { ok: false, error: "not_found" };
  if (toMinor(account.creditLimitMinor) === change.limitMinor && account.paymentTermsDays === change.termsDays) return { ok: false, error: "unchanged" };
  const money = { amountMinor: change.limitMinor, currency: account.currency };
  const summary = await accountSummary(accountId);
  const byLimit = await checkAuthority(actor.staffLevel, "credit_limit", { amount: money });
  const byTerms = await checkAuthority(actor.staffLevel, "payment_terms", { days: change.termsDays });
  const byCut = await checkLimitCut(actor.staffLevel, {
    currentMinor: toMinor(account.creditLimitMinor),
    proposedMinor: change.limitMinor,
    exposureMinor: summary?.exposure.amountMinor ?? 0,
  });
  const before = { creditLimitMinor: account.creditLimitMinor, paymentTermsDays: account.paymentTermsDays };
  if (byLimit.allowed && byTerms.allowed && byCut.allowed) {
    const changed = await db().$transaction(async (tx) => {
      // Claimed on the limit and terms we read: a second copy of this change finds them changed.
      const claimed = await tx.account.updateMany({
        where: { id: accountId, ...before },
        data: { creditLimitMinor: BigInt(change.limitMinor), paymentTermsDays: change.termsDays },
      });
      if (claimed.count !== 1) return false;
      await recordAudit(
        {
          actorId: actor.id,
          accountId,
          entity: "Account",
          entityId: accountId,
          action: "credit_limit_changed",
          before,
          after: { creditLimitMinor: change.limitMinor, paymentTermsDays: change.termsDays, reason: change.reason },
        },
        tx,
      );
      await tx.accountNote.create({
        data: {
          accountId,
          authorId: actor.id,
          kind: "credit_decision",
          body: noteBody("Limit/terms changed", {
            limit: noteMoney(change.limitMinor, account.currency),
            terms: `Net ${change.termsDays}`,
            reason: change.reason,
          }),
        },
      });
      return true;
    }, CLAIM_TRANSACTION);
    return changed ? { ok: true, outcome: "changed" } : { ok: false, error: "changed_meanwhile" };
  }
  let requiredLevel: StaffLevel | null = null;
  for (const d of [byLimit, byTerms, byCut])
    if (!d.allowed && d.requiredLevel && (await rankOf(d.requiredLevel)) > (await rankOf(requiredLevel))) requiredLevel = d.requiredLevel;
  requiredLevel ??= "MANAGER";
  const contact = account.users[0];
  const now = new Date();
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await db().$transaction(async (tx) => {
        // The account row is the claim: requests for one account wait here, and each sees what the one before it wrote.
        const [locked] = await tx.$queryRaw<
          { creditLimitMinor: bigint; paymentTermsDays: number }[]
        >`SELECT "creditLimitMinor", "paymentTermsDays" FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
        if (!locked || BigInt(locked.creditLimitMinor) !== before.creditLimitMinor || locked.paymentTermsDays !== before.paymentTermsDays)
          return "changed_meanwhile" as const;
        const pending = await tx.creditApplication.findFirst({
          where: {
            accountId,
            status: "ESCALATED",
            requestedLimitMinor: BigInt(change.limitMinor),
            requestedTermsDays: change.termsDays,
            events: { some: { kind: "limit_change_requested" } },
          },
          select: { id: true },
        });
        if (pending) return "already_requested" as const;
        const application = await tx.creditApplication.create({
          data: {
            number: await nextApplicationNumber(tx),
            accountId,
            applicantUserId: null,
            applicantName: contact?.name ?? account.legalName,
            applicantEmail: contact?.email ?? "",
            language: account.preferredLanguage,
            status: "ESCALATED",
            currentStep: 4,
            companyName: account.legalName,
            taxId: account.taxId,
            country: account.country,
            currency: account.currency,
            requestedLimitMinor: BigInt(change.limitMinor),
            requestedTermsDays: change.termsDays,
            approvedLimitMinor: BigInt(change.limitMinor),
            approvedTermsDays: change.termsDays,
            escalatedToLevel: requiredLevel,
            reviewerId: actor.id,
            submittedAt: now,
            decisionReason: change.reason || null,
          },
        });
        await tx.creditApplicationEvent.create({
          data: { applicationId: application.id, kind: "limit_change_requested", message: change.reason || null, actorId: actor.id },
        });
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
        await recordAudit(
          {
            actorId: actor.id,
            accountId,
            entity: "CreditApplication",
            entityId: application.id,
            action: "escalated",
            before,
            after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: change.limitMinor, proposedTermsDays: change.termsDays },
          },
          tx,
        );
        await tx.accountNote.create({
          data: {
            accountId,
            authorId: actor.id,
            kind: "credit_decision",
            body: noteBody("Limit/terms change escalated", {
              application: application.number,
              to: requiredLevel,
              limit: noteMoney(change.limitMinor, account.currency),
              terms: `Net ${change.termsDays}`,
            }),
          },
        });
        return application.id;
      }, CLAIM_TRANSACTION);
      if (outcome === "changed_meanwhile" || outcome === "already_requested") return { ok: false, error: outcome };
      const application = await db().creditApplication.findUniqueOrThrow({ where: { id: outcome } });
      await notifyEscalation(application, requiredLevel!, actor);
      return { ok: true, outcome: "escalated", requiredLevel: requiredLevel!, applicationId: outcome };
    } catch (error) {
      // An application number taken by another application meanwhile: nothing was written, so number again.
      if (attempt >= LIMIT_CHANGE_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}
