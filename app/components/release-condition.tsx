import { useTranslation } from "react-i18next";
import type { ReleaseCondition } from "../domain/credit/hold-release";
import { releaseConditionText } from "../domain/credit/hold-release";
import { useFormat } from "../i18n/format";

/** What releases a held order, in the reader's words: the same rule the payment webhook releases by. */
export function ReleaseConditionText({ condition, reader = "customer" }: { condition: ReleaseCondition; reader?: "customer" | "staff" }) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const text = releaseConditionText(condition, f.money, reader);
  return <span data-testid="release-condition">{t(text.key, text.values)}</span>;
}
