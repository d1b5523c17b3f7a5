/**
 * Approving an application: sets an existing account's limit and terms, or sets up a
 * new company's account and its first portal user, then tells the applicant.
 */
import crypto from "node:crypto";
import type { CreditApplication, Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { accountFormattingFor } from "../../i18n/locale";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { hashPassword } from "../auth/password.server";
import { LINK_LIFETIME_MS, requestPasswordReset } from "../auth/password-reset.server";
import { queueEmail } from "../mail/outbox.server";
import { isUniqueViolation } from "../payments/unique-violation";
import { publicUrl } from "../../utils/config.server";
import { noteBody, noteMoney } from "./credit-notes.server";
import { applicantMailReader, offerValues } from "./applicant-emails.server";

export type ApproveOptions = {
  limitMinor: number;
  termsDays: number;
  actorId: string | null;
  auto?: boolean;
  conditions?: string | null;
  /** A new company's first portal user; the applicant unless the rep named someone else. */
  firstUserEmail?: string | null;
  firstUserName?: string | null;
};

/** Thrown inside the approval when the first user's email already signs in elsewhere: nothing is written. */
export class FirstUserEmailTaken extends Error {}

/**
 * The email that will become a new company's first user, and whether it is free. A user
 * belongs to exactly one account, so an address that already signs in (to another
 * company, or as staff) cannot be reused: the account would be left with nobody able to
 * sign in. The rep gives another address at the company instead.
 */
export async function firstUserFor(
  application: Pick<CreditApplication, "accountId" | "applicantEmail">,
  override?: string | null,
): Promise<{ email: string; available: boolean } | null> {
  if (application.accountId) return null;
  const email = (override || application.applicantEmail).trim().toLowerCase();
  const existing = await db().user.findUnique({ where: { email }, select: { id: true } });
  return { email, available: !existing };
}

/**
 * The next account number, from the account_number_seq sequence (migration
 * 20261123190000): sequences never hand a value out twice, even when a transaction rolls
 * back or an account is deleted later, so a number is never reused. Numbers written by
 * hand or by an import (the demo seed, an ERP load) are stepped over: the sequence is
 * moved past the highest ACC-<n> in use. Should two approvals still meet on one number,
 * the unique index refuses the second and approveApplication retries it.
 */
async function nextAccountNumber(tx: Prisma.TransactionClient): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    WITH candidate AS (
      SELECT GREATEST(nextval('"account_number_seq"'), COALESCE(MAX(CAST(SUBSTRING(number FROM 5) AS bigint)), 0) + 1) AS n
      FROM "Account" WHERE number ~ '^ACC-[0-9]{1,15}$'
    )
    SELECT setval('"account_number_seq"', n) AS n FROM candidate`;
  return `ACC-${row.n}`;
}

const APPROVAL_ATTEMPTS = 5;

/** Applies an approval: sets the account's limit and terms, or sets up a new company's account and first user. */
export async function approveApplication(application: CreditApplication, options: ApproveOptions): Promise<CreditApplication> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await approveOnce(application, options);
    } catch (error) {
      // A clash on a unique column (account number, the first user's email) means someone else
      // wrote first; the whole transaction rolled back, so reading again and retrying is safe.
      if (attempt >= APPROVAL_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

async function approveOnce(application: CreditApplication, options: ApproveOptions): Promise<CreditApplication> {
  let newUserEmail: string | null = null;
  const language: Language = isLanguage(application.language) ? application.language : "en";
  const updated = await db().$transaction(async (tx) => {
    const fresh = await tx.creditApplication.findUniqueOrThrow({ where: { id: application.id } });
    // Claimed on the status read at the start: a second approval racing this one writes nothing.
    const claimed = await tx.creditApplication.updateMany({
      where: { id: fresh.id, status: fresh.status, NOT: { status: "APPROVED" } },
      data: { status: "APPROVED" },
    });
    if (claimed.count !== 1) throw new ConcurrentDecision();
    let accountId = fresh.accountId;
    if (accountId) {
      const before = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { creditLimitMinor: true, paymentTermsDays: true } });
      await tx.account.update({ where: { id: accountId }, data: { creditLimitMinor: BigInt(options.limitMinor), paymentTermsDays: options.termsDays } });
      await recordAudit(
        {
          actorId: options.actorId,
          accountId,
          entity: "Account",
          entityId: accountId,
          action: "credit_limit_changed",
          before,
          after: { creditLimitMinor: options.limitMinor, paymentTermsDays: options.termsDays },
        },
        tx,
      );
    } else {
      const firstUserEmail = (options.firstUserEmail || fresh.applicantEmail).trim().toLowerCase();
      if (await tx.user.findUnique({ where: { email: firstUserEmail }, select: { id: true } })) throw new FirstUserEmailTaken(firstUserEmail);
      const account = await tx.account.create({
        data: {
          number: await nextAccountNumber(tx),
          legalName: fresh.companyName ?? fresh.applicantName,
          taxId: fresh.taxId ?? "",
          country: fresh.country ?? "US",
          preferredLanguage: language,
          ...accountFormattingFor(fresh.country ?? "US", language),
          currency: fresh.currency ?? "USD",
          creditLimitMinor: BigInt(options.limitMinor),
          paymentTermsDays: options.termsDays,
          addressLine1: fresh.addressLine1,
          city: fresh.city,
          region: fresh.region,
          postalCode: fresh.postalCode,
        },
      });
      accountId = account.id;
      const user = await tx.user.create({
        data: {
          email: firstUserEmail,
          // The applicant's name only when the applicant is that user; else the name the rep gave, else the address.
          name: options.firstUserName || (firstUserEmail === fresh.applicantEmail.toLowerCase() ? fresh.applicantName : firstUserEmail),
          // A random password nobody knows: the first user chooses theirs from the emailed link.
          passwordHash: await hashPassword(crypto.randomBytes(32).toString("hex")),
          role: "CUSTOMER",
          accountId,
          preferredLanguage: language,
        },
      });
      newUserEmail = user.email;
      await recordAudit(
        {
          actorId: options.actorId,
          accountId,
          entity: "Account",
          entityId: accountId,
          action: "account_created",
          after: { number: account.number, creditLimitMinor: options.limitMinor, paymentTermsDays: options.termsDays, firstUserEmail },
        },
        tx,
      );
    }
    const row = await tx.creditApplication.update({
      where: { id: fresh.id },
      data: {
        accountId,
        status: "APPROVED",
        approvedLimitMinor: BigInt(options.limitMinor),
        approvedTermsDays: options.termsDays,
        conditions: options.conditions ?? fresh.conditions,
        decidedById: options.actorId,
        decidedAt: new Date(),
        escalatedToLevel: null,
      },
    });
    await tx.creditApplicationEvent.create({ data: { applicationId: row.id, kind: options.auto ? "auto_approved" : "approved", actorId: options.actorId } });
    await recordAudit(
      {
        actorId: options.actorId,
        accountId,
        entity: "CreditApplication",
        entityId: row.id,
        action: options.auto ? "auto_approved" : "approved",
        before: { status: fresh.status },
        after: { status: "APPROVED", limitMinor: options.limitMinor, termsDays: options.termsDays },
      },
      tx,
    );
    await tx.accountNote.create({
      data: {
        accountId,
        authorId: options.actorId,
        kind: "credit_decision",
        body: noteBody(options.auto ? "Auto-approved" : "Approved", {
          application: row.number,
          limit: noteMoney(options.limitMinor, row.currency),
          terms: `Net ${options.termsDays}`,
        }),
      },
    });
    return row;
  }, CLAIM_TRANSACTION);
  if (newUserEmail) await requestPasswordReset(newUserEmail, language, "account_welcome");
  if (updated.applicantEmail) {
    // What was approved, and how to get in: a new company's first user chooses a password
    // from the separate welcome email; an existing customer signs in as always.
    const t = await translatorFor(language);
    const base = publicUrl("");
    const access = !newUserEmail
      ? t("mail:credit_approved.accessExisting", { link: `${base}/credit` })
      : newUserEmail === updated.applicantEmail.toLowerCase()
        ? t("mail:credit_approved.accessNewApplicant", { email: newUserEmail, days: LINK_LIFETIME_MS.account_welcome / 86_400_000, link: `${base}/login` })
        : t("mail:credit_approved.accessNewOther", { email: newUserEmail, link: `${base}/login` });
    await queueEmail({
      to: updated.applicantEmail,
      reader: applicantMailReader(updated),
      template: "credit_approved",
      values: {
        name: updated.applicantName,
        number: updated.number,
        ...(await offerValues(updated, { limitMinor: options.limitMinor, termsDays: options.termsDays, conditions: updated.conditions })),
        currency: updated.currency ?? "USD",
        access,
      },
    });
  }
  return updated;
}

/** Thrown inside a decision's transaction when its claim finds the application already changed, to roll it back. */
export class ConcurrentDecision extends Error {}
