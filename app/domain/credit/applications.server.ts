/**
 * Credit applications: drafts, submission and scoring, rep decisions within
 * authority, counter-offers, information requests, and setting up the account.
 */
import crypto from "node:crypto";
import type { CreditApplication, DocumentKind, Prisma, StaffLevel } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { accountFormattingFor, formattingFor } from "../../i18n/locale";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { accountSummary } from "../accounts/account-summary.server";
import { checkAuthority, checkLimitCut, levelsAtOrAbove } from "../authority/authority.server";
import type { SessionUser } from "../auth/session-user";
import { hashPassword } from "../auth/password.server";
import { LINK_LIFETIME_MS, requestPasswordReset } from "../auth/password-reset.server";
import { queueEmail } from "../mail/outbox.server";
import { formatMoney, toMinor } from "../money/money";
import { isUniqueViolation } from "../payments/unique-violation";
import type { Draft } from "./application-schema";
import { loadCreditPolicy, scoreFor } from "./scoring.server";
import { authorityCurrency, convertWithDisclosure } from "../fx/conversion.server";
import { publicUrl } from "../../utils/config.server";
import { applicationIdForToken, counterOfferExpiry, issueStatusLink } from "./status-links.server";
import { storeUploadsFor, type CheckedUpload, type StoredFile } from "../files/stored-files.server";

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

