import type { Language } from "../../i18n/config";
import { formattingFor, preferredFormatting, type Formatting } from "../../i18n/locale";
import { db } from "../../utils/db.server";

/**
 * How a customer or rep reads figures in mail and messages sent to them: their own
 * locale, else their account's, when it is one of the language the mail is written in
 * (the same rule as pages, `formattingFor`). Amounts in a Spanish email to a company in
 * Spain read 120.000,00 €, not the Mexican 120,000.00.
 */
export async function recipientFormatting(
  user: { locale?: string | null; timeZone?: string | null; accountId?: string | null },
  language: Language,
): Promise<Formatting> {
  const account = user.accountId ? await db().account.findUnique({ where: { id: user.accountId }, select: { locale: true, timeZone: true } }) : null;
  return formattingFor(language, preferredFormatting({ locale: user.locale, timeZone: user.timeZone, account }));
}

/** The same for mail about an account whose recipient is not a user (a conversation's guest-less account, a notice). */
export async function accountFormatting(accountId: string, language: Language): Promise<Formatting> {
  return recipientFormatting({ accountId }, language);
}
