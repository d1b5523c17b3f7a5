import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { io, type Socket } from "socket.io-client";
import type { WireMessage } from "../domain/chat/schemas";
import { emptyThread, lastSeq, shownMessages, withIncoming, withMarks, withoutIncoming, withoutUnconfirmed, withStored, type Thread } from "../domain/chat/thread";
import type { ChatClientToServer, ChatServerToClient, ChatStatus, ConversationView, Topic } from "../../server/chat/events";

type ChatSocket = Socket<ChatServerToClient, ChatClientToServer>;

const TOPICS: Topic[] = ["CREDIT", "INVOICE", "PAYMENT", "DISPUTE", "OTHER"];
const STORAGE_KEY = "portal.chat.conversation";

function newClientId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

type Pending = { clientMessageId: string; body: string };

/**
 * One customer-side conversation over the socket: join + catch-up by seq on every
 * (re)connect, unacknowledged messages resent with the same client id, the rep's
 * messages shown as they arrive (then as stored), typing and read marks.
 */
function useCustomerChat(mode: "customer" | "guest", guestConversationId?: string) {
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [conversation, setConversation] = useState<ConversationView | null>(null);
  const [thread, setThread] = useState<Thread>(emptyThread);
  const [pending, setPending] = useState<Pending[]>([]);
  const [status, setStatus] = useState<ChatStatus | null>(null);
  const [repTyping, setRepTyping] = useState(false);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const conversationId = useRef<string | null>(guestConversationId ?? null);
  const afterSeq = useRef("0");
  const pendingRef = useRef<Pending[]>([]);
  pendingRef.current = pending;

  const accept = useCallback((stored: WireMessage[]) => {
    if (!stored.length) return;
    setThread((current) => {
      const next = withStored(current, stored);
      afterSeq.current = lastSeq(next) ?? afterSeq.current;
      return next;
    });
    const ids = new Set(stored.map((m) => m.clientMessageId));
    setPending((p) => p.filter((x) => !ids.has(x.clientMessageId)));
  }, []);

  const sendPending = useCallback((s: ChatSocket, item: Pending) => {
    if (!conversationId.current) return;
    s.emit("conversation:send", { conversationId: conversationId.current, clientMessageId: item.clientMessageId, body: item.body }, (reply) => {
      if ("data" in reply) accept([reply.data.message]);
      else setError(reply.error);
    });
  }, [accept]);

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
        for (const item of pendingRef.current) sendPending(s, item);
      });
    },
    [accept, mode, sendPending],
  );

  const connect = useCallback(() => {
    if (socket) return socket;
    const s: ChatSocket = io({ withCredentials: true });
    s.on("connect", () => {
      setConnected(true);
      if (conversationId.current) join(s, conversationId.current);
    });
    s.on("disconnect", () => {
      setConnected(false);
      setThread(withoutUnconfirmed);
    });
    s.on("conversation:message", (m) => {
      if (m.conversationId === conversationId.current) accept([m]);
    });
    s.on("conversation:incoming", (m) => {
      if (m.conversationId === conversationId.current) setThread((current) => withIncoming(current, m));
    });
    s.on("conversation:withdrawn", (e) => {
      if (e.conversationId === conversationId.current) setThread((current) => withoutIncoming(current, e.clientMessageId));
    });
    s.on("conversation:status", (st) => {
      if (st.conversationId === conversationId.current) setStatus(st);
    });
    s.on("conversation:typing", (e) => {
      if (e.conversationId === conversationId.current && e.side === "rep") setRepTyping(e.typing);
    });
    s.on("conversation:marks", (e) => {
      if (e.conversationId === conversationId.current) setThread((current) => withMarks(current, "CUSTOMER", e));
    });
    setSocket(s);
    return s;
  }, [accept, join, socket]);

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
      });
    if (s.connected) go();
    else s.once("connect", go);
  }

  function send(body: string) {
    const text = body.trim();
    if (!text || !conversationId.current) return;
    const item = { clientMessageId: newClientId(), body: text };
    setPending((p) => [...p, item]);
    const s = connect();
    if (s.connected) sendPending(s, item);
  }

  function leaveMessage(body: string, done: () => void) {
    const text = body.trim();
    if (!socket || !conversationId.current) return;
    if (!text) return setError("chat:errors.messageRequired");
    setError(null);
    socket.emit("conversation:leave-message", { conversationId: conversationId.current, clientMessageId: newClientId(), body: text }, (reply) => {
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

  function typing(isTyping: boolean) {
    if (socket && conversationId.current) socket.emit("conversation:typing", { conversationId: conversationId.current, typing: isTyping });
  }

  function reset() {
    window.localStorage.removeItem(STORAGE_KEY);
    conversationId.current = null;
    afterSeq.current = "0";
    setConversation(null);
    setThread(emptyThread);
    setStatus(null);
  }

  return { conversation, messages: shownMessages(thread), pending, status, repTyping, connected, error, open, send, leaveMessage, transcript, typing, reset, started: !!socket };
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
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
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
          <li key={p.clientMessageId} className="chat-msg from-customer pending">
            <span className="chat-author">{t("widget.you")}</span>
            <span className="chat-body">{p.body}</span>
            <span className="chat-mark">{t("widget.sending")}</span>
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
            chat.typing(false);
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
              chat.typing(true);
              if (typingTimer.current) clearTimeout(typingTimer.current);
              typingTimer.current = setTimeout(() => chat.typing(false), 2000);
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
