import { useCallback, useEffect, useRef, useState } from "react";
import type { WireMessage } from "../../../domain/chat/schemas";
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
} from "../../../domain/chat/thread";
import type { ChatStatus, ConversationView, Topic } from "../../../domain/chat/events";
import { chatOutbox, connectChat, typingOut as typingOutOf, watchConnection, type ChatSocket } from "../socket-client";

/** Where the customer's open conversation id is remembered across pages and reloads. */
export const STORAGE_KEY = "portal.chat.conversation";

/**
 * One customer-side conversation over the socket: join + catch-up by seq on every
 * (re)connect, written messages in an ordered outbox (sent when the server takes them,
 * resent with the same client id, or shown failed with a retry), the rep's messages shown
 * as they arrive (then as stored), typing with a stop and a timeout, and read marks.
 */
export function useCustomerChat(mode: "customer" | "guest", guestConversationId?: string) {
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
    chatOutbox({
      sender: "customer",
      socket: () => socketRef.current,
      conversationId: () => conversationId.current,
      onChange: setPending,
      onStored: (m) => accept([m]),
    }),
  );
  useEffect(() => () => outbox.dispose(), [outbox]);
  const [typingOut] = useState(() =>
    typingOutOf(
      "customer",
      () => socketRef.current,
      () => conversationId.current,
    ),
  );
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
