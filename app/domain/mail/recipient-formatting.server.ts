import type { Language } from "../../i18n/config";
import { formattingFor, isTimeZone, preferredFormatting, type Formatting } from "../../i18n/locale";
import { teamTimeZone } from "../staff/time-zone.server";
import { db } from "../../utils/db.server";
import type { MailReader } from "./outbox.server";

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
  return mailReaderWith(user, account, language);
}

/** The same rule for a caller that has already read the account (payments applied in a batch). */
export function mailReaderWith(
  user: { locale?: string | null; timeZone?: string | null },
  account: { locale?: string | null; timeZone?: string | null } | null,
  language: Language,
): MailReader & Formatting {
  return { language, ...formattingFor(language, preferredFormatting({ locale: user.locale, timeZone: user.timeZone, account })) };
}

/** The same for mail about an account whose recipient is not a user (a conversation's guest-less account, a notice). */
export async function accountFormatting(accountId: string, language: Language): Promise<Formatting> {
  return recipientFormatting({ accountId }, language);
}

/**
 * The one way a mail's reader is resolved: the language it is written in and the
 * recipient's locale and time zone (their own, else their account's). Every
 * `queueEmail` takes the result as `reader`; the renderer formats amounts and dates in it.
 */
export async function mailReaderFor(
  user: { locale?: string | null; timeZone?: string | null; accountId?: string | null },
  language: Language,
): Promise<MailReader> {
  return { language, ...(await recipientFormatting(user, language)) };
}

/** The reader of mail about an account sent to an address that is not a user (billing addresses). */
export async function accountMailReader(accountId: string, language: Language): Promise<MailReader> {
  return { language, ...(await accountFormatting(accountId, language)) };
}

/** A staff member: their own locale and zone, else the language's locale and the team's zone (as on their pages). */
export async function staffMailReader(user: { locale?: string | null; timeZone?: string | null }, language: Language): Promise<MailReader> {
  const timeZone = isTimeZone(user.timeZone) ? user.timeZone : await teamTimeZone(language);
  return { language, ...formattingFor(language, { locale: user.locale, timeZone }) };
}
