/**
 * Credit applications: drafts, submission and scoring, rep decisions within
 * authority, counter-offers, information requests, and setting up the account.
 */
import crypto from "node:crypto";
import type { CreditApplication, Prisma, StaffLevel } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { accountFormattingFor } from "../../i18n/locale";
import { db } from "../../utils/db.server";
import { accountSummary } from "../accounts/account-summary.server";
import { recordAudit } from "../audit/audit.server";
import { checkAuthority, levelsAtOrAbove } from "../authority/authority.server";
import type { SessionUser } from "../auth/session.server";
import { hashPassword } from "../auth/password.server";
import { requestPasswordReset } from "../auth/password-reset.server";
import { convertWithRate, latestRate } from "../fx/fx-rates.server";
import { queueEmail } from "../mail/outbox.server";
import { formatMoney, toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import type { Draft } from "./application-schema";
import { scoreApplication, type CreditPolicy, type ScoreResult } from "./scorecard";

export async function loadCreditPolicy(): Promise<CreditPolicy> {
  const rows = await db().policySetting.findMany({ where: { key: { startsWith: "credit." } } });
  const get = (key: string) => {
    const row = rows.find((r) => r.key === `credit.${key}`);
    if (!row) throw new Error(`Missing policy setting credit.${key}`);
    return row.value;
  };
  return {
    policyCurrency: String(get("policyCurrency")),
    autoApproveCeilingMinor: Number(get("autoApproveCeilingMinor")),
    autoApproveMinScore: Number(get("autoApproveMinScore")),
    declineBelowScore: Number(get("declineBelowScore")),
    reviewSlaHours: Number(get("reviewSlaHours")),
  };
}

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

async function nextApplicationNumber(): Promise<string> {
  const year = new Date().getUTCFullYear();
  const count = await db().creditApplication.count({ where: { number: { startsWith: `CA-${year}-` } } });
  return `CA-${year}-${String(count + 1).padStart(4, "0")}`;
}

async function createWithNumber(data: Omit<Prisma.CreditApplicationUncheckedCreateInput, "number">): Promise<CreditApplication> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const base = await nextApplicationNumber();
    const number = attempt === 0 ? base : `${base}-${crypto.randomBytes(2).toString("hex")}`;
    try {
      return await db().creditApplication.create({ data: { ...data, number } });
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
  throw new Error("unreachable");
}

/** A signed-in customer's open draft, created on first visit. */
export async function draftForCustomer(user: SessionUser & { accountId: string }, language: Language): Promise<CreditApplication> {
  const existing = await db().creditApplication.findFirst({ where: { accountId: user.accountId, status: "DRAFT" }, orderBy: { createdAt: "desc" } });
  if (existing) return existing;
  const account = await db().account.findUniqueOrThrow({ where: { id: user.accountId } });
  const draft: Draft = {
    companyName: account.legalName,
    country: account.country,
    currency: account.currency,
    taxId: account.taxId,
    addressLine1: account.addressLine1 ?? "",
    city: account.city ?? "",
    region: account.region ?? "",
    postalCode: account.postalCode ?? "",
  };
  return createWithNumber({
    accountId: user.accountId,
    applicantUserId: user.id,
    applicantName: user.name,
    applicantEmail: user.email,
    language,
    draft,
  });
}

/** A new company's draft: reachable only with the secret token kept in its cookie. */
export async function newCompanyDraft(language: Language): Promise<{ application: CreditApplication; token: string }> {
  const token = crypto.randomBytes(24).toString("base64url");
  const application = await createWithNumber({ applicantName: "", applicantEmail: "", language, draft: { __access: digest(token) } });
  return { application, token };
}

export async function draftByToken(id: string, token: string): Promise<CreditApplication | null> {
  const application = await db().creditApplication.findUnique({ where: { id } });
  if (!application || application.accountId || application.status !== "DRAFT") return null;
  const access = (application.draft as Draft).__access;
  if (!access || access.length !== 64) return null;
  const ok = crypto.timingSafeEqual(Buffer.from(access), Buffer.from(digest(token)));
  return ok ? application : null;
}

/** Keeps what was typed for a step (valid or not) so nothing is lost. */
export async function saveDraftValues(application: CreditApplication, values: Draft, currentStep?: number): Promise<CreditApplication> {
  const draft = { ...(application.draft as Draft), ...values };
  return db().creditApplication.update({
    where: { id: application.id },
    data: { draft, ...(currentStep ? { currentStep } : {}) },
  });
}

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

async function toPolicyCurrency(amountMinor: number, currency: string, policyCurrency: string): Promise<number> {
  if (currency === policyCurrency) return amountMinor;
  const rate = await latestRate(currency, policyCurrency, new Date());
  if (!rate) throw new Error(`No FX rate from ${currency} to ${policyCurrency}`);
  return convertWithRate(amountMinor, rate);
}

async function historyOf(accountId: string | null) {
  if (!accountId) return undefined;
  const summary = await accountSummary(accountId);
  if (!summary) return undefined;
  const a = summary.aging;
  const oldestPastDueDays = a.over90.amountMinor > 0 ? 91 : a.days61to90.amountMinor > 0 ? 61 : a.days31to60.amountMinor > 0 ? 31 : a.days1to30.amountMinor > 0 ? 1 : 0;
  return { openBalanceMinor: summary.openBalance.amountMinor, pastDueMinor: summary.pastDue.amountMinor, oldestPastDueDays };
}

export async function scoreFor(input: Pick<SubmitInput, "yearsInBusiness" | "annualRevenueMinor" | "requestedLimitMinor" | "requestedTermsDays" | "currency" | "references" | "bankName">, accountId: string | null): Promise<ScoreResult> {
  const policy = await loadCreditPolicy();
  return scoreApplication(
    {
      yearsInBusiness: input.yearsInBusiness,
      annualRevenueMinor: input.annualRevenueMinor,
      requestedLimitMinor: input.requestedLimitMinor,
      requestedTermsDays: input.requestedTermsDays,
      requestedLimitInPolicyMinor: await toPolicyCurrency(input.requestedLimitMinor, input.currency, policy.policyCurrency),
      tradeReferences: input.references.length,
      hasBankReference: Boolean(input.bankName),
      history: await historyOf(accountId),
    },
    policy,
  );
}

/** Money for an account note, formatted (never divided by hand). */
function noteMoney(amountMinor: number, currency: string | null) {
  return formatMoney({ amountMinor, currency: currency ?? "USD" }, "en-US");
}

function noteBody(kind: string, values: Record<string, unknown>) {
  // Account notes are read by reps of either language: a compact, language-neutral line.
  return `${kind}: ${Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(", ")}`;
}

/** Submits a completed draft: scores it, then approves at once or queues it for review. */
export async function submitApplication(application: CreditApplication, input: SubmitInput, actorId: string | null, origin: string): Promise<CreditApplication> {
  const result = await scoreFor(input, application.accountId);
  const now = new Date();
  const updated = await db().$transaction(async (tx) => {
    const claimed = await tx.creditApplication.updateMany({ where: { id: application.id, status: "DRAFT" }, data: { status: "SUBMITTED" } });
    if (claimed.count !== 1) throw new Error("already_submitted");
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
    await recordAudit({ actorId, accountId: row.accountId, entity: "CreditApplication", entityId: row.id, action: "submitted", before: { status: "DRAFT" }, after: { status: "SUBMITTED", score: result.score } }, tx);
    return row;
  });
  // An existing account is never lowered automatically: only an increase is auto-approved.
  const current = application.accountId ? await db().account.findUnique({ where: { id: application.accountId }, select: { creditLimitMinor: true } }) : null;
  const lowersLimit = current ? input.requestedLimitMinor < toMinor(current.creditLimitMinor) : false;
  const firstUser = await firstUserFor(updated);
  if (result.autoApprove && !lowersLimit && firstUser && !firstUser.available) {
    // A new company whose applicant email already signs in elsewhere would get an account nobody can
    // reach: a rep reviews it and names the first user (see firstUserFor). Noted so the queue says why.
    await db().creditApplicationEvent.create({ data: { applicationId: updated.id, kind: "first_user_needed", actorId: null } });
    return updated;
  }
  if (result.autoApprove && !lowersLimit) {
    return approveApplication(updated, { limitMinor: input.requestedLimitMinor, termsDays: input.requestedTermsDays, actorId: null, auto: true, origin });
  }
  return updated;
}

type ApproveOptions = {
  limitMinor: number;
  termsDays: number;
  actorId: string | null;
  auto?: boolean;
  origin: string;
  conditions?: string | null;
  /** A new company's first portal user; the applicant unless the rep named someone else. */
  firstUserEmail?: string | null;
  firstUserName?: string | null;
};

/** Thrown inside the approval when the first user's email already signs in elsewhere: nothing is written. */
class FirstUserEmailTaken extends Error {}

/**
 * The email that will become a new company's first user, and whether it is free. A user
 * belongs to exactly one account, so an address that already signs in (to another
 * company, or as staff) cannot be reused: the account would be left with nobody able to
 * sign in. The rep gives another address at the company instead.
 */
export async function firstUserFor(application: Pick<CreditApplication, "accountId" | "applicantEmail">, override?: string | null): Promise<{ email: string; available: boolean } | null> {
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
async function approveApplication(application: CreditApplication, options: ApproveOptions): Promise<CreditApplication> {
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
    let accountId = fresh.accountId;
    if (accountId) {
      const before = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { creditLimitMinor: true, paymentTermsDays: true } });
      await tx.account.update({ where: { id: accountId }, data: { creditLimitMinor: BigInt(options.limitMinor), paymentTermsDays: options.termsDays } });
      await recordAudit({ actorId: options.actorId, accountId, entity: "Account", entityId: accountId, action: "credit_limit_changed", before, after: { creditLimitMinor: options.limitMinor, paymentTermsDays: options.termsDays } }, tx);
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
      await recordAudit({ actorId: options.actorId, accountId, entity: "Account", entityId: accountId, action: "account_created", after: { number: account.number, creditLimitMinor: options.limitMinor, paymentTermsDays: options.termsDays, firstUserEmail } }, tx);
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
    await recordAudit({ actorId: options.actorId, accountId, entity: "CreditApplication", entityId: row.id, action: options.auto ? "auto_approved" : "approved", before: { status: fresh.status }, after: { status: "APPROVED", limitMinor: options.limitMinor, termsDays: options.termsDays } }, tx);
    await tx.accountNote.create({ data: { accountId, authorId: options.actorId, kind: "credit_decision", body: noteBody(options.auto ? "Auto-approved" : "Approved", { application: row.number, limit: noteMoney(options.limitMinor, row.currency), terms: `Net ${options.termsDays}` }) } });
    return row;
  });
  if (newUserEmail) await requestPasswordReset(newUserEmail, language, options.origin, "account_welcome");
  if (updated.applicantEmail) await queueEmail({
    to: updated.applicantEmail,
    language,
    template: "credit_decision",
    values: { name: updated.applicantName, number: updated.number, status: await statusLabel(language, "APPROVED"), details: "" },
  });
  return updated;
}

