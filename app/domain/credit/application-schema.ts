/**
 * The credit application, step by step: one zod schema per step, shared by the
 * server and the browser. Messages are translation keys in the `credit` namespace.
 */
import { z } from "zod";
import { freeText } from "../../utils/forms";
import { fieldErrorsOf, type FieldErrors } from "../../utils/forms";
import { amountErrorKey, parseAmountInput } from "../money/amount-input";
import type { DocumentKind } from "../../generated/prisma/client";
import type { SubmitInput } from "./submit-application.server";
import { isValidSpanishTaxId } from "../accounts/tax-id";
import { requestCeilingError, type RequestCeilingPolicy } from "./request-ceiling";

export const APPLICATION_COUNTRIES = ["US", "MX", "ES"] as const;
export const APPLICATION_CURRENCIES = ["USD", "MXN", "EUR"] as const;
/** The payment terms an applicant may ask for. */
export const TERMS_OPTIONS = [15, 30, 45, 60] as const;
/** The payment terms a rep may set (whether their level may is the authority rules' answer). */
export const GRANTABLE_TERMS_DAYS = [0, 15, 30, 45, 60, 90, 120] as const;
export const grantableTermsDays = z.enum(GRANTABLE_TERMS_DAYS.map(String) as [string, ...string[]], "credit:errors.termsInvalid").transform(Number);
/** What a document attached to an application may be. */
export const DOCUMENT_KINDS = ["FINANCIAL_STATEMENT", "TAX_CERTIFICATE", "BANK_LETTER", "OTHER"] as const satisfies readonly DocumentKind[];
export const STEPS = ["company", "references", "request", "sign"] as const;
export type StepId = (typeof STEPS)[number];

/** Tax id rules per country: US EIN (NN-NNNNNNN), MX RFC, ES NIF/NIE/CIF. */
export function isValidTaxId(country: string, raw: string): boolean {
  const value = raw.trim().toUpperCase();
  if (country === "US") return /^\d{2}-\d{7}$/.test(value);
  if (country === "MX") {
    const m = /^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z\d]{2}[A\d])$/.exec(value);
    if (!m) return false;
    const month = Number(m[3]);
    const day = Number(m[4]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  if (country === "ES") return isValidSpanishTaxId(value);
  return false;
}

const text = (max: number, requiredKey = "credit:errors.required") => freeText().trim().min(1, requiredKey).max(max, "credit:errors.tooLong");
const optionalText = (max: number) => freeText().trim().max(max, "credit:errors.tooLong").optional().default("");
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, "credit:errors.required")
    .regex(/^\d{1,9}$/, "credit:errors.wholeNumber")
    .transform(Number)
    .pipe(z.number().min(min, "credit:errors.outOfRange").max(max, "credit:errors.outOfRange"));

/** Amounts are parsed by the caller (locale-aware) — here they must be present. */
const amountText = freeText().trim().min(1, "credit:errors.required").max(30, "credit:errors.amountInvalid");

export const applicantSchema = z.object({
  applicantName: text(120),
  applicantEmail: z.string().trim().min(1, "credit:errors.required").max(254, "credit:errors.emailInvalid").pipe(z.email("credit:errors.emailInvalid")),
});

export const companySchema = z
  .object({
    companyName: text(160),
    country: z.enum(APPLICATION_COUNTRIES, "credit:errors.countryInvalid"),
    currency: z.enum(APPLICATION_CURRENCIES, "credit:errors.currencyInvalid"),
    taxId: text(20),
    addressLine1: text(160),
    city: text(80),
    region: text(80),
    postalCode: text(12),
    yearsInBusiness: wholeNumber(0, 300),
    annualRevenue: amountText,
  })
  .superRefine((v, ctx) => {
    if (v.taxId && !isValidTaxId(v.country, v.taxId)) ctx.addIssue({ code: "custom", path: ["taxId"], message: `credit:errors.taxIdInvalid.${v.country}` });
  });

export const referencesSchema = z.object({
  ref1Company: text(160),
  ref1Contact: text(120),
  ref1Email: z.string().trim().min(1, "credit:errors.required").max(254, "credit:errors.emailInvalid").pipe(z.email("credit:errors.emailInvalid")),
  ref2Company: text(160),
  ref2Contact: text(120),
  ref2Email: z.string().trim().min(1, "credit:errors.required").max(254, "credit:errors.emailInvalid").pipe(z.email("credit:errors.emailInvalid")),
  bankName: text(120),
  bankAccountLast4: z
    .string()
    .trim()
    .regex(/^\d{4}$/, "credit:errors.last4"),
  bankContact: optionalText(120),
});

export const requestSchema = z.object({
  requestedLimit: amountText,
  requestedTermsDays: z.enum(TERMS_OPTIONS.map(String) as [string, ...string[]], "credit:errors.termsInvalid").transform(Number),
});

