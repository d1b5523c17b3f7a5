/** What the emails to an applicant say: their language, where to act, and the offer's figures in their own formats. */
import type { CreditApplication } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { applicantFormattingFor } from "../../i18n/locale";
import { mailDay, mailText, type MailReader, type MailValue } from "../mail/outbox.server";
import { publicUrl } from "../../utils/config.server";
import { issueStatusLink } from "./status-links.server";

export function languageOf(application: Pick<CreditApplication, "language">): Language {
  return isLanguage(application.language) ? application.language : "en";
}

/**
 * Where an email sends the applicant to act, and how to get in: a customer signs in and
 * opens Credit; a new company (no sign-in yet) gets a personal status link.
 */
/** Who reads an applicant's mail: a new company has no account yet, so its country says how it writes numbers and which clock it reads. */
export function applicantMailReader(application: Pick<CreditApplication, "language" | "country">): MailReader {
  const language = languageOf(application);
  return { language, ...applicantFormattingFor(application.country, language) };
}

export async function applicantLink(application: Pick<CreditApplication, "id" | "accountId" | "language">): Promise<Record<string, MailValue>> {
  const base = publicUrl("");
  if (application.accountId) return { link: `${base}/credit`, note: mailText("mail:credit_links.signIn") };
  return { link: `${base}${await issueStatusLink(application.id)}`, note: mailText("mail:credit_links.personal") };
}

export async function offerValues(
  application: Pick<CreditApplication, "language" | "currency" | "country">,
  offer: { limitMinor: number; termsDays: number; conditions?: string | null; reason?: string | null; expiresAt?: Date | null },
) {
  // Rendered for the applicant's reader (applicantMailReader) by the mail renderer.
  const values: Record<string, MailValue> = {
    limit: { amountMinor: offer.limitMinor, currency: application.currency ?? "USD" },
    terms: mailText("credit:terms.net", { count: offer.termsDays }),
    conditions: offer.conditions ? mailText("mail:credit_links.conditions", { conditions: offer.conditions }) : "",
    reason: offer.reason ? mailText("mail:credit_links.reason", { reason: offer.reason }) : "",
    expires: offer.expiresAt ? mailDay(offer.expiresAt, "long", true) : "",
  };
  return values;
}