async function nextApplicationNumber(client: Pick<Prisma.TransactionClient, "creditApplication"> = db()): Promise<string> {
  const year = new Date().getUTCFullYear();
  const count = await client.creditApplication.count({ where: { number: { startsWith: `CA-${year}-` } } });
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

/** Money for an account note, formatted (never divided by hand). */
function noteMoney(amountMinor: number, currency: string | null) {
  return formatMoney({ amountMinor, currency: currency ?? "USD" }, "en-US");
}

function noteBody(kind: string, values: Record<string, unknown>) {
  // Account notes are read by reps of either language: a compact, language-neutral line.
  return `${kind}: ${Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(", ")}`;
}

// ───────────────────────────── emails to the applicant ─────────────────────────────

function languageOf(application: Pick<CreditApplication, "language">): Language {
  return isLanguage(application.language) ? application.language : "en";
}

/**
 * Where an email sends the applicant to act, and how to get in: a customer signs in and
 * opens Credit; a new company (no sign-in yet) gets a personal status link.
 */
async function applicantLink(application: Pick<CreditApplication, "id" | "accountId" | "language">) {
  const t = await translatorFor(languageOf(application));
  const base = publicUrl("");
  if (application.accountId) return { link: `${base}/credit`, note: t("mail:credit_links.signIn") };
  return { link: `${base}${await issueStatusLink(application.id)}`, note: t("mail:credit_links.personal") };
}

async function offerValues(application: Pick<CreditApplication, "language" | "currency" | "country">, offer: { limitMinor: number; termsDays: number; conditions?: string | null; reason?: string | null; expiresAt?: Date | null }) {
  const language = languageOf(application);
  const t = await translatorFor(language);
  // A new company has no account yet: its country says how it writes numbers and which clock it reads.
  const { locale, timeZone } = application.country ? accountFormattingFor(application.country, language) : formattingFor(language);
  return {
    limit: formatMoney({ amountMinor: offer.limitMinor, currency: application.currency ?? "USD" }, locale),
    terms: t("credit:terms.net", { count: offer.termsDays }),
    conditions: offer.conditions ? t("mail:credit_links.conditions", { conditions: offer.conditions }) : "",
    reason: offer.reason ? t("mail:credit_links.reason", { reason: offer.reason }) : "",
    expires: offer.expiresAt ? new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(offer.expiresAt) : "",
  };
}

export { loadCreditPolicy, scoreFor } from "./scoring.server";

/** Submits a completed draft: scores it, then approves at once or queues it for review. */
export async function submitApplication(application: CreditApplication, input: SubmitInput, actorId: string | null): Promise<{ application: CreditApplication; statusPath: string | null }> {
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
  // The confirmation, in the applicant's language; a new company's carries its status link.
  const base = publicUrl("");
  const statusPath = updated.accountId ? null : await issueStatusLink(updated.id);
  const t = await translatorFor(languageOf(updated));
  await queueEmail({
    to: updated.applicantEmail,
    language: languageOf(updated),
    template: "credit_submitted",
    values: { name: updated.applicantName, number: updated.number, link: `${base}${statusPath ?? "/credit"}`, note: t(statusPath ? "mail:credit_links.personal" : "mail:credit_links.signIn") },
  });
  // An existing account is never lowered automatically: only an increase is auto-approved.
  const current = application.accountId ? await db().account.findUnique({ where: { id: application.accountId }, select: { creditLimitMinor: true } }) : null;
  const lowersLimit = current ? input.requestedLimitMinor < toMinor(current.creditLimitMinor) : false;
  const firstUser = await firstUserFor(updated);
  if (result.autoApprove && !lowersLimit && firstUser && !firstUser.available) {
    // A new company whose applicant email already signs in elsewhere would get an account nobody can
    // reach: a rep reviews it and names the first user (see firstUserFor). Noted so the queue says why.
    await db().creditApplicationEvent.create({ data: { applicationId: updated.id, kind: "first_user_needed", actorId: null } });
    return { application: updated, statusPath };
  }
  if (result.autoApprove && !lowersLimit) {
    return { application: await approveApplication(updated, { limitMinor: input.requestedLimitMinor, termsDays: input.requestedTermsDays, actorId: null, auto: true }), statusPath };
  }
  // Not approved at once only because it would lower an existing limit: noted so the rep is told why.
  if (result.autoApprove && lowersLimit) await db().creditApplicationEvent.create({ data: { applicationId: updated.id, kind: "lowers_limit", actorId: null } });
  return { application: updated, statusPath };
}

type ApproveOptions = {
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
    // Claimed on the status read at the start: a second approval racing this one writes nothing.
    const claimed = await tx.creditApplication.updateMany({ where: { id: fresh.id, status: fresh.status, NOT: { status: "APPROVED" } }, data: { status: "APPROVED" } });
    if (claimed.count !== 1) throw new ConcurrentDecision();
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
      language,
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

/**
 * A rep can decide an application under review, one waiting for the applicant's answer
 * (the rep need not wait for it), and a counter-offer the applicant let expire.
 */
const OPEN_STATUSES = ["SUBMITTED", "IN_REVIEW", "ESCALATED", "INFO_REQUESTED"] as const;

function isOpenForDecision(application: Pick<CreditApplication, "status"> & { offerExpiresAt?: Date | null }): boolean {
  if (application.status === "COUNTER_OFFERED") return Boolean(application.offerExpiresAt && application.offerExpiresAt.getTime() <= Date.now());
  return (OPEN_STATUSES as readonly string[]).includes(application.status);
}

async function rankOf(level: StaffLevel | null | undefined): Promise<number> {
  if (!level) return 0;
  const row = await db().authorityLimit.findUnique({ where: { level } });
  return row?.rank ?? 0;
}

/** Can this staff member act on this application (escalations only from the required level up)? */
export async function canActOn(actor: SessionUser, application: Pick<CreditApplication, "status" | "escalatedToLevel"> & { offerExpiresAt?: Date | null }): Promise<boolean> {
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

/** Thrown inside a decision's transaction when its claim finds the application already changed, to roll it back. */
class ConcurrentDecision extends Error {}

async function decide(actor: SessionUser, applicationId: string, decision: Decision): Promise<DecisionResult> {
  const application = await db().creditApplication.findUnique({ where: { id: applicationId } });
  if (!application) return { ok: false, error: "not_found" };
  if (!isOpenForDecision(application)) return { ok: false, error: "not_open" };
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
        if (claimed.count !== 1) throw new ConcurrentDecision();
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
        await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "escalated", before: { status: application.status }, after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: decision.limitMinor, proposedTermsDays: decision.termsDays } }, tx);
        if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Escalated", { application: application.number, to: requiredLevel, limit: noteMoney(decision.limitMinor, currency), terms: `Net ${decision.termsDays}` }) } });
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
          data: { status: "COUNTER_OFFERED", approvedLimitMinor: BigInt(decision.limitMinor), approvedTermsDays: decision.termsDays, conditions: decision.conditions || null, decisionReason: decision.reason || null, decidedById: actor.id, reviewerId: actor.id, escalatedToLevel: null, offerExpiresAt },
        });
        if (claimed.count !== 1) throw new ConcurrentDecision();
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "counter_offered", message: decision.reason || null, actorId: actor.id } });
        await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "counter_offered", before: { status: application.status }, after: { status: "COUNTER_OFFERED", limitMinor: decision.limitMinor, termsDays: decision.termsDays, conditions: decision.conditions } }, tx);
        if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Counter-offer", { application: application.number, limit: noteMoney(decision.limitMinor, currency), terms: `Net ${decision.termsDays}` }) } });
      }, CLAIM_TRANSACTION);
      // The offer itself, its expiry and where to accept or decline it.
      if (application.applicantEmail) {
        await queueEmail({
          to: application.applicantEmail,
          language,
          template: "credit_counter_offer",
          values: { name: application.applicantName, number: application.number, ...(await offerValues(application, { limitMinor: decision.limitMinor, termsDays: decision.termsDays, conditions: decision.conditions, reason: decision.reason, expiresAt: offerExpiresAt })), ...(await applicantLink(application)) },
        });
      }
      return { ok: true, outcome: "counter_offered" };
    }
    // A new company needs a first user who can sign in: checked before anything is claimed or written.
    const firstUser = await firstUserFor(application, decision.firstUserEmail);
    if (firstUser && !firstUser.available) return { ok: false, error: "first_user_email_taken", email: firstUser.email };
    // Guard against a concurrent decision before approving.
    const claimed = await db().creditApplication.updateMany({ where: { id: application.id, status: application.status, updatedAt: application.updatedAt }, data: { reviewerId: actor.id } });
    if (claimed.count !== 1) return { ok: false, error: "not_open" };
    try {
      await approveApplication(application, { limitMinor: decision.limitMinor, termsDays: decision.termsDays, actorId: actor.id, firstUserEmail: firstUser?.email, firstUserName: decision.firstUserName });
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
    if (claimed.count !== 1) throw new ConcurrentDecision();
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: decision.action === "decline" ? "declined" : "info_requested", message, actorId: actor.id } });
    await recordAudit({ actorId: actor.id, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: decision.action === "decline" ? "declined" : "info_requested", before: { status: application.status }, after: { status: nextStatus, message } }, tx);
    if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actor.id, kind: "credit_decision", body: noteBody(decision.action === "decline" ? "Declined" : "Information requested", { application: application.number, message }) } });
  }, CLAIM_TRANSACTION);
  if (application.applicantEmail) {
    // A question carries the way to answer it: Credit for a customer, the status link for a new company.
    const answerAt = decision.action === "request_info" ? await applicantLink(application) : {};
    await queueEmail({ to: application.applicantEmail, language, template: decision.action === "decline" ? "credit_decision" : "credit_info_requested", values: { name: application.applicantName, number: application.number, status: await statusLabel(language, nextStatus), message, details: message, ...answerAt } });
  }
  return { ok: true, outcome: decision.action === "decline" ? "declined" : "info_requested" };
}

