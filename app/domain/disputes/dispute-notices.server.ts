/** The emails a customer gets about their dispute, in their language and number format. */
import { db } from "../../utils/db.server";
import { isLanguage, type Language } from "../../i18n/config";
import { mailReaderFor } from "../mail/recipient-formatting.server";
import { queueEmail } from "../mail/outbox.server";
import type { MailValue } from "../mail/outbox.server";

export async function notifyCustomer(
  disputeId: string,
  template: "dispute_reply" | "dispute_resolved" | "dispute_resolved_credit" | "dispute_rejected",
  extra: Record<string, MailValue> = {},
) {
  const d = await db().dispute.findUniqueOrThrow({
    where: { id: disputeId },
    include: { invoice: { select: { number: true, balanceMinor: true, currency: true } } },
  });
  const user =
    (d.openedById ? await db().user.findFirst({ where: { id: d.openedById, accountId: d.accountId } }) : null) ??
    (await db().user.findFirst({ where: { accountId: d.accountId, role: "CUSTOMER", active: true } }));
  if (!user) return;
  const language: Language = isLanguage(user.preferredLanguage) ? user.preferredLanguage : isLanguage(d.language) ? d.language : "en";
  await queueEmail({
    to: user.email,
    reader: await mailReaderFor(user, language),
    template,
    values: {
      name: user.name,
      number: d.number,
      invoice: d.invoice.number,
      balance: { amountMinor: d.invoice.balanceMinor, currency: d.invoice.currency },
      resolution: d.resolution ?? "",
      ...extra,
    },
  });
}
