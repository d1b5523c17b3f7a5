import { useTranslation } from "react-i18next";
import type { InboxItem } from "../../../domain/chat/events";

export type InboxKind = "queued" | "mine" | "team";

/** One list of the inbox: waiting chats (with "Accept"), the rep's own, or the team's. */
export function InboxList({
  items,
  kind,
  active,
  onOpen,
  onAccept,
  labelledBy,
}: {
  items: InboxItem[];
  kind: InboxKind;
  active: string | null;
  onOpen: (id: string) => void;
  onAccept: (id: string) => void;
  /** The heading that names this list for assistive technology. */
  labelledBy?: string;
}) {
  const { t } = useTranslation("chat");
  return (
    <ul className="inbox-list" data-testid={`inbox-${kind}`} aria-labelledby={labelledBy}>
      {items.length === 0 ? <li className="note">{t("console.empty")}</li> : null}
      {items.map((c) => (
        <li key={c.id} className={active === c.id ? "inbox-item active" : "inbox-item"}>
          <button type="button" className="button-link" onClick={() => onOpen(c.id)}>
            {c.customerName || t("console.guest")}
          </button>
          <span className="tag">{c.language.toUpperCase()}</span>
          {c.channel === "EMAIL" ? <span className="tag">{t("console.emailChannel")}</span> : null}
          <span className="tag">{t(`topics.${c.topic}`)}</span>
          {c.accountName ? <span className="note"> {c.accountName}</span> : null}
          {kind === "team" && c.assignedRepName ? <span className="note"> {t("console.assignedTo", { name: c.assignedRepName })}</span> : null}
          {c.unread && kind === "mine" ? <span className="badge">{t("console.unread", { count: c.unread })}</span> : null}
          {kind === "queued" && c.channel === "CHAT" && c.status === "QUEUED" ? (
            <button type="button" className="button small-dark" onClick={() => onAccept(c.id)}>
              {t("console.accept")}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Waiting chats, grouped by the customer's language. */
export function QueuedByLanguage({
  items,
  active,
  onOpen,
  onAccept,
}: {
  items: InboxItem[];
  active: string | null;
  onOpen: (id: string) => void;
  onAccept: (id: string) => void;
}) {
  const { t } = useTranslation("chat");
  const byLanguage = items.reduce<Record<string, InboxItem[]>>((acc, c) => {
    (acc[c.language] ??= []).push(c);
    return acc;
  }, {});
  if (Object.keys(byLanguage).length === 0)
    return <InboxList items={[]} kind="queued" active={active} onOpen={onOpen} onAccept={onAccept} labelledBy="inbox-queued" />;
  return (
    <>
      {Object.entries(byLanguage).map(([language, inLanguage]) => (
        <div key={language}>
          <h3 id={`inbox-queued-${language}`}>{t("console.queuedIn", { language: t(`console.languageNames.${language}`, { defaultValue: language }) })}</h3>
          <InboxList items={inLanguage} kind="queued" active={active} onOpen={onOpen} onAccept={onAccept} labelledBy={`inbox-queued-${language}`} />
        </div>
      ))}
    </>
  );
}
