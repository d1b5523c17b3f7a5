import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useFetcher } from "react-router";
import { io, type Socket } from "socket.io-client";
import type { Route } from "./+types/rep.chat";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { Facts } from "../components/facts";
import { Field } from "../components/field";
import { SpamDismissal } from "../components/spam-dismissal";
import type { AccountGlance } from "../domain/chat/account-glance.server";
import type { ConversationActionChoices } from "../domain/chat/conversation-actions.server";
import { DISPUTE_REASONS } from "../domain/disputes/dispute-schemas";
import { fillPlaceholders } from "../domain/chat/canned";
import { DISPOSITIONS, type WireMessage } from "../domain/chat/schemas";
import {
  emptyThread,
  has,
  lastSeq,
  newClientMessageId,
  Outbox,
  shownMessages,
  typingIndicator,
  typingSignal,
  withIncoming,
  withMarks,
  withoutIncoming,
  withoutUnconfirmed,
  withStored,
  type OutgoingMessage,
  type Thread,
} from "../domain/chat/thread";
import { formatMoney } from "../domain/money/money";
import { isLanguage } from "../i18n/config";
import { formattingFor } from "../i18n/locale";
import { useFormat } from "../i18n/format";
import { db } from "../utils/db.server";
import type { ChatClientToServer, ChatServerToClient, Inbox, InboxItem, Presence } from "../../server/chat/events";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "common:titles.liveChat");

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const [canned, reps] = await Promise.all([
    db().cannedResponse.findMany({ orderBy: [{ language: "asc" }, { shortcut: "asc" }], select: { id: true, shortcut: true, language: true, title: true, body: true } }),
    db().user.findMany({ where: { role: { in: ["REP", "MANAGER"] }, active: true }, orderBy: { name: "asc" }, select: { id: true, name: true, languages: true } }),
  ]);
  const manager = user.role === "MANAGER";
  // Managers see every chat that moved because a rep did not answer or dropped.
  const moves = manager
    ? await db().auditLog.findMany({
        where: { entity: "Conversation", action: { in: ["chat.reassigned_unanswered", "chat.requeued"] } },
        orderBy: { createdAt: "desc" },
        take: 20,
        select: { id: true, action: true, entityId: true, before: true, after: true, createdAt: true },
      })
    : [];
  const names = new Map(reps.map((r) => [r.id, r.name]));
  const repName = (v: unknown, key: string) => {
    const id = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : null;
    return typeof id === "string" ? (names.get(id) ?? null) : null;
  };
  return {
    me: { id: user.id, name: user.name, manager },
    canned,
    reps,
    moves: moves.map((m) => ({
      id: m.id,
      action: m.action,
      conversationId: m.entityId,
      from: repName(m.before, "assignedRepId"),
      to: repName(m.after, "assignedRepId"),
      reason: m.after && typeof m.after === "object" ? String((m.after as Record<string, unknown>).reason ?? "") : "",
      at: m.createdAt.toISOString(),
    })),
  };
}

type ChatSocket = Socket<ChatServerToClient, ChatClientToServer>;
type OpenChat = { item: InboxItem; thread: Thread; customerTyping: boolean };

/** How long a send waits for the server's ack before it counts as a failed try. */
const ACK_TIMEOUT_MS = 20_000;

/** One open chat's thread changed; chats not open stay as they are. */
function changeThread(open: Record<string, OpenChat>, conversationId: string, change: (thread: Thread) => Thread): Record<string, OpenChat> {
  const chat = open[conversationId];
  if (!chat) return open;
  const thread = change(chat.thread);
  return thread === chat.thread ? open : { ...open, [conversationId]: { ...chat, thread } };
}

/** The inbox with one conversation's unread count changed, wherever it is listed. */
function changeUnread(inbox: Inbox | null, conversationId: string, unread: (n: number) => number): Inbox | null {
  if (!inbox) return inbox;
  const change = (items: InboxItem[]) => items.map((c) => (c.id === conversationId ? { ...c, unread: unread(c.unread) } : c));
  return { ...inbox, queued: change(inbox.queued), mine: change(inbox.mine), team: change(inbox.team) };
}

