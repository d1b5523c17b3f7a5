import { useTranslation } from "react-i18next";

/** On every record the payment sandbox made: it looks like a payment, but no money moved. */
export function SandboxBadge({ sandbox }: { sandbox: boolean }) {
  const { t } = useTranslation("payments");
  return sandbox ? (
    <span className="sandbox-badge" data-testid="sandbox-badge">
      {t("sandbox.badge")}
    </span>
  ) : null;
}