async function statusLabel(language: Language, status: string) {
  const t = await translatorFor(language);
  return t(`credit:status.${status}`);
}

// ───────────────────────────── rep side ─────────────────────────────

export type Decision =
  | { action: "approve"; limitMinor: number; termsDays: number; conditions?: string; reason?: string; firstUserEmail?: string; firstUserName?: string }
  | { action: "decline"; reason: string }
  | { action: "request_info"; message: string };

export type DecisionResult =
  | { ok: true; outcome: "approved" | "counter_offered" | "escalated" | "declined" | "info_requested"; requiredLevel?: StaffLevel | null }
  | { ok: false; error: "not_found" | "not_open" | "not_your_level" | "first_user_email_taken"; email?: string };

const OPEN_STATUSES = ["SUBMITTED", "IN_REVIEW", "ESCALATED"] as const;

async function rankOf(level: StaffLevel | null | undefined): Promise<number> {
  if (!level) return 0;
  const row = await db().authorityLimit.findUnique({ where: { level } });
  return row?.rank ?? 0;
}

/** Can this staff member act on this application (escalations only from the required level up)? */
export async function canActOn(actor: SessionUser, application: Pick<CreditApplication, "status" | "escalatedToLevel">): Promise<boolean> {
  if (!(OPEN_STATUSES as readonly string[]).includes(application.status)) return false;
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
export async function decideApplication(actor: SessionUser, applicationId: string, decision: Decision, origin: string): Promise<DecisionResult> {
  const application = await db().creditApplication.findUnique({ where: { id: applicationId } });
  if (!application) return { ok: false, error: "not_found" };
  if (!(OPEN_STATUSES as readonly string[]).includes(application.status)) return { ok: false, error: "not_open" };
  if (!(await canActOn(actor, application))) return { ok: false, error: "not_your_level" };
  const language: Language = isLanguage(application.language) ? application.language : "en";

  if (decision.action === "approve") {
    const currency = application.currency ?? "USD";
    const byLimit = await checkAuthority(actor.staffLevel, "credit_limit", { amount: { amountMinor: decision.limitMinor, currency } });
    const byTerms = await checkAuthority(actor.staffLevel, "payment_terms", { days: decision.termsDays });
    if (!byLimit.allowed || !byTerms.allowed) {
      const candidates = [byLimit, byTerms].filter((d) => !d.allowed).map((d) => (d.allowed ? null : d.requiredLevel));
      let requiredLevel: StaffLevel | null = null;
      for (const level of candidates) if (level && (await rankOf(level)) > (await rankOf(requiredLevel))) requiredLevel = level;
      requiredLevel ??= "MANAGER";
      await db().$transaction(async (tx) => {
        const claimed = await tx.creditApplication.updateMany({
          where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
          data: { status: "ESCALATED", escalatedToLevel: requiredLevel, reviewerId: actor.id, approvedLimitMinor: BigInt(decision.limitMinor), approvedTermsDays: decision.termsDays, conditions: decision.conditions || null },
        });
        if (claimed.count !== 1) throw new Error("concurrent_change");
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
        await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "escalated", before: { status: application.status }, after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: decision.limitMinor, proposedTermsDays: decision.termsDays } }, tx);
        if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Escalated", { application: application.number, to: requiredLevel, limit: noteMoney(decision.limitMinor, currency), terms: `Net ${decision.termsDays}` }) } });
      });
      return { ok: true, outcome: "escalated", requiredLevel };
    }
    const requested = toMinor(application.requestedLimitMinor);
    const isCounter = decision.limitMinor < requested || decision.termsDays < (application.requestedTermsDays ?? 0) || Boolean(decision.conditions);
    if (isCounter) {
      await db().$transaction(async (tx) => {
        const claimed = await tx.creditApplication.updateMany({
          where: { id: application.id, status: application.status, updatedAt: application.updatedAt },
          data: { status: "COUNTER_OFFERED", approvedLimitMinor: BigInt(decision.limitMinor), approvedTermsDays: decision.termsDays, conditions: decision.conditions || null, decisionReason: decision.reason || null, decidedById: actor.id, reviewerId: actor.id, escalatedToLevel: null },
        });
        if (claimed.count !== 1) throw new Error("concurrent_change");
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "counter_offered", message: decision.reason || null, actorId: actor.id } });
        await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "counter_offered", before: { status: application.status }, after: { status: "COUNTER_OFFERED", limitMinor: decision.limitMinor, termsDays: decision.termsDays, conditions: decision.conditions } }, tx);
        if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Counter-offer", { application: application.number, limit: noteMoney(decision.limitMinor, currency), terms: `Net ${decision.termsDays}` }) } });
      });
      if (application.applicantEmail) await queueEmail({ to: application.applicantEmail, language, template: "credit_decision", values: { name: application.applicantName, number: application.number, status: await statusLabel(language, "COUNTER_OFFERED"), details: decision.reason ?? "" } });
      return { ok: true, outcome: "counter_offered" };
    }
    // A new company needs a first user who can sign in: checked before anything is claimed or written.
    const firstUser = await firstUserFor(application, decision.firstUserEmail);
    if (firstUser && !firstUser.available) return { ok: false, error: "first_user_email_taken", email: firstUser.email };
    // Guard against a concurrent decision before approving.
    const claimed = await db().creditApplication.updateMany({ where: { id: application.id, status: application.status, updatedAt: application.updatedAt }, data: { reviewerId: actor.id } });
    if (claimed.count !== 1) return { ok: false, error: "not_open" };
    try {
      await approveApplication(application, { limitMinor: decision.limitMinor, termsDays: decision.termsDays, actorId: actor.id, origin, firstUserEmail: firstUser?.email, firstUserName: decision.firstUserName });
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
      data: { status: nextStatus, reviewerId: actor.id, ...(decision.action === "decline" ? { decisionReason: message, decidedById: actor.id, decidedAt: new Date() } : {}) },
    });
    if (claimed.count !== 1) throw new Error("concurrent_change");
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: decision.action === "decline" ? "declined" : "info_requested", message, actorId: actor.id } });
    await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: decision.action === "decline" ? "declined" : "info_requested", before: { status: application.status }, after: { status: nextStatus, message } }, tx);
    if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody(decision.action === "decline" ? "Declined" : "Information requested", { application: application.number, message }) } });
  });
  if (application.applicantEmail) await queueEmail({ to: application.applicantEmail, language, template: decision.action === "decline" ? "credit_decision" : "credit_info_requested", values: { name: application.applicantName, number: application.number, status: await statusLabel(language, nextStatus), message, details: message } });
  return { ok: true, outcome: decision.action === "decline" ? "declined" : "info_requested" };
}

