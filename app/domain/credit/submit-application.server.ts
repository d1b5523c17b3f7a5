/** Submitting a completed draft: scored, then approved at once or queued for a rep's review. */
import type { CreditApplication } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { mailText, queueEmail } from "../mail/outbox.server";
import { toMinor } from "../money/money";
import { scoreFor } from "./scoring.server";
import { publicUrl } from "../../utils/config.server";
import { issueStatusLink } from "./status-links.server";
import { applicantMailReader } from "./applicant-emails.server";
import { approveApplication, firstUserFor } from "./approve-application.server";

export type SubmitInput = {
  applicantName: string;
  applicantEmail: string;
  companyName: string;
  country: string;
  currency: string;
  taxId: string;
  addressLine1: string;
  city: string;
  region: string;
  postalCode: string;
  yearsInBusiness: number;
  annualRevenueMinor: number;
  requestedLimitMinor: number;
  requestedTermsDays: number;
  references: { companyName: string; contactName: string; email: string }[];
  bankName: string;
  bankAccountLast4: string;
  bankContact: string;
  signatureName: string;
};

/**
 * The submitted application and, for a new company, its status page. `alreadySubmitted`:
 * another post (a double click, a second tab) submitted it first, and nothing was done
 * twice; its sender gets the same answer, as the applicant asked for the same thing.
 */
export type SubmitResult = { application: CreditApplication; statusPath: string | null; alreadySubmitted: boolean };

/**
 * The answer to a final step posted again once its application was submitted (a double
 * click, a second tab): the application as it stands and, for a new company, a status
 * link of its own (only the first post's is in the confirmation email) — the sender holds
 * the draft, so it is the applicant.
 */
export async function alreadySubmitted(applicationId: string, { newCompany }: { newCompany: boolean }): Promise<SubmitResult> {
  const current = await db().creditApplication.findUniqueOrThrow({ where: { id: applicationId } });
  return { application: current, statusPath: newCompany ? await issueStatusLink(current.id) : null, alreadySubmitted: true };
}

/** Submits a completed draft: scores it, then approves at once or queues it for review. */
export async function submitApplication(application: CreditApplication, input: SubmitInput, actorId: string | null): Promise<SubmitResult> {
  const result = await scoreFor(input, application.accountId);
  const now = new Date();
  const updated = await db().$transaction(async (tx) => {
    // The draft is claimed in the transaction: of simultaneous submits, one goes on and the others stop here.
    const claimed = await tx.creditApplication.updateMany({ where: { id: application.id, status: "DRAFT" }, data: { status: "SUBMITTED" } });
    if (claimed.count !== 1) return null;
    await tx.tradeReference.createMany({ data: input.references.map((r) => ({ applicationId: application.id, ...r })) });
    const row = await tx.creditApplication.update({
      where: { id: application.id },
      data: {
        applicantName: input.applicantName,
        applicantEmail: input.applicantEmail.toLowerCase(),
        companyName: input.companyName,
        country: input.country,
        currency: input.currency,
        taxId: input.taxId.toUpperCase(),
        addressLine1: input.addressLine1,
        city: input.city,
        region: input.region,
        postalCode: input.postalCode,
        yearsInBusiness: input.yearsInBusiness,
        annualRevenueMinor: BigInt(input.annualRevenueMinor),
        requestedLimitMinor: BigInt(input.requestedLimitMinor),
        requestedTermsDays: input.requestedTermsDays,
        bankName: input.bankName,
        bankAccountLast4: input.bankAccountLast4,
        bankContact: input.bankContact || null,
        signatureName: input.signatureName,
        signedAt: now,
        submittedAt: now,
        score: result.score,
        scoreBreakdown: JSON.parse(JSON.stringify(result)),
        recommendedLimitMinor: BigInt(result.recommendedLimitMinor),
        recommendedTermsDays: result.recommendedTermsDays,
        currentStep: 4,
      },
    });
    await tx.creditApplicationEvent.create({ data: { applicationId: row.id, kind: "submitted", actorId } });
    await recordAudit(
      {
        actorId,
        accountId: row.accountId,
        entity: "CreditApplication",
        entityId: row.id,
        action: "submitted",
        before: { status: "DRAFT" },
        after: { status: "SUBMITTED", score: result.score },
      },
      tx,
    );
    return row;
  });
  if (!updated) return alreadySubmitted(application.id, { newCompany: !application.accountId });
  // The confirmation, in the applicant's language; a new company's carries its status link.
  const base = publicUrl("");
  const statusPath = updated.accountId ? null : await issueStatusLink(updated.id);
  await queueEmail({
    to: updated.applicantEmail,
    reader: applicantMailReader(updated),
    template: "credit_submitted",
    values: {
      name: updated.applicantName,
      number: updated.number,
      link: `${base}${statusPath ?? "/credit"}`,
      note: mailText(statusPath ? "mail:credit_links.personal" : "mail:credit_links.signIn"),
    },
  });
  // An existing account is never lowered automatically: only an increase is auto-approved.
  const current = application.accountId ? await db().account.findUnique({ where: { id: application.accountId }, select: { creditLimitMinor: true } }) : null;
  const lowersLimit = current ? input.requestedLimitMinor < toMinor(current.creditLimitMinor) : false;
  const firstUser = await firstUserFor(updated);
  if (result.autoApprove && !lowersLimit && firstUser && !firstUser.available) {
    // A new company whose applicant email already signs in elsewhere would get an account nobody can
    // reach: a rep reviews it and names the first user (see firstUserFor). Noted so the queue says why.
    await db().creditApplicationEvent.create({ data: { applicationId: updated.id, kind: "first_user_needed", actorId: null } });
    return { application: updated, statusPath, alreadySubmitted: false };
  }
  if (result.autoApprove && !lowersLimit) {
    return {
      alreadySubmitted: false,
      application: await approveApplication(updated, { limitMinor: input.requestedLimitMinor, termsDays: input.requestedTermsDays, actorId: null, auto: true }),
      statusPath,
    };
  }
  // Not approved at once only because it would lower an existing limit: noted so the rep is told why.
  if (result.autoApprove && lowersLimit) await db().creditApplicationEvent.create({ data: { applicationId: updated.id, kind: "lowers_limit", actorId: null } });
  return { application: updated, statusPath, alreadySubmitted: false };
}
