import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ConsoleData } from "../../../domain/chat/console.server";
import { has } from "../../../domain/chat/thread";
import { SpamDismissal } from "../../spam-dismissal";
import { ChatMoves } from "./chat-moves";
import { ConversationPane } from "./conversation-pane";
import { InboxList, QueuedByLanguage } from "./inbox-list";
import { SettingsForm } from "./settings-form";
import { useConsole } from "./use-console";

/** The rep console: settings, the inbox (waiting, mine, the team's), open chats as tabs, and the chat on screen. */
export function ChatConsole({ data }: { data: ConsoleData }) {
  const { t } = useTranslation("chat");
  const { socket, inbox, setInbox, open, active, setActive, alert, error, setError, connected, pending, outboxFor, markRead, openChat, accept, closeTab } =
    useConsole();
  return (
    <div className="page chat-console">
      <div className="page-head">
        <h1>{t("console.title")}</h1>
        {data.me.manager ? <Link to="/rep/chat/hours">{t("console.hoursLink")}</Link> : null}
        {data.me.supervisor ? <Link to="/rep/chat/policy">{t("console.policyLink")}</Link> : null}
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
      {inbox ? <SettingsForm socket={socket} me={inbox.me} onSaved={(me) => setInbox((i) => (i ? { ...i, me } : i))} onError={setError} /> : null}
      {data.me.manager ? <ChatMoves moves={data.moves} /> : null}
      <div className="console-grid">
        <nav className="panel inbox" aria-label={t("console.inboxLabel")}>
          <h2 id="inbox-queued">{t("console.queued")}</h2>
          <QueuedByLanguage items={inbox?.queued ?? []} active={active} onOpen={openChat} onAccept={accept} />
          <h2 id="inbox-mine">{t("console.mine")}</h2>
          <InboxList items={inbox?.mine ?? []} kind="mine" active={active} onOpen={openChat} onAccept={accept} labelledBy="inbox-mine" />
          <h2 id="inbox-team">{t("console.team")}</h2>
          <InboxList items={inbox?.team ?? []} kind="team" active={active} onOpen={openChat} onAccept={accept} labelledBy="inbox-team" />
          <SpamDismissal
            items={[...(inbox?.queued ?? []), ...(inbox?.mine ?? [])]}
            socket={socket}
            onDone={(closed) => closed.forEach(closeTab)}
            onError={setError}
          />
        </nav>
        <section className="conversations" aria-label={t("console.conversationsLabel")}>
          {/* Open chats as toggle buttons, each with its own close button: a tablist may hold only tabs. */}
          <div className="tabs" role="group" aria-label={t("console.openChats")}>
            {Object.values(open).map((c) => (
              <span key={c.item.id} className="tab-wrap">
                <button
                  type="button"
                  aria-pressed={active === c.item.id}
                  className={active === c.item.id ? "tab active" : "tab"}
                  onClick={() => setActive(c.item.id)}
                >
                  {c.item.customerName || t("console.guest")}
                </button>
                <button type="button" className="button-link" aria-label={t("console.closeTab")} onClick={() => closeTab(c.item.id)}>
                  ×
                </button>
              </span>
            ))}
          </div>
          {active && open[active] && socket ? (
            <ConversationPane
              key={active}
              chat={open[active]}
              socket={socket}
              meId={data.me.id}
              manager={data.me.manager}
              canned={data.canned}
              reps={data.reps}
              pending={(pending[active] ?? []).filter((m) => !has(open[active].thread, m.clientMessageId))}
              onSend={(body, internal) => outboxFor(active).enqueue(body, { internal })}
              onRetry={() => outboxFor(active).retry()}
              onRead={markRead}
              onError={setError}
              onClosed={closeTab}
            />
          ) : (
            <p className="note">{t("console.noChatOpen")}</p>
          )}
        </section>
      </div>
    </div>
  );
}
