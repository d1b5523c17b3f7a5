import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { InboxItem } from "../domain/chat/events";
import type { ChatSocket } from "./chat/socket-client";

/**
 * The rep console's bulk "dismiss as spam": tick waiting conversations (a flood of
 * guest chats, say) and close them all in one action. The server closes only chats
 * nobody else is working on and audits each one.
 */
export function SpamDismissal({
  items,
  socket,
  onDone,
  onError,
}: {
  items: InboxItem[];
  socket: ChatSocket | null;
  onDone: (closed: string[]) => void;
  onError: (error: string) => void;
}) {
  const { t } = useTranslation("chat");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const present = new Set(items.map((c) => c.id));
  const selected = [...chosen].filter((id) => present.has(id));

  function toggle(id: string, on: boolean) {
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!socket) return;
    setBusy(true);
    socket.emit("console:dismiss-spam", { conversationIds: selected }, (reply) => {
      setBusy(false);
      if ("error" in reply) return onError(reply.error);
      setChosen(new Set());
      setMessage(t("console.spam.done", { count: reply.data.closed.length }));
      onDone(reply.data.closed);
    });
  }

  if (items.length === 0) return null;
  return (
    <details className="spam-dismissal" data-testid="spam-dismissal">
      <summary>{t("console.spam.title")}</summary>
      <form onSubmit={submit}>
        <p className="note">{t("console.spam.lead")}</p>
        <ul>
          {items.map((c) => (
            <li key={c.id}>
              <label>
                <input type="checkbox" checked={chosen.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />{" "}
                {t("console.spam.choose", { name: c.customerName || t("console.guest"), language: c.language.toUpperCase() })}
              </label>
            </li>
          ))}
        </ul>
        <button type="submit" className="button small-dark" disabled={busy || selected.length === 0}>
          {t("console.spam.submit")}
        </button>
        <p role="status" className="note">
          {message}
        </p>
      </form>
    </details>
  );
}