// ───────────────────────────── escalations ─────────────────────────────

/**
 * Tells the level an escalation waits for: every active rep or manager at that level or
 * above gets an email in their language, with the proposal, the figure in the authority
 * currency (rate and date) and a link to decide. The escalation itself was claimed once
 * by a conditional update, so this runs once per escalation.
 */
async function notifyEscalation(application: CreditApplication, requiredLevel: StaffLevel, proposer: Pick<SessionUser, "name">) {
  const levels = await levelsAtOrAbove(requiredLevel);
  const staff = await db().user.findMany({ where: { staffLevel: { in: levels }, active: true, role: { in: ["REP", "MANAGER"] } }, select: { email: true, name: true, preferredLanguage: true, languages: true } });
  const amount = { amountMinor: toMinor(application.approvedLimitMinor), currency: application.currency ?? "USD" };
  const conversion = await convertWithDisclosure(amount, await authorityCurrency());
  const link = publicUrl(`/rep/credit/applications/${application.id}`);
  for (const member of staff) {
    const language: Language = isLanguage(member.preferredLanguage) ? member.preferredLanguage : (member.languages.find(isLanguage) ?? "en");
    const t = await translatorFor(language);
    const { locale } = formattingFor(language);
    await queueEmail({
      to: member.email,
      language,
      template: "credit_escalated",
      values: {
        name: member.name,
        number: application.number,
        company: application.companyName ?? application.applicantName,
        proposer: proposer.name,
        level: t(`credit:levels.${requiredLevel}`),
        limit: formatMoney(amount, locale),
        terms: t("credit:terms.net", { count: application.approvedTermsDays ?? 0 }),
        converted: conversion ? t("mail:credit_escalated.converted", { amount: formatMoney(conversion.to, locale), rate: conversion.rate, date: conversion.effectiveOn }) : "",
        link,
      },
    });
  }
}

