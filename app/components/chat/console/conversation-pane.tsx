import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import type { AccountGlance } from "../../../domain/chat/account-glance.server";
import type { ConsoleData } from "../../../domain/chat/console.server";
import { MESSAGE_MAX_LENGTH } from "../../../domain/chat/schemas";
import { shownMessages, type OutgoingMessage } from "../../../domain/chat/thread";
import { useFormat } from "../../../i18n/format";
import { storedText } from "../../../i18n/stored-event";
import { ChatCardView } from "../chat-card";
import type { ChatSocket } from "../socket-client";
import { MessageTime } from "../message-time";
import { AccountGlancePanel } from "./account-glance";
import { ActPanel } from "./act-panel";
import { Composer } from "./composer";
import { TransferAndClose } from "./transfer-and-close";
import type { OpenChat } from "./use-console";

/** One open conversation: the thread, the reply box with canned replies, hand-off and close, acting for the customer, and the account beside it. */
export function ConversationPane({
  chat,
  socket,
  meId,
  manager,
  canned,
  reps,
  pending,
  onSend,
  onRetry,
  onRead,
  onError,
  onClosed,
}: {
  chat: OpenChat;
  socket: ChatSocket;
  meId: string;
  manager: boolean;
  canned: ConsoleData["canned"];
  reps: ConsoleData["reps"];
  pending: OutgoingMessage[];
  onSend: (body: string, internal: boolean) => void;
  onRetry: () => void;
  onRead: (conversationId: string, seq: string) => void;
  onError: (e: string) => void;
  onClosed: (conversationId: string) => void;
}) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { item, thread } = chat;
  const glance = useFetcher<AccountGlance>();
  const email = item.channel === "EMAIL";
  const mine = (item.status === "ASSIGNED" && item.assignedRepId === meId) || (email && item.status !== "CLOSED");
  useEffect(() => {
    if (item.accountId && glance.state === "idle" && !glance.data) glance.load(`/rep/chat/accounts/${item.accountId}`);
  }, [item.accountId, glance]);

  // Mark the customer's messages read while this conversation is on screen.
  useEffect(() => {
    const last = thread.stored.filter((m) => m.authorKind === "CUSTOMER").at(-1);
    if (mine && last && !last.readAt) onRead(item.id, last.seq);
  }, [thread.stored, mine, onRead, item.id]);

  return (
    <div className="conversation-grid">
      <article className="panel conversation" aria-labelledby={`conv-${item.id}`} data-testid="rep-conversation">
        <h2 id={`conv-${item.id}`}>{item.customerName || t("console.guest")}</h2>
        <p className="eyebrow">
          {t("console.topic", { topic: t(`topics.${item.topic}`) })} ·{" "}
          {t("console.language", { language: t(`console.languageNames.${item.language}`, { defaultValue: item.language }) })}
          {item.invoiceRef ? ` · ${t("console.invoiceRef", { ref: item.invoiceRef })}` : ""}
        </p>
        <ol className="chat-log" aria-label={t("widget.log")}>
          {shownMessages(thread).map((m) => (
            <li
              key={m.key}
              className={`chat-msg from-${m.authorKind.toLowerCase()}${m.internal ? " internal" : ""}${m.authorKind === "REP" && m.authorId === meId ? " own" : ""}`}
              data-testid="rep-message"
            >
              {m.internal ? <span className="chat-author">{t("console.internalLabel")}</span> : null}
              {!m.internal && m.authorKind === "CUSTOMER" ? <span className="chat-author">{item.customerName || t("console.customer")}</span> : null}
              {m.event?.card ? (
                <ChatCardView card={m.event.card} side="rep" accountId={item.accountId} />
              ) : (
                <span className="chat-body">{storedText(m, t, f)}</span>
              )}
              <MessageTime at={m.createdAt} />
              {m.authorKind === "REP" && !m.internal ? (
                <span className="chat-mark">{m.readAt ? t("console.read") : m.deliveredAt ? t("console.delivered") : ""}</span>
              ) : null}
            </li>
          ))}
          {pending.map((m) => (
            <li
              key={m.clientMessageId}
              className={`chat-msg from-rep${m.internal ? " internal" : ""} ${m.state === "failed" ? "failed" : "pending"}`}
              data-testid="rep-outgoing"
            >
              {m.internal ? <span className="chat-author">{t("console.internalLabel")}</span> : null}
              <span className="chat-body">{m.body}</span>
              {m.state === "failed" ? (
                <span className="chat-mark">
                  {t("console.failed", { reason: m.error ? t(m.error, { max: f.number(MESSAGE_MAX_LENGTH) }) : "" })}{" "}
                  <button type="button" className="button-link" onClick={onRetry}>
                    {t("console.retry")}
                  </button>
                </span>
              ) : (
                <span className="chat-mark">{m.error === "chat:errors.rateLimited" ? t("console.waiting") : t("console.sending")}</span>
              )}
            </li>
          ))}
        </ol>
        {chat.customerTyping ? <p className="note">{t("console.typing")}</p> : null}
        {email ? <p className="note">{t("console.emailReplyHint")}</p> : null}
        {item.status !== "CLOSED" ? (
          <>
            <Composer item={chat.item} mine={mine} canned={canned} glance={glance.data} socket={socket} onSend={onSend} />
            {mine ? (
              <TransferAndClose
                item={item}
                socket={socket}
                reps={reps.filter((r) => r.id !== meId && r.languages.includes(item.language))}
                onError={onError}
                onClosed={onClosed}
              />
            ) : null}
          </>
        ) : null}
        {/* Acting for the customer: the rep who has the chat, or a manager; only with a real account behind it. */}
        {item.status !== "CLOSED" && item.accountId && (item.assignedRepId === meId || manager) ? (
          <ActPanel conversationId={item.id} onDone={() => item.accountId && glance.load(`/rep/chat/accounts/${item.accountId}`)} />
        ) : null}
      </article>
      <aside className="panel glance" aria-labelledby={`glance-${item.id}`} data-testid="account-glance">
        <h2 id={`glance-${item.id}`}>{t("console.glance.title")}</h2>
        {!item.accountId ? <p className="note">{t("console.glance.noAccount")}</p> : null}
        {glance.data ? <AccountGlancePanel glance={glance.data} /> : null}
      </aside>
    </div>
  );
}