export default function RepChat({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("chat");
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [open, setOpen] = useState<Record<string, OpenChat>>({});
  const [active, setActive] = useState<string | null>(null);
  const [alert, setAlert] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const openRef = useRef(open);
  openRef.current = open;
  const inboxRef = useRef(inbox);
  inboxRef.current = inbox;
  const activeRef = useRef(active);
  activeRef.current = active;
  // Customer messages already announced (an incoming one and then its stored copy are one message).
  const announced = useRef(new Set<string>());
  const socketRef = useRef<ChatSocket | null>(null);
  // Per conversation: the replies written and not yet stored, and whether the customer is shown typing.
  const outboxes = useRef(new Map<string, Outbox>());
  const [pending, setPending] = useState<Record<string, OutgoingMessage[]>>({});
  const typingIndicators = useRef(new Map<string, ReturnType<typeof typingIndicator>>());

  const refresh = useCallback((s: ChatSocket) => {
    s.emit("console:inbox", (reply) => {
      if ("data" in reply) setInbox(reply.data);
    });
  }, []);

  const joinChat = useCallback((s: ChatSocket, id: string) => {
    const known = openRef.current[id];
    const afterSeq = known ? (lastSeq(known.thread) ?? "0") : "0";
    s.emit("console:join", { conversationId: id, afterSeq }, (reply) => {
      if ("error" in reply) return setError(reply.error);
      setOpen((o) => ({ ...o, [id]: { item: reply.data.conversation, thread: withStored(o[id]?.thread ?? emptyThread, reply.data.messages), customerTyping: false } }));
    });
  }, []);

  const acceptStored = useCallback((m: WireMessage) => setOpen((o) => changeThread(o, m.conversationId, (thread) => withStored(thread, [m]))), []);

  const outboxFor = useCallback(
    (conversationId: string) => {
      let outbox = outboxes.current.get(conversationId);
      if (!outbox) {
        outbox = new Outbox({
          transmit: (m) =>
            new Promise((resolve, reject) => {
              const s = socketRef.current;
              if (!s?.connected) return reject(new Error("offline"));
              s.timeout(ACK_TIMEOUT_MS).emit("console:send", { conversationId, clientMessageId: m.clientMessageId, body: m.body, internal: m.internal }, (err, reply) =>
                err ? reject(err) : resolve(reply),
              );
            }),
          onChange: (messages) => setPending((p) => ({ ...p, [conversationId]: messages })),
          // This socket gets no broadcast of its own message: the ack carries it.
          onStored: acceptStored,
        });
        outbox.setOnline(socketRef.current?.connected ?? false);
        outboxes.current.set(conversationId, outbox);
      }
      return outbox;
    },
    [acceptStored],
  );

  const customerTyping = useCallback((conversationId: string) => {
    let indicator = typingIndicators.current.get(conversationId);
    if (!indicator) {
      indicator = typingIndicator((typing) => setOpen((o) => (o[conversationId] && o[conversationId].customerTyping !== typing ? { ...o, [conversationId]: { ...o[conversationId], customerTyping: typing } } : o)));
      typingIndicators.current.set(conversationId, indicator);
    }
    return indicator;
  }, []);

  /** The new-message alert, once per customer message however it arrives (incoming, then stored). */
  const announce = useCallback(
    (m: { conversationId: string; authorKind: string; clientMessageId: string | null; seq?: string }) => {
      if (m.authorKind !== "CUSTOMER") return;
      const key = `${m.conversationId}:${m.clientMessageId ?? m.seq}`;
      if (announced.current.has(key)) return;
      announced.current.add(key);
      if (announced.current.size > 1000) announced.current.delete(announced.current.values().next().value!);
      setAlert(t("console.newMessageAlert", { name: openRef.current[m.conversationId]?.item.customerName ?? "" }));
    },
    [t],
  );

  /** Marks the customer's messages read up to `seq`; the inbox count follows without a refetch. */
  const markRead = useCallback(
    (conversationId: string, seq: string) => {
      socket?.emit("console:read", { conversationId, seq });
      setInbox((i) => changeUnread(i, conversationId, () => 0));
    },
    [socket],
  );

  useEffect(() => {
    const s: ChatSocket = io({ withCredentials: true });
    socketRef.current = s;
    const outboxesNow = outboxes.current;
    const indicatorsNow = typingIndicators.current;
    s.on("connect", () => {
      setConnected(true);
      refresh(s);
      for (const id of Object.keys(openRef.current)) joinChat(s, id);
      for (const outbox of outboxesNow.values()) outbox.setOnline(true);
    });
    s.on("disconnect", (reason) => {
      setConnected(false);
      for (const outbox of outboxesNow.values()) outbox.setOnline(false);
      for (const indicator of indicatorsNow.values()) indicator.heard(false);
      setOpen((o) => Object.keys(o).reduce((acc, id) => changeThread(acc, id, withoutUnconfirmed), o));
      // The server ended the socket: the session is over (signed out, here or elsewhere), and no reconnect follows.
      if (reason === "io server disconnect") {
        for (const outbox of outboxesNow.values()) outbox.failAll("chat:errors.signedOut");
        setError("chat:errors.signedOut");
      }
    });
    // A console that has a chat open is not told "inbox changed" for each customer message
    // (that would refetch the whole inbox): it counts the unread ones itself, below.
    s.on("console:inbox-changed", (e) => {
      refresh(s);
      if (e.conversationId && openRef.current[e.conversationId]) joinChat(s, e.conversationId);
      if (e.reason === "new") setAlert(t("console.newChatAlert"));
    });
    s.on("console:assigned", ({ conversationId }) => {
      refresh(s);
      joinChat(s, conversationId);
      setActive((a) => a ?? conversationId);
      setAlert(t("console.assignedAlert"));
    });
    s.on("conversation:incoming", (m) => {
      setOpen((o) => changeThread(o, m.conversationId, (thread) => withIncoming(thread, m)));
      if (m.authorKind === "CUSTOMER") customerTyping(m.conversationId).messageArrived();
      announce(m);
    });
    s.on("conversation:withdrawn", (e) => setOpen((o) => changeThread(o, e.conversationId, (thread) => withoutIncoming(thread, e.clientMessageId))));
    s.on("conversation:message", (m) => {
      acceptStored(m);
      if (m.authorKind === "CUSTOMER") customerTyping(m.conversationId).messageArrived();
      announce(m);
      // Unread until the rep has it on screen (where it is marked read at once).
      if (m.authorKind === "CUSTOMER" && activeRef.current !== m.conversationId) setInbox((i) => changeUnread(i, m.conversationId, (n) => n + 1));
    });
    s.on("conversation:typing", (e) => {
      if (e.side === "customer") customerTyping(e.conversationId).heard(e.typing);
    });
    s.on("conversation:marks", (e) => {
      setOpen((o) => changeThread(o, e.conversationId, (thread) => withMarks(thread, "REP", e)));
    });
    setSocket(s);
    return () => {
      s.disconnect();
      for (const outbox of outboxesNow.values()) outbox.dispose();
      for (const indicator of indicatorsNow.values()) indicator.dispose();
    };
  }, [acceptStored, announce, customerTyping, joinChat, refresh, t]);

  // Unread count in the tab title: alerts when the console is in the background.
  useEffect(() => {
    const unread = (inbox?.mine ?? []).reduce((n, c) => n + c.unread, 0) + (inbox?.queued.length ?? 0);
    document.title = `${unread ? `(${unread}) ` : ""}${t("console.title")}`;
  }, [inbox, t]);

  function openChat(id: string) {
    if (!socket) return;
    joinChat(socket, id);
    setActive(id);
  }

  function accept(id: string) {
    socket?.emit("console:accept", { conversationId: id }, (reply) => {
      if ("error" in reply) return setError(reply.error);
      openChat(id);
    });
  }

  function closeTab(id: string) {
    setOpen((o) => {
      const { [id]: _, ...rest } = o;
      return rest;
    });
    setActive((a) => (a === id ? null : a));
  }

  const list = (items: InboxItem[], kind: "queued" | "mine" | "team") => (
    <ul className="inbox-list" data-testid={`inbox-${kind}`}>
      {items.length === 0 ? <li className="note">{t("console.empty")}</li> : null}
      {items.map((c) => (
        <li key={c.id} className={active === c.id ? "inbox-item active" : "inbox-item"}>
          <button type="button" className="button-link" onClick={() => openChat(c.id)}>
            {c.customerName || t("console.guest")}
          </button>
          <span className="tag">{c.language.toUpperCase()}</span>
          {c.channel === "EMAIL" ? <span className="tag">{t("console.emailChannel")}</span> : null}
          <span className="tag">{t(`topics.${c.topic}`)}</span>
          {c.accountName ? <span className="note"> {c.accountName}</span> : null}
          {kind === "team" && c.assignedRepName ? <span className="note"> {t("console.assignedTo", { name: c.assignedRepName })}</span> : null}
          {c.unread && kind === "mine" ? <span className="badge">{t("console.unread", { count: c.unread })}</span> : null}
          {kind === "queued" && c.channel === "CHAT" && c.status === "QUEUED" ? (
            <button type="button" className="button small-dark" onClick={() => accept(c.id)}>
              {t("console.accept")}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );

  const queuedByLanguage = (inbox?.queued ?? []).reduce<Record<string, InboxItem[]>>((acc, c) => {
    (acc[c.language] ??= []).push(c);
    return acc;
  }, {});

  return (
    <div className="page chat-console">
      <div className="page-head">
        <h1>{t("console.title")}</h1>
        {loaderData.me.manager ? <Link to="/rep/chat/hours">{t("console.hoursLink")}</Link> : null}
        {!connected ? <p className="note">{t("widget.reconnecting")}</p> : null}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="console-alert">
        {alert}
      </p>
      {error ? (
        <div className="alert error" role="alert">
          {t(error)}
          <button type="button" className="button-link" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      ) : null}
      {inbox ? <Settings socket={socket} me={inbox.me} onSaved={(me) => setInbox((i) => (i ? { ...i, me } : i))} onError={setError} /> : null}
      {loaderData.me.manager ? <Moves moves={loaderData.moves} /> : null}
      <div className="console-grid">
        <nav className="panel inbox" aria-label={t("console.title")}>
          <h2>{t("console.queued")}</h2>
          {Object.keys(queuedByLanguage).length === 0 ? list([], "queued") : null}
          {Object.entries(queuedByLanguage).map(([language, items]) => (
            <div key={language}>
              <h3>{t("console.queuedIn", { language: t(`console.languageNames.${language}`, { defaultValue: language }) })}</h3>
              {list(items, "queued")}
            </div>
          ))}
          <h2>{t("console.mine")}</h2>
          {list(inbox?.mine ?? [], "mine")}
          <h2>{t("console.team")}</h2>
          {list(inbox?.team ?? [], "team")}
          <SpamDismissal items={[...(inbox?.queued ?? []), ...(inbox?.mine ?? [])]} socket={socket} onDone={(closed) => closed.forEach(closeTab)} onError={setError} />
        </nav>
        <section className="conversations" aria-label={t("console.title")}>
          {/* Open chats as toggle buttons, each with its own close button: a tablist may hold only tabs. */}
          <div className="tabs" role="group" aria-label={t("console.openChats")}>
            {Object.values(open).map((c) => (
              <span key={c.item.id} className="tab-wrap">
                <button type="button" aria-pressed={active === c.item.id} className={active === c.item.id ? "tab active" : "tab"} onClick={() => setActive(c.item.id)}>
                  {c.item.customerName || t("console.guest")}
                </button>
                <button type="button" className="button-link" aria-label={t("console.closeTab")} onClick={() => closeTab(c.item.id)}>
                  ×
                </button>
              </span>
            ))}
          </div>
          {active && open[active] && socket ? (
            <Conversation
              key={active}
              chat={open[active]}
              socket={socket}
              meId={loaderData.me.id}
              manager={loaderData.me.manager}
              canned={loaderData.canned}
              reps={loaderData.reps}
              pending={(pending[active] ?? []).filter((m) => !has(open[active].thread, m.clientMessageId))}
              onSend={(body, internal) => outboxFor(active).enqueue(body, { internal })}
              onRetry={() => outboxFor(active).retry()}
              onRead={markRead}
              onError={setError}
            />
          ) : (
            <p className="note">{t("console.noChatOpen")}</p>
          )}
        </section>
      </div>
    </div>
  );
}

function Settings({ socket, me, onSaved, onError }: { socket: ChatSocket | null; me: Inbox["me"]; onSaved: (me: Inbox["me"]) => void; onError: (e: string) => void }) {
  const { t } = useTranslation("chat");
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="panel inline-form chat-settings"
      aria-label={t("console.settings")}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        socket?.emit(
          "console:settings",
          { presence: form.get("presence") as Presence, capacity: Number(form.get("capacity")), languages: form.getAll("languages") as string[] },
          (reply) => {
            if ("error" in reply) return onError(reply.error);
            setSaved(true);
            onSaved(reply.data);
          },
        );
      }}
    >
      <label htmlFor="presence">{t("console.presence")}</label>
      <select id="presence" name="presence" defaultValue={me.presence} key={me.presence}>
        {(["ONLINE", "AWAY", "OFFLINE"] as const).map((p) => (
          <option key={p} value={p}>
            {t(`console.presenceValues.${p}`)}
          </option>
        ))}
      </select>
      <label htmlFor="capacity">{t("console.capacity")}</label>
      <input id="capacity" name="capacity" type="number" min={1} max={20} defaultValue={me.capacity} style={{ width: "5rem" }} />
      <fieldset className="inline-fieldset">
        <legend>{t("console.languages")}</legend>
        {(["en", "es"] as const).map((l) => (
          <label key={l}>
            <input type="checkbox" name="languages" value={l} defaultChecked={me.languages.includes(l)} /> {t(`console.languageNames.${l}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button primary">
        {t("console.save")}
      </button>
      {saved ? (
        <span role="status" className="note">
          {t("console.saved")}
        </span>
      ) : null}
    </form>
  );
}

function Conversation({
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
  canned: Route.ComponentProps["loaderData"]["canned"];
  reps: Route.ComponentProps["loaderData"]["reps"];
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
  const [typingOut] = useState(() => typingSignal((typing) => socket.emit("console:typing", { conversationId: item.id, typing })));
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
            {mine ? <Actions item={item} socket={socket} reps={reps.filter((r) => r.id !== meId && r.languages.includes(item.language))} onError={onError} /> : null}
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
        {glance.data ? <Glance glance={glance.data} /> : null}
      </aside>
    </div>
  );
}

function Actions({ item, socket, reps, onError }: { item: InboxItem; socket: ChatSocket; reps: { id: string; name: string }[]; onError: (e: string) => void }) {
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

function Glance({ glance }: { glance: AccountGlance }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const s = glance.summary;
  return (
    <>
      <p>
        <Link to={`/rep/accounts/${s.account.id}`}>
          {s.account.legalName} · {s.account.number}
        </Link>
      </p>
      <Facts
        items={[
          { term: t("console.glance.balance"), value: f.money(s.openBalance), testId: "glance-balance" },
          { term: t("console.glance.pastDue"), value: f.money(s.pastDue), testId: "glance-past-due" },
          s.disputed.amountMinor > 0 && { term: t("console.glance.inDispute"), value: f.money(s.disputed), testId: "glance-in-dispute" },
          { term: t("console.glance.limit"), value: f.money(s.creditLimit) },
          { term: t("console.glance.available"), value: f.money(s.availableCredit) },
          { term: t("console.glance.heldOrders"), value: f.number(s.heldOrderCount) },
          { term: t("console.glance.openDisputes"), value: f.number(glance.openDisputes) },
        ]}
      />
      <h3>{t("console.glance.openPromises")}</h3>
      <ul className="glance-list" data-testid="glance-promises">
        {glance.openPromises.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.openPromises.map((p) => (
          <li key={p.id} className={p.overdue ? "past-due" : undefined}>
            {t("console.glance.promiseDue", { amount: f.money(p.amount), date: f.date(`${p.promisedFor}T12:00:00Z`) })}
            {p.overdue ? ` · ${t("console.glance.promiseOverdue")}` : ""}
            {p.note ? ` · ${p.note}` : ""}
          </li>
        ))}
      </ul>
      <h3>{t("console.glance.recentInvoices")}</h3>
      <ul className="glance-list">
        {glance.invoices.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.invoices.map((i) => (
          <li key={i.id} className={i.pastDue ? "past-due" : undefined}>
            {i.number} · {f.money(i.balance)} · {t("console.glance.due", { date: f.date(i.dueOn) })}
            {i.inDispute.amountMinor > 0 ? ` · ${t("console.glance.invoiceInDispute", { amount: f.money(i.inDispute) })}` : ""}
          </li>
        ))}
      </ul>
      <h3>{t("console.glance.recentNotes")}</h3>
      <ul className="glance-list">
        {glance.notes.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.notes.map((n) => (
          <li key={n.id}>
            {f.date(n.createdAt)} · {n.body}
          </li>
        ))}
      </ul>
      <p>
        <Link to={`/rep/accounts/${s.account.id}`}>{t("console.glance.openAccount")}</Link>
      </p>
    </>
  );
}

function Moves({ moves }: { moves: Route.ComponentProps["loaderData"]["moves"] }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  return (
    <section className="panel" aria-labelledby="moves-title" data-testid="chat-moves">
      <h2 id="moves-title">{t("console.moves.title")}</h2>
      {moves.length === 0 ? <p className="note">{t("console.empty")}</p> : null}
      <ul className="glance-list">
        {moves.map((m) => (
          <li key={m.id}>
            {f.dateTime(m.at)} · {t(`console.moves.${m.reason === "unanswered" ? "unanswered" : m.reason === "disconnect_grace" || m.reason === "went_offline" ? "dropped" : "requeued"}`, { from: m.from ?? "—", to: m.to ?? t("console.moves.queue") })}
          </li>
        ))}
      </ul>
    </section>
  );
}

type ActResult = { ok: true; intent: string; done: string } | { ok: false; error: string; fieldErrors: Record<string, string>; level: string | null };

/**
 * The "Act" panel: four compact forms posting to rep/chat/conversations/:id/actions.
 * Refusals (bad input, authority) show inline, translated; on success the glance and
 * the choices reload, and the customer already has the message on their socket.
 */
function ActPanel({ conversationId, onDone }: { conversationId: string; onDone: () => void }) {
  const { t } = useTranslation("chat");
  const choices = useFetcher<ConversationActionChoices | { ok: false; error: string }>();
  const url = `/rep/chat/conversations/${conversationId}/actions`;
  const requested = useRef(false);

  // Once per conversation: a refusal (say, the chat was just transferred) must not retry in a loop.
  useEffect(() => {
    if (requested.current) return;
    requested.current = true;
    choices.load(url);
  }, [choices, url]);

  const reload = useCallback(() => {
    choices.load(url);
    onDone();
  }, [choices, url, onDone]);

  return (
    <section className="act-panel" aria-labelledby={`act-${conversationId}`} data-testid="act-panel">
      <h3 id={`act-${conversationId}`}>{t("actions.title")}</h3>
      {!choices.data ? (
        <p className="note">{t("actions.loading")}</p>
      ) : !choices.data.ok ? (
        <p className="field-error">{t(choices.data.error)}</p>
      ) : (
        <>
          <PayLinkForm url={url} choices={choices.data} onDone={reload} />
          <PromiseForm url={url} choices={choices.data} onDone={reload} />
          <DisputeForm url={url} choices={choices.data} onDone={reload} />
          <ReleaseForm url={url} choices={choices.data} onDone={reload} />
        </>
      )}
    </section>
  );
}

/** One action's form: a fetcher, its inline result, and a reload once it worked. */
function useAct(onDone: () => void) {
  const fetcher = useFetcher<ActResult>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const handled = useRef<ActResult | undefined>(undefined);
  // Sent with the form so a resend is done once; a new one after each success.
  const [actionId, setActionId] = useState(newClientMessageId);
  useEffect(() => {
    if (result?.ok && handled.current !== result) {
      handled.current = result;
      setActionId(newClientMessageId());
      onDone();
    }
  }, [result, onDone]);
  return { fetcher, result, busy: fetcher.state !== "idle", actionIdField: <input type="hidden" name="actionId" value={actionId} /> };
}

function ActOutcome({ result, id }: { result: ActResult | undefined; id: string }) {
  const { t } = useTranslation(["chat", "credit", "disputes", "payments"]);
  if (!result) return null;
  if (result.ok)
    return (
      <p role="status" className="note" id={id}>
        {t(result.done)}
      </p>
    );
  return (
    <p role="alert" className="field-error" id={id}>
      {t(result.error, { level: result.level ? t(`credit:levels.${result.level}`) : "" })}
    </p>
  );
}

/** A field's error from a refused action, unless it is the same message the form shows already. */
function fieldError(result: ActResult | undefined, name: string): string | undefined {
  const key = result && !result.ok ? result.fieldErrors[name] : undefined;
  return key && !(result && !result.ok && result.error === key) ? key : undefined;
}

function FieldError({ result, name, id }: { result: ActResult | undefined; name: string; id: string }) {
  const { t } = useTranslation(["chat", "disputes"]);
  const key = fieldError(result, name);
  if (!key) return null;
  return (
    <p className="field-error" id={id}>
      {t(key)}
    </p>
  );
}

/** Every Act form ends the same way: its button, then what came of it. */
function ActSubmit({ label, busy, disabled, result, id }: { label: string; busy: boolean; disabled?: boolean; result: ActResult | undefined; id: string }) {
  return (
    <>
      <button type="submit" className="button" disabled={busy || disabled}>
        {label}
      </button>
      <ActOutcome result={result} id={`${id}-result`} />
    </>
  );
}

type ActFormProps = { url: string; choices: ConversationActionChoices; onDone: () => void };

function PayLinkForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  return (
    <details className="act">
      <summary>{t("actions.payLink.title")}</summary>
      <fetcher.Form method="post" action={url} aria-describedby={`${id}-result`}>
        <input type="hidden" name="intent" value="pay_link" />
        {actionIdField}
        {choices.invoices.length === 0 ? (
          <p className="note">{t("actions.noInvoices")}</p>
        ) : (
          <fieldset className="act-choices">
            <legend>{t("actions.payLink.invoices")}</legend>
            {choices.invoices.map((i) => (
              <label key={i.id} className="checkbox">
                <input type="checkbox" name="invoiceId" value={i.id} /> {i.number} · {f.money(i.balance)} · {t("console.glance.due", { date: f.date(`${i.dueOn}T12:00:00Z`) })}
              </label>
            ))}
          </fieldset>
        )}
        <FieldError result={result} name="invoiceIds" id={`${id}-invoices-error`} />
        <ActSubmit label={t("actions.payLink.submit")} busy={busy} disabled={choices.invoices.length === 0} result={result} id={id} />
      </fetcher.Form>
    </details>
  );
}

function PromiseForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  const err = (name: string) => (result && !result.ok && result.fieldErrors[name] ? true : undefined);
  return (
    <details className="act">
      <summary>{t("actions.promise.title")}</summary>
      <fetcher.Form method="post" action={url}>
        <input type="hidden" name="intent" value="promise" />
        {actionIdField}
        <Field id={`${id}-amount`} name="amount" label={t("actions.promise.amount", { currency: choices.currency })} error={fieldError(result, "amount")} aria-invalid={err("amount")} inputMode="decimal" required />
        <Field id={`${id}-date`} name="promisedFor" label={t("actions.promise.date")} error={fieldError(result, "promisedFor")} aria-invalid={err("promisedFor")} type="date" required />
        <Field id={`${id}-note`} name="note" label={t("actions.promise.note")} maxLength={500} />
        <ActSubmit label={t("actions.promise.submit")} busy={busy} result={result} id={id} />
      </fetcher.Form>
    </details>
  );
}

function DisputeForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation(["chat", "disputes"]);
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  const [invoiceId, setInvoiceId] = useState("");
  const [lines, setLines] = useState<string[]>([]);
  const invoice = choices.invoices.find((i) => i.id === invoiceId) ?? choices.invoices[0];
  const err = (name: string) => (result && !result.ok && result.fieldErrors[name] ? true : undefined);
  return (
    <details className="act">
      <summary>{t("actions.dispute.title")}</summary>
      {!invoice ? (
        <p className="note">{t("actions.noInvoices")}</p>
      ) : (
        <fetcher.Form method="post" action={url}>
          <input type="hidden" name="intent" value="dispute" />
          {actionIdField}
          {/* Whole invoice unless the rep ticks lines. */}
          <input type="hidden" name="scope" value={lines.length ? "lines" : "invoice"} />
          <div className="field">
            <label htmlFor={`${id}-invoice`}>{t("actions.dispute.invoice")}</label>
            <select
              id={`${id}-invoice`}
              name="invoiceId"
              value={invoice.id}
              onChange={(e) => {
                setInvoiceId(e.target.value);
                setLines([]);
              }}
            >
              {choices.invoices.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.number} · {f.money(i.balance)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("actions.dispute.reason")}</label>
            <select id={`${id}-reason`} name="reason" defaultValue="" required aria-invalid={err("reason")}>
              <option value="" disabled>
                {t("actions.dispute.chooseReason")}
              </option>
              {DISPUTE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`disputes:reasons.${r}`)}
                </option>
              ))}
            </select>
            <FieldError result={result} name="reason" id={`${id}-reason-error`} />
          </div>
          {invoice.lines.length ? (
            <fieldset className="act-choices">
              <legend>{t("actions.dispute.lines")}</legend>
              {invoice.lines.map((l) => (
                <label key={l.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="lineId"
                    value={l.id}
                    checked={lines.includes(l.id)}
                    onChange={(e) => setLines((ls) => (e.target.checked ? [...ls, l.id] : ls.filter((x) => x !== l.id)))}
                  />{" "}
                  {l.lineNo}. {l.description} · {f.money(l.amount)}
                </label>
              ))}
              <FieldError result={result} name="lineId" id={`${id}-lines-error`} />
            </fieldset>
          ) : null}
          <Field id={`${id}-amount`} name="amount" label={t("actions.dispute.amount")} error={fieldError(result, "amount")} aria-invalid={err("amount")} inputMode="decimal" />
          <div className="field">
            <label htmlFor={`${id}-message`}>{t("actions.dispute.message")}</label>
            <textarea id={`${id}-message`} name="message" rows={3} maxLength={4000} required aria-invalid={err("message")} aria-describedby={`${id}-message-error`} />
            <FieldError result={result} name="message" id={`${id}-message-error`} />
          </div>
          <ActSubmit label={t("actions.dispute.submit")} busy={busy} result={result} id={id} />
        </fetcher.Form>
      )}
    </details>
  );
}

function ReleaseForm({ url, choices, onDone }: ActFormProps) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const { fetcher, result, busy, actionIdField } = useAct(onDone);
  const id = useId();
  return (
    <details className="act">
      <summary>{t("actions.release.title")}</summary>
      {choices.heldOrders.length === 0 ? (
        <p className="note">{t("actions.noHeldOrders")}</p>
      ) : (
        <fetcher.Form method="post" action={url}>
          <input type="hidden" name="intent" value="release" />
          {actionIdField}
          <div className="field">
            <label htmlFor={`${id}-order`}>{t("actions.release.order")}</label>
            <select id={`${id}-order`} name="orderId">
              {choices.heldOrders.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.number} · {f.money(o.amount)}
                </option>
              ))}
            </select>
          </div>
          <Field id={`${id}-note`} name="note" label={t("actions.release.note")} maxLength={500} />
          <ActSubmit label={t("actions.release.submit")} busy={busy} result={result} id={id} />
        </fetcher.Form>
      )}
    </details>
  );
}