// ───────────────────────────── customer answers ─────────────────────────────

export type OfferAnswer = { ok: true; outcome: "accepted" | "declined" | "first_user_needed" } | { ok: false; error: "not_found" | "not_available" | "offer_expired" };

/** A new company's application, reached through a status link (see status-links.server.ts). */
export async function applicationByStatusToken(token: string) {
  const id = await applicationIdForToken(token);
  if (!id) return null;
  return db().creditApplication.findUnique({
    where: { id },
    include: { events: { orderBy: { createdAt: "asc" } }, documents: { orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, kind: true } } },
  });
}

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
    await recordAudit({ actorId, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "offer_accepted", before: { status: "COUNTER_OFFERED" }, after: { status: "IN_REVIEW" } }, tx);
    return true;
  });
  if (!claimed) {
    const fresh = await db().creditApplication.findUnique({ where: { id: application.id }, select: { status: true, offerExpiresAt: true } });
    const expired = fresh?.status === "COUNTER_OFFERED" && fresh.offerExpiresAt !== null && fresh.offerExpiresAt.getTime() <= now.getTime();
    return { ok: false, error: expired ? "offer_expired" : "not_available" };
  }
  try {
    await approveApplication({ ...application, status: "IN_REVIEW" }, {
      limitMinor: toMinor(application.approvedLimitMinor),
      termsDays: application.approvedTermsDays ?? 0,
      actorId: application.decidedById,
      conditions: application.conditions,
    });
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
    const claim = await tx.creditApplication.updateMany({ where: { id: application.id, status: "COUNTER_OFFERED" }, data: { status: "WITHDRAWN", decidedAt: new Date() } });
    if (claim.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "offer_declined", message: reason || null, actorId } });
    await recordAudit({ actorId, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "offer_declined", before: { status: "COUNTER_OFFERED" }, after: { status: "WITHDRAWN", reason: reason || null } }, tx);
    if (application.accountId) await tx.accountNote.create({ data: { accountId: application.accountId, authorId: actorId, kind: "credit_decision", body: noteBody("Counter-offer declined by the customer", { application: application.number, reason: reason || "-" }) } });
    return true;
  });
  return done ? { ok: true, outcome: "declined" } : { ok: false, error: "not_available" };
}

