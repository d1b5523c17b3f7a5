import { useTranslation } from "react-i18next";
import type { ChatStatus } from "../../../domain/chat/events";
import { useFormat } from "../../../i18n/format";

export function StatusLine({ status }: { status: ChatStatus | null }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  if (!status) return null;
  let text = "";
  if (status.state === "queued") text = t("widget.queued", { position: status.position, minutes: Math.max(1, Math.round(status.estimatedWaitSeconds / 60)) });
  else if (status.state === "assigned") text = t("widget.assigned", { name: status.repName });
  else if (status.state === "offline")
    text =
      status.reason === "outside_hours"
        ? status.reopensAt
          ? t("widget.offlineHoursUntil", { when: f.dateTime(status.reopensAt) })
          : t("widget.offlineHours")
        : t("widget.offlineNoRep");
  else if (status.state === "email") text = t("widget.emailState");
  else text = t("widget.closedNote");
  return (
    <p className="chat-status" role="status" data-testid="chat-status">
      {text}
    </p>
  );
}
