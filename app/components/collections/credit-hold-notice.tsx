import { useTranslation } from "react-i18next";
import { FormAlerts } from "../form-alerts";

/** Why the account is on credit hold, translated from its stored reason code, for the customer or a rep. */
export function CreditHoldNotice({ account, audience }: { account: { status: string; statusReason: string | null }; audience: "customer" | "rep" }) {
  const { t } = useTranslation("dunning");
  if (account.status !== "CREDIT_HOLD") return null;
  const reason = t(`creditHold.reasons.${account.statusReason ?? "other"}`, { defaultValue: t("creditHold.reasons.other") });
  return <FormAlerts warning={t(`creditHold.${audience}`, { reason })} />;
}
