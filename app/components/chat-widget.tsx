import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { TOPICS, type WireMessage } from "../domain/chat/schemas";
import {
  emptyThread,
  has,
  lastSeq,
  newClientMessageId,
  shownMessages,
  typingIndicator,
  withIncoming,
  withMarks,
  withoutIncoming,
  withoutUnconfirmed,
  withStored,
  type OutgoingMessage,
  type Thread,
} from "../domain/chat/thread";
import type { ChatStatus, ConversationView, Topic } from "../domain/chat/events";
import { chatOutbox, connectChat, typingOut as typingOutOf, watchConnection, type ChatSocket } from "./chat/socket-client";

const STORAGE_KEY = "portal.chat.conversation";

/**
 * One customer-side conversation over the socket: join + catch-up by seq on every
 * (re)connect, written messages in an ordered outbox (sent when the server takes them,
 * resent with the same client id, or shown failed with a retry), the rep's messages shown
 * as they arrive (then as stored), typing with a stop and a timeout, and read marks.
 */
function useCustomerChat(mode: "customer" | "guest", guestConversationId?: string) {
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [conversation, setConversation] = useState<ConversationView | null>(null);
  const [thread, setThread] = useState<Thread>(emptyThread);
  const [pending, setPending] = useState<OutgoingMessage[]>([]);
  const [status, setStatus] = useState<ChatStatus | null>(null);
  const [repTyping, setRepTyping] = useState(false);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const conversationId = useRef<string | null>(guestConversationId ?? null);
  const afterSeq = useRef("0");
  const socketRef = useRef<ChatSocket | null>(null);

  const accept = useCallback((stored: WireMessage[]) => {
    if (!stored.length) return;
    setThread((current) => {
      const next = withStored(current, stored);
      afterSeq.current = lastSeq(next) ?? afterSeq.current;
      return next;
    });
  }, []);

  const [outbox] = useState(() =>
    chatOutbox({ sender: "customer", socket: () => socketRef.current, conversationId: () => conversationId.current, onChange: setPending, onStored: (m) => accept([m]) }),
  );
  useEffect(() => () => outbox.dispose(), [outbox]);
  const [typingOut] = useState(() => typingOutOf("customer", () => socketRef.current, () => conversationId.current));
  const [typingIn] = useState(() => typingIndicator(setRepTyping));
  useEffect(() => () => typingIn.dispose(), [typingIn]);

  const join = useCallback(
    (s: ChatSocket, id: string) => {
      s.emit("conversation:join", { conversationId: id, afterSeq: afterSeq.current }, (reply) => {
        if ("error" in reply) {
          if (mode === "customer") window.localStorage.removeItem(STORAGE_KEY);
          conversationId.current = null;
          setConversation(null);
          return;
        }
        setConversation(reply.data.conversation);
        setStatus(reply.data.status);
        accept(reply.data.messages);
        outbox.setOnline(true);
      });
    },
    [accept, mode, outbox],
  );

  const connect = useCallback(() => {
    if (socket) return socket;
    const s = connectChat();
    socketRef.current = s;
    watchConnection(s, {
      online(connected) {
        setConnected(connected);
        // Back online, the outbox resumes once the conversation is joined again.
        if (connected) {
          if (conversationId.current) join(s, conversationId.current);
          return;
        }
        outbox.setOnline(false);
        typingIn.heard(false);
        setThread(withoutUnconfirmed);
      },
      signedOut() {
        outbox.failAll("chat:errors.signedOut");
        setError("chat:errors.signedOut");
      },
    });
    s.on("conversation:message", (m) => {
      if (m.conversationId !== conversationId.current) return;
      accept([m]);
      if (m.authorKind === "REP") typingIn.messageArrived();
    });
    s.on("conversation:incoming", (m) => {
      if (m.conversationId !== conversationId.current) return;
      setThread((current) => withIncoming(current, m));
      if (m.authorKind === "REP") typingIn.messageArrived();
    });
    s.on("conversation:withdrawn", (e) => {
      if (e.conversationId === conversationId.current) setThread((current) => withoutIncoming(current, e.clientMessageId));
    });
    s.on("conversation:status", (st) => {
      if (st.conversationId === conversationId.current) setStatus(st);
    });
    s.on("conversation:typing", (e) => {
      if (e.conversationId === conversationId.current && e.side === "rep") typingIn.heard(e.typing);
    });
    s.on("conversation:marks", (e) => {
      if (e.conversationId === conversationId.current) setThread((current) => withMarks(current, "CUSTOMER", e));
    });
    setSocket(s);
    return s;
  }, [accept, join, outbox, socket, typingIn]);

  useEffect(() => () => void socket?.disconnect(), [socket]);

  // Resume: a guest always, a customer when a conversation id was remembered.
  useEffect(() => {
    if (mode === "guest" && guestConversationId) connect();
    if (mode === "customer") {
      const saved = window.localStorage.getItem(STORAGE_KEY);
      if (saved) {
        conversationId.current = saved;
        connect();
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tell the rep what we have seen.
  useEffect(() => {
    const last = thread.stored.filter((m) => m.authorKind === "REP").at(-1);
    if (socket && conversationId.current && last && !last.readAt && document.visibilityState === "visible") {
      socket.emit("conversation:read", { conversationId: conversationId.current, seq: last.seq });
    }
  }, [thread.stored, socket]);

  function open(topic: Topic, invoiceRef: string) {
    const s = connect();
    setError(null);
    const go = () =>
      s.emit("conversation:open", { topic, invoiceRef: invoiceRef || undefined }, (reply) => {
        if ("error" in reply) return setError(reply.error);
        conversationId.current = reply.data.conversation.id;
        window.localStorage.setItem(STORAGE_KEY, reply.data.conversation.id);
        setConversation(reply.data.conversation);
        setStatus(reply.data.status);
        accept(reply.data.messages);
        outbox.setOnline(true);
      });
    if (s.connected) go();
    else s.once("connect", go);
  }

  function send(body: string) {
    const text = body.trim();
    if (!text || !conversationId.current) return;
    typingOut.stop();
    connect();
    outbox.enqueue(text);
  }

  function leaveMessage(body: string, done: () => void) {
    const text = body.trim();
    if (!socket || !conversationId.current) return;
    if (!text) return setError("chat:errors.messageRequired");
    setError(null);
    socket.emit("conversation:leave-message", { conversationId: conversationId.current, clientMessageId: newClientMessageId(), body: text }, (reply) => {
      if ("error" in reply) return setError(reply.error);
      accept([reply.data.message]);
      setStatus({ conversationId: reply.data.message.conversationId, state: "email" });
      done();
    });
  }

  function transcript(done: () => void) {
    if (!socket || !conversationId.current) return;
    socket.emit("conversation:transcript", { conversationId: conversationId.current }, (reply) => {
      if ("error" in reply) return setError(reply.error);
      done();
    });
  }

  // A composer that goes away stops typing.
  useEffect(() => () => typingOut.stop(), [typingOut]);

  function reset() {
    window.localStorage.removeItem(STORAGE_KEY);
    conversationId.current = null;
    afterSeq.current = "0";
    outbox.clear();
    setConversation(null);
    setThread(emptyThread);
    setStatus(null);
  }

  return {
    conversation,
    messages: shownMessages(thread),
    // A message stored while its ack was lost shows once, as stored.
    pending: pending.filter((m) => !has(thread, m.clientMessageId)),
    status,
    repTyping,
    connected,
    error,
    open,
    send,
    retry: () => outbox.retry(),
    leaveMessage,
    transcript,
    keystroke: () => typingOut.keystroke(),
    reset,
    started: !!socket,
  };
}

function StatusLine({ status }: { status: ChatStatus | null }) {
  const { t } = useTranslation("chat");
  if (!status) return null;
  let text = "";
  if (status.state === "queued") text = t("widget.queued", { position: status.position, minutes: Math.max(1, Math.round(status.estimatedWaitSeconds / 60)) });
  else if (status.state === "assigned") text = t("widget.assigned", { name: status.repName });
  else if (status.state === "offline") text = status.reason === "outside_hours" ? t("widget.offlineHours") : t("widget.offlineNoRep");
  else if (status.state === "email") text = t("widget.emailState");
  else text = t("widget.closedNote");
  return (
    <p className="chat-status" role="status" data-testid="chat-status">
      {text}
    </p>
  );
}

/** The conversation itself: messages (always as text), status, typing, composer. */
export function ChatThread({ mode, guestConversationId }: { mode: "customer" | "guest"; guestConversationId?: string }) {
  const { t } = useTranslation("chat");
  const chat = useCustomerChat(mode, guestConversationId);
  const [draft, setDraft] = useState("");
  const [topic, setTopic] = useState<Topic>("OTHER");
  const [invoiceRef, setInvoiceRef] = useState("");
  const [offlineDraft, setOfflineDraft] = useState("");
  const [transcriptSent, setTranscriptSent] = useState(false);
  const logRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView?.({ block: "nearest" });
  }, [chat.messages.length, chat.pending.length]);

  if (!chat.conversation && mode === "customer") {
    return (
      <form
        className="chat-start"
        onSubmit={(e) => {
          e.preventDefault();
          chat.open(topic, invoiceRef);
        }}
      >
        <div className="field">
          <label htmlFor="chat-topic">{t("widget.topic")}</label>
          <select id="chat-topic" value={topic} onChange={(e) => setTopic(e.target.value as Topic)}>
            {TOPICS.map((x) => (
              <option key={x} value={x}>
                {t(`topics.${x}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="chat-invoice">{t("widget.invoiceRef")}</label>
          <input id="chat-invoice" value={invoiceRef} maxLength={40} onChange={(e) => setInvoiceRef(e.target.value)} />
        </div>
        {chat.error ? (
          <p className="field-error" role="alert">
            {t(chat.error)}
          </p>
        ) : null}
        <button type="submit" className="button primary">
          {t("widget.start")}
        </button>
      </form>
    );
  }

  const closed = chat.status?.state === "closed";
  const offline = chat.status?.state === "offline";
  const byEmail = chat.status?.state === "email";
  return (
    <div className="chat-thread" data-testid="chat-thread">
      <StatusLine status={chat.status} />
      {!chat.connected && chat.started ? <p className="note">{t("widget.reconnecting")}</p> : null}
      <ol className="chat-log" aria-label={t("widget.log")} aria-live="polite" ref={logRef}>
        {chat.messages.map((m) => (
          <li key={m.key} className={`chat-msg from-${m.authorKind.toLowerCase()}`} data-testid="chat-message">
            {m.authorKind === "SYSTEM" ? null : <span className="chat-author">{m.authorKind === "CUSTOMER" ? t("widget.you") : t("widget.agent")}</span>}
            <span className="chat-body">{m.authorKind === "CUSTOMER" ? m.body : <PortalLinks text={m.body} />}</span>
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
      {chat.repTyping ? <p className="note" data-testid="rep-typing">{t("widget.typing")}</p> : null}
      {chat.error ? (
        <p className="field-error" role="alert">
          {t(chat.error)}
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
      {offline ? (
        <form
          className="chat-compose"
          onSubmit={(e) => {
            e.preventDefault();
            chat.leaveMessage(offlineDraft, () => setOfflineDraft(""));
          }}
        >
          <label htmlFor={`chat-offline-${mode}`}>{t("widget.leaveMessage")}</label>
          <textarea id={`chat-offline-${mode}`} rows={4} maxLength={4000} value={offlineDraft} onChange={(e) => setOfflineDraft(e.target.value)} />
          <button type="submit" className="button primary">
            {t("widget.leaveSend")}
          </button>
        </form>
      ) : null}
      {closed ? (
        mode === "customer" ? (
          <button type="button" className="button" onClick={chat.reset}>
            {t("widget.newChat")}
          </button>
        ) : null
      ) : offline || byEmail ? null : (
        <form
          className="chat-compose"
          onSubmit={(e) => {
            e.preventDefault();
            chat.send(draft);
            setDraft("");
          }}
        >
          <label htmlFor={`chat-draft-${mode}`} className="visually-hidden">
            {t("widget.message")}
          </label>
          <textarea
            id={`chat-draft-${mode}`}
            rows={2}
            maxLength={4000}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              chat.keystroke();
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit" className="button primary">
            {t("widget.send")}
          </button>
        </form>
      )}
    </div>
  );
}

/** The floating chat on every portal page for a signed-in customer (the account is known from the session). */
export function ChatWidget() {
  const { t } = useTranslation("chat");
  const [open, setOpen] = useState(false);
  const [everOpened, setEverOpened] = useState(false);
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    setMounted(true);
    if (window.localStorage.getItem(STORAGE_KEY)) {
      setOpen(true);
      setEverOpened(true);
    }
  }, []);
  if (!mounted) return null;
  return (
    <aside className="chat-widget" aria-label={t("widget.title")}>
      {everOpened ? (
        // Minimizing hides the panel but keeps the connection and the conversation.
        <div className="chat-panel panel" hidden={!open}>
          <div className="chat-panel-head">
            <h2>{t("widget.title")}</h2>
            <button type="button" className="button-link" onClick={() => setOpen(false)}>
              {t("widget.minimize")}
            </button>
          </div>
          <ChatThread mode="customer" />
        </div>
      ) : null}
      <button type="button" className="button primary chat-launcher" aria-expanded={open} onClick={() => {
          setOpen(true);
          setEverOpened(true);
        }} hidden={open}>
        {t("widget.open")}
      </button>
    </aside>
  );
}

/**
 * Links to this portal in the team's messages (a pay link, a dispute) become clickable;
 * everything else stays plain text, so nobody can slip a look-alike link into the chat.
 */
function PortalLinks({ text }: { text: string }) {
  const origin = typeof window === "undefined" ? null : window.location.origin;
  if (!origin) return <>{text}</>;
  return (
    <>
      {text.split(/(https?:\/\/[^\s]+)/).map((part, i) => {
        if (i % 2 === 0) return part;
        let url: URL | null = null;
        try {
          url = new URL(part);
        } catch {
          // Not a URL after all: plain text.
        }
        return url && url.origin === origin ? (
          <a key={i} href={url.pathname + url.search}>
            {part}
          </a>
        ) : (
          part
        );
      })}
    </>
  );
}
