import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import type { AccountGlance } from "../../../domain/chat/account-glance.server";
import { fillPlaceholders } from "../../../domain/chat/canned";
import type { ConsoleData } from "../../../domain/chat/console.server";
import { shownMessages, type OutgoingMessage } from "../../../domain/chat/thread";
import { formatMoney } from "../../../domain/money/money";
import { isLanguage } from "../../../i18n/config";
import { useFormat } from "../../../i18n/format";
import { formattingFor } from "../../../i18n/locale";
import { typingOut as typingOutOf, type ChatSocket } from "../socket-client";
import { AccountGlancePanel } from "./account-glance";
import { ActPanel } from "./act-panel";
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
}) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { item, thread } = chat;
  const [draft, setDraft] = useState("");
  const [internal, setInternal] = useState(false);
  const glance = useFetcher<AccountGlance>();
  const email = item.channel === "EMAIL";
  const mine = (item.status === "ASSIGNED" && item.assignedRepId === meId) || (email && item.status !== "CLOSED");
  const cannedHere = canned.filter((c) => c.language === item.language);
  const [invoiceId, setInvoiceId] = useState("");
  const [typingOut] = useState(() => typingOutOf("console", () => socket, () => item.id));
  // Leaving the conversation (another tab, closing it) stops typing.
  useEffect(() => () => typingOut.stop(), [typingOut]);

  useEffect(() => {
    if (item.accountId && glance.state === "idle" && !glance.data) glance.load(`/rep/chat/accounts/${item.accountId}`);
  }, [item.accountId, glance]);

  // Mark the customer's messages read while this conversation is on screen.
  useEffect(() => {
    const last = thread.stored.filter((m) => m.authorKind === "CUSTOMER").at(-1);
    if (mine && last && !last.readAt) onRead(item.id, last.seq);
  }, [thread.stored, mine, onRead, item.id]);

  const invoices = glance.data?.invoices ?? [];
  const chosenInvoice = invoices.find((i) => i.id === invoiceId) ?? invoices.find((i) => i.number === item.invoiceRef) ?? invoices.find((i) => i.pastDue) ?? invoices[0];

  function insertCanned(id: string) {
    const c = cannedHere.find((x) => x.id === id);
    if (!c) return;
    setDraft(
      fillPlaceholders(c.body, {
        customerName: item.customerName,
        invoiceNumber: chosenInvoice?.number ?? item.invoiceRef ?? "",
        // The amount in the invoice's (the account's) currency, written the way the customer reads numbers.
        amount: chosenInvoice ? formatMoney(chosenInvoice.balance, formattingFor(isLanguage(item.language) ? item.language : "en", { locale: glance.data?.summary.account.locale }).locale) : "",
      }),
    );
  }

  function send(e: React.FormEvent) {
    e.preventDefault();
    const body = draft.trim();
    if (!body) return;
    typingOut.stop();
    // Queued in order and sent when the server takes it; a failure shows on the message, with a retry.
    onSend(body, internal || !mine);
    setDraft("");
  }

  return (
    <div className="conversation-grid">
      <article className="panel conversation" aria-labelledby={`conv-${item.id}`} data-testid="rep-conversation">
        <h2 id={`conv-${item.id}`}>{item.customerName || t("console.guest")}</h2>
        <p className="eyebrow">
          {t("console.topic", { topic: t(`topics.${item.topic}`) })} · {t("console.language", { language: t(`console.languageNames.${item.language}`, { defaultValue: item.language }) })}
          {item.invoiceRef ? ` · ${t("console.invoiceRef", { ref: item.invoiceRef })}` : ""}
        </p>
        <ol className="chat-log" aria-label={t("widget.log")}>
          {shownMessages(thread).map((m) => (
            <li key={m.key} className={`chat-msg from-${m.authorKind.toLowerCase()}${m.internal ? " internal" : ""}`} data-testid="rep-message">
              {m.internal ? <span className="chat-author">{t("console.internalLabel")}</span> : null}
              {!m.internal && m.authorKind === "CUSTOMER" ? <span className="chat-author">{item.customerName || t("console.customer")}</span> : null}
              <span className="chat-body">{m.body}</span>
              {m.authorKind === "REP" && !m.internal ? <span className="chat-mark">{m.readAt ? t("console.read") : m.deliveredAt ? t("console.delivered") : ""}</span> : null}
            </li>
          ))}
          {pending.map((m) => (
            <li key={m.clientMessageId} className={`chat-msg from-rep${m.internal ? " internal" : ""} ${m.state === "failed" ? "failed" : "pending"}`} data-testid="rep-outgoing">
              {m.internal ? <span className="chat-author">{t("console.internalLabel")}</span> : null}
              <span className="chat-body">{m.body}</span>
              {m.state === "failed" ? (
                <span className="chat-mark">
                  {t("console.failed", { reason: m.error ? t(m.error) : "" })}{" "}
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
            {cannedHere.length ? (
              <div className="inline-form">
                {invoices.length ? (
                  <>
                    <label htmlFor={`inv-${item.id}`}>{t("console.cannedInvoice")}</label>
                    <select id={`inv-${item.id}`} value={chosenInvoice?.id ?? ""} onChange={(e) => setInvoiceId(e.target.value)}>
                      {invoices.map((i) => (
                        <option key={i.id} value={i.id}>
                          {i.number} · {f.money(i.balance)}
                        </option>
                      ))}
                    </select>
                  </>
                ) : null}
                <label htmlFor={`canned-${item.id}`}>{t("console.canned")}</label>
                <select id={`canned-${item.id}`} defaultValue="" onChange={(e) => insertCanned(e.target.value)}>
                  <option value="" disabled>
                    —
                  </option>
                  {cannedHere.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <form onSubmit={send} className="chat-compose rep">
              <label htmlFor={`reply-${item.id}`} className="visually-hidden">
                {t("console.reply")}
              </label>
              <textarea
                id={`reply-${item.id}`}
                rows={3}
                maxLength={4000}
                value={draft}
                onChange={(e) => {
                  setDraft(e.target.value);
                  if (mine && !internal) typingOut.keystroke();
                }}
              />
              <label className="checkbox">
                <input type="checkbox" checked={internal || !mine} disabled={!mine} onChange={(e) => setInternal(e.target.checked)} /> {t("console.internal")}
              </label>
              <button type="submit" className="button primary">
                {t("console.send")}
              </button>
            </form>
            {mine ? <TransferAndClose item={item} socket={socket} reps={reps.filter((r) => r.id !== meId && r.languages.includes(item.language))} onError={onError} /> : null}
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
