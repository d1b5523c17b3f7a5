import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { useCustomerChat } from "./use-customer-chat";
import { MessageTime } from "../message-time";
import { PortalLinks } from "./portal-links";
import { useFormat } from "../../../i18n/format";
import { storedText } from "../../../i18n/stored-event";
import { ChatCardView } from "../chat-card";

type Chat = ReturnType<typeof useCustomerChat>;

/** The conversation's messages (as text, or as a card when a rep's action sent one), then the customer's own still being sent or failed, with a retry. */
export function MessageList({ chat, nobodyComing = false }: { chat: Pick<Chat, "messages" | "pending" | "retry">; nobodyComing?: boolean }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const logRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView?.({ block: "nearest" });
  }, [chat.messages.length, chat.pending.length]);

  return (
    <ol className="chat-log" aria-label={t("widget.log")} aria-live="polite" ref={logRef}>
      {/* The opening line ("finding the right person") is the thread's first system line; with nobody coming it would mislead. */}
      {chat.messages
        .filter((m, i) => !(nobodyComing && i === 0 && m.authorKind === "SYSTEM"))
        .map((m) => (
          <li key={m.key} className={`chat-msg from-${m.authorKind.toLowerCase()}`} data-testid="chat-message">
            {m.authorKind === "SYSTEM" ? null : <span className="chat-author">{m.authorKind === "CUSTOMER" ? t("widget.you") : t("widget.agent")}</span>}
            {m.authorKind !== "CUSTOMER" && m.event?.card ? (
              <ChatCardView card={m.event.card} side="customer" />
            ) : (
              <span className="chat-body">{m.authorKind === "CUSTOMER" ? m.body : <PortalLinks text={storedText(m, t, f)} />}</span>
            )}
            <MessageTime at={m.createdAt} />
            {m.authorKind === "CUSTOMER" ? <span className="chat-mark">{m.readAt ? t("widget.read") : m.deliveredAt ? t("widget.delivered") : ""}</span> : null}
          </li>
        ))}
      {chat.pending.map((p) => (
        <li key={p.clientMessageId} className={`chat-msg from-customer ${p.state === "failed" ? "failed" : "pending"}`} data-testid="chat-outgoing">
          <span className="chat-author">{t("widget.you")}</span>
          <span className="chat-body">{p.body}</span>
          {p.state === "failed" ? (
            <span className="chat-mark">
              {t("widget.failed")}{" "}
              <button type="button" className="button-link" onClick={chat.retry}>
                {t("widget.retry")}
              </button>
            </span>
          ) : (
            <span className="chat-mark">{p.error === "chat:errors.rateLimited" ? t("widget.waiting") : t("widget.sending")}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
