import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Topic } from "../../../domain/chat/events";
import { MESSAGE_MAX_LENGTH } from "../../../domain/chat/schemas";
import { useFormat } from "../../../i18n/format";
import { Composer, LeaveMessageForm } from "./composer";
import { MessageList } from "./message-list";
import { StartForm } from "./start-form";
import { StatusLine } from "./status-line";
import { useCustomerChat } from "./use-customer-chat";

/** The conversation itself: messages (always as text), status, typing, composer. */
export function ChatThread({ mode, guestConversationId }: { mode: "customer" | "guest"; guestConversationId?: string }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const chat = useCustomerChat(mode, guestConversationId);
  // The drafts live here, not in the forms, so they outlast the forms coming and going.
  const [draft, setDraft] = useState("");
  const [topic, setTopic] = useState<Topic>("OTHER");
  const [invoiceRef, setInvoiceRef] = useState("");
  const [offlineDraft, setOfflineDraft] = useState("");
  const [transcriptSent, setTranscriptSent] = useState(false);

  if (!chat.conversation && mode === "customer") {
    return <StartForm topic={topic} setTopic={setTopic} invoiceRef={invoiceRef} setInvoiceRef={setInvoiceRef} error={chat.error} open={chat.open} />;
  }

  const closed = chat.status?.state === "closed";
  const offline = chat.status?.state === "offline";
  const byEmail = chat.status?.state === "email";
  return (
    <div className="chat-thread" data-testid="chat-thread">
      <StatusLine status={chat.status} />
      {!chat.connected && chat.started ? <p className="note">{t("widget.reconnecting")}</p> : null}
      <MessageList chat={chat} nobodyComing={offline || byEmail} />
      {chat.repTyping ? (
        <p className="note" data-testid="rep-typing">
          {t("widget.typing")}
        </p>
      ) : null}
      {chat.error ? (
        <p className="field-error" role="alert">
          {t(chat.error, { max: f.number(MESSAGE_MAX_LENGTH) })}
        </p>
      ) : null}
      {chat.conversation ? (
        <div className="inline-form">
          <button type="button" className="button-link" onClick={() => chat.transcript(() => setTranscriptSent(true))}>
            {t("widget.transcript")}
          </button>
          {transcriptSent ? (
            <span role="status" className="note">
              {t("widget.transcriptSent")}
            </span>
          ) : null}
        </div>
      ) : null}
      {offline ? <LeaveMessageForm mode={mode} value={offlineDraft} setValue={setOfflineDraft} leaveMessage={chat.leaveMessage} /> : null}
      {closed ? (
        mode === "customer" ? (
          <button type="button" className="button" onClick={chat.reset}>
            {t("widget.newChat")}
          </button>
        ) : null
      ) : offline || byEmail ? null : (
        <Composer mode={mode} value={draft} setValue={setDraft} send={chat.send} keystroke={chat.keystroke} />
      )}
    </div>
  );
}
