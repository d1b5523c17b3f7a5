import { useTranslation } from "react-i18next";
import type { ConsoleData } from "../../../domain/chat/console.server";
import { useFormat } from "../../../i18n/format";

/** For managers: chats that moved because a rep did not answer or dropped. */
export function ChatMoves({ moves }: { moves: ConsoleData["moves"] }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  return (
    <section className="panel" aria-labelledby="moves-title" data-testid="chat-moves">
      <h2 id="moves-title">{t("console.moves.title")}</h2>
      {moves.length === 0 ? <p className="note">{t("console.empty")}</p> : null}
      <ul className="glance-list">
        {moves.map((m) => (
          <li key={m.id}>
            {f.dateTime(m.at)} ·{" "}
            {t(
              `console.moves.${m.reason === "unanswered" ? "unanswered" : m.reason === "disconnect_grace" || m.reason === "went_offline" ? "dropped" : "requeued"}`,
              { from: m.from ?? "—", to: m.to ?? t("console.moves.queue") },
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
