import { useTranslation } from "react-i18next";
import { MESSAGE_MAX_LENGTH } from "../../domain/chat/schemas";
import { useFormat } from "../../i18n/format";

/** The counter shows from here on: far from the limit it is only noise. */
const SHOW_FROM = Math.floor(MESSAGE_MAX_LENGTH * 0.8);

/** Whether a draft is over the length the server takes (the composers refuse it rather than cut it). */
export const tooLong = (draft: string) => draft.trim().length > MESSAGE_MAX_LENGTH;

/**
 * Characters used of the limit, near the limit; over it, a notice that says what to do.
 * Nothing is cut: a long paste stays in the box for the writer to shorten or split.
 */
export function MessageLength({ id, draft }: { id: string; draft: string }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const length = draft.trim().length;
  if (length < SHOW_FROM) return null;
  const over = length > MESSAGE_MAX_LENGTH;
  return (
    <p id={id} className={over ? "chat-counter over" : "chat-counter"} role={over ? "alert" : undefined} data-testid="chat-counter">
      {t("widget.counter", { used: f.number(length), max: f.number(MESSAGE_MAX_LENGTH) })}
      {over ? ` ${t("errors.messageTooLong", { max: f.number(MESSAGE_MAX_LENGTH) })}` : null}
    </p>
  );
}
