import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Inbox, InboxItem } from "../../../domain/chat/events";
import type { WireMessage } from "../../../domain/chat/schemas";
import {
  emptyThread,
  lastSeq,
  typingIndicator,
  withIncoming,
  withMarks,
  withoutIncoming,
  withoutUnconfirmed,
  withStored,
  type OutgoingMessage,
  type Outbox,
  type Thread,
} from "../../../domain/chat/thread";
import { chatOutbox, connectChat, watchConnection, type ChatSocket } from "../socket-client";

export type OpenChat = { item: InboxItem; thread: Thread; customerTyping: boolean };

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

/**
 * The console's live state over the socket: the inbox, the open chats and their threads
 * (joined and caught up on every reconnect), each chat's outbox of replies, the
 * customer's typing, unread counts and the screen-reader alerts.
 */
export function useConsole() {
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
      // A closed conversation leaves the tab bar (closed here, by a colleague, or as spam).
      if (reply.data.conversation.status === "CLOSED") {
        setOpen(({ [id]: _, ...rest }) => rest);
        setActive((a) => (a === id ? null : a));
        return;
      }
      setOpen((o) => ({
        ...o,
        [id]: { item: reply.data.conversation, thread: withStored(o[id]?.thread ?? emptyThread, reply.data.messages), customerTyping: false },
      }));
    });
  }, []);

  const acceptStored = useCallback((m: WireMessage) => setOpen((o) => changeThread(o, m.conversationId, (thread) => withStored(thread, [m]))), []);

  const outboxFor = useCallback(
    (conversationId: string) => {
      let outbox = outboxes.current.get(conversationId);
      if (!outbox) {
        outbox = chatOutbox({
          sender: "console",
          socket: () => socketRef.current,
          conversationId: () => conversationId,
          onChange: (messages) => setPending((p) => ({ ...p, [conversationId]: messages })),
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
      indicator = typingIndicator((typing) =>
        setOpen((o) =>
          o[conversationId] && o[conversationId].customerTyping !== typing ? { ...o, [conversationId]: { ...o[conversationId], customerTyping: typing } } : o,
        ),
      );
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
    const s = connectChat();
    socketRef.current = s;
    const outboxesNow = outboxes.current;
    const indicatorsNow = typingIndicators.current;
    watchConnection(s, {
      online(connected) {
        setConnected(connected);
        if (connected) {
          refresh(s);
          for (const id of Object.keys(openRef.current)) joinChat(s, id);
        } else {
          for (const indicator of indicatorsNow.values()) indicator.heard(false);
          setOpen((o) => Object.keys(o).reduce((acc, id) => changeThread(acc, id, withoutUnconfirmed), o));
        }
        for (const outbox of outboxesNow.values()) outbox.setOnline(connected);
      },
      signedOut() {
        for (const outbox of outboxesNow.values()) outbox.failAll("chat:errors.signedOut");
        setError("chat:errors.signedOut");
      },
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

  return { socket, inbox, setInbox, open, active, setActive, alert, error, setError, connected, pending, outboxFor, markRead, openChat, accept, closeTab };
}
