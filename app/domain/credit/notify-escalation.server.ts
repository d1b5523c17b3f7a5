/** Telling the level an escalated application waits for. */
import type { CreditApplication, StaffLevel } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { formattingFor } from "../../i18n/locale";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";
import { levelsAtOrAbove } from "../authority/authority.server";
import type { SessionUser } from "../auth/session-user";
import { queueEmail } from "../mail/outbox.server";
import { staffMailReader } from "../mail/recipient-formatting.server";
import { formatMoney, toMinor } from "../money/money";
import { authorityCurrency, convertWithDisclosure } from "../fx/conversion.server";
import { publicUrl } from "../../utils/config.server";

/**
 * Tells the level an escalation waits for: every active rep or manager at that level or
 * above gets an email in their language, with the proposal, the figure in the authority
 * currency (rate and date) and a link to decide. The escalation itself was claimed once
 * by a conditional update, so this runs once per escalation.
 */
export async function notifyEscalation(application: CreditApplication, requiredLevel: StaffLevel, proposer: Pick<SessionUser, "name">) {
  const levels = await levelsAtOrAbove(requiredLevel);
  const staff = await db().user.findMany({
    where: { staffLevel: { in: levels }, active: true, role: { in: ["REP", "MANAGER"] } },
    select: { email: true, name: true, preferredLanguage: true, languages: true, locale: true, timeZone: true },
  });
  const amount = { amountMinor: toMinor(application.approvedLimitMinor), currency: application.currency ?? "USD" };
  const conversion = await convertWithDisclosure(amount, await authorityCurrency());
  const link = publicUrl(`/rep/credit/applications/${application.id}`);
  for (const member of staff) {
    const language: Language = isLanguage(member.preferredLanguage) ? member.preferredLanguage : (member.languages.find(isLanguage) ?? "en");
    const t = await translatorFor(language);
    const { locale } = formattingFor(language, { locale: member.locale });
    await queueEmail({
      to: member.email,
      reader: await staffMailReader(member, language),
      template: "credit_escalated",
      values: {
        name: member.name,
        number: application.number,
        company: application.companyName ?? application.applicantName,
        proposer: proposer.name,
        level: t(`credit:levels.${requiredLevel}`),
        limit: formatMoney(amount, locale),
        terms: t("credit:terms.net", { count: application.approvedTermsDays ?? 0 }),
        converted: conversion
          ? t("mail:credit_escalated.converted", { amount: formatMoney(conversion.to, locale), rate: conversion.rate, date: conversion.effectiveOn })
          : "",
        link,
      },
    });
  }
}