/**
 * The applicant's answer to a question (and, optionally, a document stored by the same
 * upload path as the application form): the application goes back to review, once.
 */
async function provideInformation(application: Pick<CreditApplication, "id" | "accountId">, actorId: string | null, message: string, document?: { file: StoredFile; kind: DocumentKind }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const claimed = await tx.creditApplication.updateMany({ where: { id: application.id, status: "INFO_REQUESTED" }, data: { status: "IN_REVIEW" } });
    if (claimed.count !== 1) return false;
    await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "info_provided", message, actorId } });
    await recordAudit({ actorId, accountId: application.accountId, entity: "CreditApplication", entityId: application.id, action: "info_provided", before: { status: "INFO_REQUESTED" }, after: { status: "IN_REVIEW" } }, tx);
    if (document) {
      const doc = await tx.applicationDocument.create({ data: { applicationId: application.id, kind: document.kind, uploadedById: actorId, ...document.file } });
      await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "document_uploaded", message: document.file.fileName, actorId } });
      await recordAudit({ actorId, accountId: application.accountId, entity: "ApplicationDocument", entityId: doc.id, action: "uploaded", after: { applicationId: application.id, kind: document.kind, fileName: document.file.fileName, sizeBytes: document.file.sizeBytes } }, tx);
    }
    return true;
  });
}

/** A signed-in customer's answer to a counter-offer; the application must be their account's. */
export async function answerCounterOffer(accountId: string, applicationId: string, actorId: string, answer: { accept: true } | { accept: false; reason: string }): Promise<OfferAnswer> {
  const application = await db().creditApplication.findFirst({ where: { id: applicationId, accountId } });
  if (!application) return { ok: false, error: "not_found" };
  return answer.accept ? acceptOffer(application, actorId) : declineOffer(application, actorId, answer.reason);
}

export async function acceptCounterOffer(accountId: string, applicationId: string, actorId: string): Promise<boolean> {
  return (await answerCounterOffer(accountId, applicationId, actorId, { accept: true })).ok;
}

export async function answerInfoRequest(accountId: string, applicationId: string, actorId: string, message: string): Promise<boolean> {
  const application = await db().creditApplication.findFirst({ where: { id: applicationId, accountId }, select: { id: true, accountId: true } });
  return application ? provideInformation(application, actorId, message) : false;
}

/** A new company's answers, through its status link: the token is the only key. */
export async function answerCounterOfferByToken(token: string, answer: { accept: true } | { accept: false; reason: string }): Promise<OfferAnswer> {
  const application = await applicationByStatusToken(token);
  if (!application) return { ok: false, error: "not_found" };
  return answer.accept ? acceptOffer(application, null) : declineOffer(application, null, answer.reason);
}

export async function answerInfoRequestByToken(token: string, message: string, document?: { upload: CheckedUpload; kind: DocumentKind }): Promise<boolean> {
  const application = await applicationByStatusToken(token);
  if (!application) return false;
  if (!document) return provideInformation(application, null, message);
  // The file is written only once the answer is accepted, and removed again if it is not.
  const done = await storeUploadsFor([document.upload], async ([file]) => ((await provideInformation(application, null, message, { file, kind: document.kind })) ? true : null));
  return done === true;
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
        /** An escalation that needs this rep's level (or one below it): theirs to decide. */
        waitingForMyLevel: r.status === "ESCALATED" && Boolean(r.escalatedToLevel) && myRank >= (ranks.get(r.escalatedToLevel ?? "") ?? 99),
      };
    }),
  };
}