export const signSchema = z.object({
  signatureName: text(120),
  authorize: z.literal("yes", "credit:errors.mustAuthorize"),
});

export const STEP_SCHEMAS = { company: companySchema, references: referencesSchema, request: requestSchema, sign: signSchema } as const;

/** Field names each step owns, so a step's raw values can be kept in the draft. */
export const STEP_FIELDS: Record<StepId, string[]> = {
  company: [
    "applicantName",
    "applicantEmail",
    "companyName",
    "country",
    "currency",
    "taxId",
    "addressLine1",
    "city",
    "region",
    "postalCode",
    "yearsInBusiness",
    "annualRevenue",
  ],
  references: ["ref1Company", "ref1Contact", "ref1Email", "ref2Company", "ref2Contact", "ref2Email", "bankName", "bankAccountLast4", "bankContact"],
  request: ["requestedLimit", "requestedTermsDays"],
  sign: ["signatureName", "authorize"],
};

export type Draft = Record<string, string>;

/** Validates one step's raw values; amounts are read in the applicant's locale and the draft's currency. */
export function validateStep(
  step: StepId,
  values: Draft,
  options: { newCompany: boolean; locale: string; currency?: string; ceiling?: RequestCeilingPolicy },
): FieldErrors {
  const errors: FieldErrors = {};
  if (step === "company" && options.newCompany) {
    const applicant = applicantSchema.safeParse(values);
    if (!applicant.success) Object.assign(errors, fieldErrorsOf(applicant.error));
  }
  const parsed = STEP_SCHEMAS[step].safeParse(values);
  if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error));
  const currency = step === "company" ? values.currency : options.currency;
  const amountField = step === "company" ? "annualRevenue" : step === "request" ? "requestedLimit" : null;
  if (amountField && !errors[amountField] && currency && (APPLICATION_CURRENCIES as readonly string[]).includes(currency)) {
    const read = parseAmountInput(values[amountField] ?? "", options.locale, currency);
    if (!read.ok) errors[amountField] = amountErrorKey(read.error, options.locale);
    else if (read.amountMinor <= 0) errors[amountField] = "credit:errors.amountInvalid";
    else if (amountField === "requestedLimit" && options.ceiling) {
      const revenue = parseAmountInput(values.annualRevenue ?? "", options.locale, currency);
      const refused = requestCeilingError(options.ceiling, read.amountMinor, revenue.ok ? revenue.amountMinor : null, currency);
      if (refused) errors[amountField] = refused;
    }
  }
  return errors;
}

/** An amount `validateStep` already accepted. */
function amountOf(text: string, currency: string, locale: string): number {
  const read = parseAmountInput(text, locale, currency);
  if (!read.ok) throw new Error(`amount checked by validateStep is unreadable: ${read.error}`);
  return read.amountMinor;
}

/** The whole draft, checked step by step: the first step with errors, or the submission. */
export function completeDraft(
  draft: Draft,
  options: { newCompany: boolean; locale: string; ceiling?: RequestCeilingPolicy },
):
  | { ok: false; step: StepId }
  | { ok: true; input: Omit<SubmitInput, "applicantName" | "applicantEmail"> & { applicantName?: string; applicantEmail?: string } } {
  for (const step of STEPS) {
    const errors = validateStep(step, draft, { ...options, currency: draft.currency });
    if (Object.keys(errors).length) return { ok: false, step };
  }
  const company = companySchema.parse(draft);
  const refs = referencesSchema.parse(draft);
  const req = requestSchema.parse(draft);
  const sign = signSchema.parse(draft);
  const applicant = options.newCompany ? applicantSchema.parse(draft) : undefined;
  return {
    ok: true,
    input: {
      applicantName: applicant?.applicantName,
      applicantEmail: applicant?.applicantEmail,
      companyName: company.companyName,
      country: company.country,
      currency: company.currency,
      taxId: company.taxId,
      addressLine1: company.addressLine1,
      city: company.city,
      region: company.region,
      postalCode: company.postalCode,
      yearsInBusiness: company.yearsInBusiness,
      annualRevenueMinor: amountOf(company.annualRevenue, company.currency, options.locale),
      requestedLimitMinor: amountOf(req.requestedLimit, company.currency, options.locale),
      requestedTermsDays: req.requestedTermsDays,
      references: [
        { companyName: refs.ref1Company, contactName: refs.ref1Contact, email: refs.ref1Email },
        { companyName: refs.ref2Company, contactName: refs.ref2Contact, email: refs.ref2Email },
      ],
      bankName: refs.bankName,
      bankAccountLast4: refs.bankAccountLast4,
      bankContact: refs.bankContact,
      signatureName: sign.signatureName,
    },
  };
}