// ───────────────────────────── customer answers ─────────────────────────────

export async function acceptCounterOffer(accountId: string, applicationId: string, actorId: string, origin: string): Promise<boolean> {
  const application = await db().creditApplication.findFirst({ where: { id: applicationId, accountId, status: "COUNTER_OFFERED" } });
  if (!application) return false;
  const claimed = await db().creditApplication.updateMany({ where: { id: application.id, status: "COUNTER_OFFERED" }, data: { status: "IN_REVIEW" } });
  if (claimed.count !== 1) return false;
  await db().creditApplicationEvent.create({ data: { applicationId: application.id, kind: "offer_accepted", actorId } });
  await approveApplication({ ...application, status: "IN_REVIEW" }, {
    limitMinor: toMinor(application.approvedLimitMinor),
    termsDays: application.approvedTermsDays ?? 0,
    actorId: application.decidedById,
    origin,
    conditions: application.conditions,
  });
  return true;
}

export async function answerInfoRequest(accountId: string, applicationId: string, actorId: string, message: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const claimed = await tx.creditApplication.updateMany({ where: { id: applicationId, accountId, status: "INFO_REQUESTED" }, data: { status: "IN_REVIEW" } });
    if (claimed.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId, kind: "info_provided", message, actorId } });
    await recordAudit({ actorId, accountId, entity: "CreditApplication", entityId: applicationId, action: "info_provided", before: { status: "INFO_REQUESTED" }, after: { status: "IN_REVIEW" } }, tx);
    return true;
  });
}

