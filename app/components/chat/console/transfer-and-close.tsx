import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { InboxItem } from "../../../domain/chat/events";
import { DISPOSITIONS } from "../../../domain/chat/schemas";
import type { ChatSocket } from "../socket-client";

/** The assigned rep hands the chat on (to a colleague or back to the queue) or closes it with a disposition. */
export function TransferAndClose({
  item,
  socket,
  reps,
  onError,
  onClosed,
}: {
  item: InboxItem;
  socket: ChatSocket;
  reps: { id: string; name: string }[];
  onError: (e: string) => void;
  onClosed: (conversationId: string) => void;
}) {
  const { t } = useTranslation("chat");
  const [target, setTarget] = useState("");
  const [disposition, setDisposition] = useState<string>("resolved");
  return (
    <div className="chat-actions">
      {item.channel === "CHAT" ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            socket.emit("console:transfer", { conversationId: item.id, toRepId: target || null }, (reply) => {
              if ("error" in reply) onError(reply.error);
            });
          }}
        >
          <label htmlFor={`transfer-${item.id}`}>{t("console.transfer")}</label>
          <select id={`transfer-${item.id}`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t("console.toQueue")}</option>
            {reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button">
            {t("console.doTransfer")}
          </button>
        </form>
      ) : null}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          socket.emit("console:close", { conversationId: item.id, disposition }, (reply) => {
            if ("error" in reply) onError(reply.error);
            // Closed: its tab goes, so the bar holds only chats still to work on.
            else onClosed(item.id);
          });
        }}
      >
        <label htmlFor={`disposition-${item.id}`}>{t("console.disposition")}</label>
        <select id={`disposition-${item.id}`} value={disposition} onChange={(e) => setDisposition(e.target.value)}>
          {DISPOSITIONS.map((d) => (
            <option key={d} value={d}>
              {t(`dispositions.${d}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("console.closeConfirm")}
        </button>
      </form>
    </div>
  );
}
