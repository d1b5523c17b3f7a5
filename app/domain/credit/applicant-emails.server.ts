/** What the emails to an applicant say: their language, where to act, and the offer's figures in their own formats. */
import type { CreditApplication } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { accountFormattingFor, formattingFor } from "../../i18n/locale";
import { translatorFor } from "../../i18n/i18n.server";
import { formatMoney } from "../money/money";
import { publicUrl } from "../../utils/config.server";
import { issueStatusLink } from "./status-links.server";

export function languageOf(application: Pick<CreditApplication, "language">): Language {
  return isLanguage(application.language) ? application.language : "en";
}

/**
 * Where an email sends the applicant to act, and how to get in: a customer signs in and
 * opens Credit; a new company (no sign-in yet) gets a personal status link.
 */
export async function applicantLink(application: Pick<CreditApplication, "id" | "accountId" | "language">) {
  const t = await translatorFor(languageOf(application));
  const base = publicUrl("");
  if (application.accountId) return { link: `${base}/credit`, note: t("mail:credit_links.signIn") };
  return { link: `${base}${await issueStatusLink(application.id)}`, note: t("mail:credit_links.personal") };
}

export async function offerValues(
  application: Pick<CreditApplication, "language" | "currency" | "country">,
  offer: { limitMinor: number; termsDays: number; conditions?: string | null; reason?: string | null; expiresAt?: Date | null },
) {
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

export async function statusLabel(language: Language, status: string) {
  const t = await translatorFor(language);
  return t(`credit:status.${status}`);
}