// ───────────────────────────── queue ─────────────────────────────

export type QueueFilter = { status?: string; language?: string };

export async function reviewQueue(actor: SessionUser, filter: QueueFilter) {
  const policy = await loadCreditPolicy();
  const myRank = await rankOf(actor.staffLevel);
  const visibleEscalations = actor.staffLevel ? await levelsAtOrAbove("REP_I") : [];
  const statuses = filter.status && ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED", "COUNTER_OFFERED"].includes(filter.status) ? [filter.status] : ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED", "COUNTER_OFFERED"];
  const rows = await db().creditApplication.findMany({
    where: { status: { in: statuses as never[] }, ...(filter.language === "en" || filter.language === "es" ? { language: filter.language } : {}) },
    orderBy: { submittedAt: "asc" },
    take: 200,
    select: { id: true, number: true, companyName: true, applicantName: true, language: true, status: true, submittedAt: true, score: true, requestedLimitMinor: true, currency: true, escalatedToLevel: true },
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
      };
    }),
  };
}

// ───────────────────────────── limit changes on existing accounts ─────────────────────────────

export type LimitChangeResult =
  | { ok: true; outcome: "changed" }
  | { ok: true; outcome: "escalated"; requiredLevel: StaffLevel; applicationId: string }
  | { ok: false; error: "not_found" | "unchanged" };

