/**
 * Credit application drafts: a customer's open draft, or a new company's reachable
 * only with the secret token kept in its cookie; what is typed is kept step by step.
 */
import crypto from "node:crypto";
import type { CreditApplication } from "../../generated/prisma/client";
import { type Language } from "../../i18n/config";
import { db } from "../../utils/db.server";
import type { SessionUser } from "../auth/session-user";
import type { Draft } from "./application-schema";
import { createWithNumber } from "./application-numbers.server";

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
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

function opensWith(application: CreditApplication, token: string): boolean {
  const access = (application.draft as Draft).__access;
  if (!access || access.length !== 64) return false;
  return crypto.timingSafeEqual(Buffer.from(access), Buffer.from(digest(token)));
}

export async function draftByToken(id: string, token: string): Promise<CreditApplication | null> {
  const application = await db().creditApplication.findUnique({ where: { id } });
  if (!application || application.accountId || application.status !== "DRAFT") return null;
  return opensWith(application, token) ? application : null;
}

/** Long enough for a double click's or a slow network's second post; not a way back in days later. */
const LATE_POST_MS = 5 * 60 * 1000;

/**
 * A new company's application that its draft cookie opened before it was submitted: a
 * second post of the final step (a double click) can arrive after the first submitted it.
 */
export async function submittedByToken(id: string, token: string): Promise<CreditApplication | null> {
  const application = await db().creditApplication.findUnique({ where: { id } });
  if (!application || application.status === "DRAFT" || !application.submittedAt) return null;
  if (Date.now() - application.submittedAt.getTime() > LATE_POST_MS) return null;
  return opensWith(application, token) ? application : null;
}

/** Keeps what was typed for a step (valid or not) so nothing is lost. */
export async function saveDraftValues(application: CreditApplication, values: Draft, currentStep?: number): Promise<CreditApplication> {
  const draft = { ...(application.draft as Draft), ...values };
  return db().creditApplication.update({
    where: { id: application.id },
    data: { draft, ...(currentStep ? { currentStep } : {}) },
  });
}