// ───────────────────────────── limit changes on existing accounts ─────────────────────────────

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
export async function changeAccountTerms(actor: SessionUser, accountId: string, change: { limitMinor: number; termsDays: number; reason: string }): Promise<LimitChangeResult> {
  const account = await db().account.findUnique({ where: { id: accountId }, include: { users: { where: { role: "CUSTOMER", active: true }, take: 1, orderBy: { createdAt: "asc" } } } });
  if (!account) return { ok: false, error: "not_found" };
  if (toMinor(account.creditLimitMinor) === change.limitMinor && account.paymentTermsDays === change.termsDays) return { ok: false, error: "unchanged" };
  const money = { amountMinor: change.limitMinor, currency: account.currency };
  const summary = await accountSummary(accountId);
  const byLimit = await checkAuthority(actor.staffLevel, "credit_limit", { amount: money });
  const byTerms = await checkAuthority(actor.staffLevel, "payment_terms", { days: change.termsDays });
  const byCut = await checkLimitCut(actor.staffLevel, { currentMinor: toMinor(account.creditLimitMinor), proposedMinor: change.limitMinor, exposureMinor: summary?.exposure.amountMinor ?? 0 });
  const before = { creditLimitMinor: account.creditLimitMinor, paymentTermsDays: account.paymentTermsDays };
  if (byLimit.allowed && byTerms.allowed && byCut.allowed) {
    const changed = await db().$transaction(async (tx) => {
      // Claimed on the limit and terms we read: a second copy of this change finds them changed.
      const claimed = await tx.account.updateMany({ where: { id: accountId, ...before }, data: { creditLimitMinor: BigInt(change.limitMinor), paymentTermsDays: change.termsDays } });
      if (claimed.count !== 1) return false;
      await recordAudit({ actorId: actor.id, accountId, entity: "Account", entityId: accountId, action: "credit_limit_changed", before, after: { creditLimitMinor: change.limitMinor, paymentTermsDays: change.termsDays, reason: change.reason } }, tx);
      await tx.accountNote.create({ data: { accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Limit/terms changed", { limit: noteMoney(change.limitMinor, account.currency), terms: `Net ${change.termsDays}`, reason: change.reason }) } });
      return true;
    }, CLAIM_TRANSACTION);
    return changed ? { ok: true, outcome: "changed" } : { ok: false, error: "changed_meanwhile" };
  }
  let requiredLevel: StaffLevel | null = null;
  for (const d of [byLimit, byTerms, byCut]) if (!d.allowed && d.requiredLevel && (await rankOf(d.requiredLevel)) > (await rankOf(requiredLevel))) requiredLevel = d.requiredLevel;
  requiredLevel ??= "MANAGER";
  const contact = account.users[0];
  const now = new Date();
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await db().$transaction(async (tx) => {
        // The account row is the claim: requests for one account wait here, and each sees what the one before it wrote.
        const [locked] = await tx.$queryRaw<{ creditLimitMinor: bigint; paymentTermsDays: number }[]>`SELECT "creditLimitMinor", "paymentTermsDays" FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
        if (!locked || BigInt(locked.creditLimitMinor) !== before.creditLimitMinor || locked.paymentTermsDays !== before.paymentTermsDays) return "changed_meanwhile" as const;
        const pending = await tx.creditApplication.findFirst({
          where: { accountId, status: "ESCALATED", requestedLimitMinor: BigInt(change.limitMinor), requestedTermsDays: change.termsDays, events: { some: { kind: "limit_change_requested" } } },
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
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "limit_change_requested", message: change.reason || null, actorId: actor.id } });
        await tx.creditApplicationEvent.create({ data: { applicationId: application.id, kind: "escalated", message: requiredLevel, actorId: actor.id } });
        await recordAudit({ actorId: actor.id, accountId, entity: "CreditApplication", entityId: application.id, action: "escalated", before, after: { status: "ESCALATED", requiredLevel, proposedLimitMinor: change.limitMinor, proposedTermsDays: change.termsDays } }, tx);
        await tx.accountNote.create({ data: { accountId, authorId: actor.id, kind: "credit_decision", body: noteBody("Limit/terms change escalated", { application: application.number, to: requiredLevel, limit: noteMoney(change.limitMinor, account.currency), terms: `Net ${change.termsDays}` }) } });
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