/**
 * A rep changes an account's limit or terms. Within authority it applies at once
 * (audit + account note); above it, it becomes an escalated request in the review
 * queue — the same path and the same approval rules as an application.
 */
export async function changeAccountTerms(actor: SessionUser, accountId: string, change: { limitMinor: number; termsDays: number; reason: string }): Promise<LimitChangeResult> {
  const account = await db().account.findUnique({ where: { id: accountId }, include: { users: { where: { role: "CUSTOMER", active: true }, take: 1, orderBy: { createdAt: "asc" } } } });
  if (!account) return { ok: false, error: "not_found" };
  if (toMinor(account.creditLimitMinor) === change.limitMinor && account.paymentTermsDays === change.termsDays) return { ok: false, error: "unchanged" };
  const money = { amountMinor: change.limitMinor, currency: account.currency };
  const byLimit = await checkAuthority(actor.staffLevel, "credit_limit", { amount: money });
  const byTerms = await checkAuthority(actor.staffLevel, "payment_terms", { days: change.termsDays });
  if (byLimit.allowed && byTerms.allowed) {
    await db().$transaction(async (tx) => {
      const before = { creditLimitMinor: account.creditLimitMinor, paymentTermsDays: account.paymentTermsDays };
      await tx.account.update({ where: { id: accountId }, data: { creditLimitMinor: BigInt(change.limitMinor), paymentTermsDays: change.termsDays } });
      await recordAudit({ actorId: actor.id, accountId, entity: "Account", entityId: accountId, action: "credit_limit_changed", before, after: { creditLimitMinor: change.limitMinor, paymentTermsDays: change.termsDays, reason: change.reason } }, tx);
      await tx.accountNote.create({ data: { accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Limit/terms changed", { limit: noteMoney(change.limitMinor, account.currency), terms: `Net ${change.termsDays}`, reason: change.reason }) } });
    });
    return { ok: true, outcome: "changed" };
  }
  let requiredLevel: StaffLevel | null = null;
  for (const d of [byLimit, byTerms]) if (!d.allowed && d.requiredLevel && (await rankOf(d.requiredLevel)) > (await rankOf(requiredLevel))) requiredLevel = d.requiredLevel;
  requiredLevel ??= "MANAGER";
  const contact = account.users[0];
  const now = new Date();
  const application = await createWithNumber({
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
  });
  await db().$transaction(async (tx) => {
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "limit_change_requested", message: change.reason || null, actorId: actor.id } });
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
    await recordAudit({ actorId: actor.id, accountId, entity: "CreditApplication", entityId: application.id, action: "escalated", before: { creditLimitMinor: account.creditLimitMinor, paymentTermsDays: account.paymentTermsDays }, after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: change.limitMinor, proposedTermsDays: change.termsDays } }, tx);
    await tx.accountNote.create({ data: { accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Limit/terms change escalated", { application: application.number, to: requiredLevel, limit: noteMoney(change.limitMinor, account.currency), terms: `Net ${change.termsDays}` }) } });
  });
  return { ok: true, outcome: "escalated", requiredLevel, applicationId: application.id };
}
