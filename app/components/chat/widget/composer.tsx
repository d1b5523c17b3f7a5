import { useTranslation } from "react-i18next";
import { MessageLength, tooLong } from "../message-length";

type Draft = { mode: "customer" | "guest"; value: string; setValue: (value: string) => void };

/** Writing to the team: Enter sends, Shift+Enter is a new line; each keystroke tells the rep we are typing. */
export function Composer({ mode, value: draft, setValue: setDraft, send, keystroke }: Draft & { send: (body: string) => void; keystroke: () => void }) {
  const { t } = useTranslation("chat");
  return (
    <form
      className="chat-compose"
      onSubmit={(e) => {
        e.preventDefault();
        // Over the limit the draft stays, with the notice under it, for the customer to shorten or split.
        if (tooLong(draft)) return;
        send(draft);
        setDraft("");
      }}
    >
      <label htmlFor={`chat-draft-${mode}`} className="visually-hidden">
        {t("widget.message")}
      </label>
      <textarea
        id={`chat-draft-${mode}`}
        rows={2}
        value={draft}
        aria-invalid={tooLong(draft) || undefined}
        aria-describedby={`chat-draft-${mode}-length`}
        onChange={(e) => {
          setDraft(e.target.value);
          keystroke();
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
      <MessageLength id={`chat-draft-${mode}-length`} draft={draft} />
    </form>
  );
}

/** Nobody can chat now: the customer leaves a message, answered by email. */
export function LeaveMessageForm({
  mode,
  value: offlineDraft,
  setValue: setOfflineDraft,
  leaveMessage,
}: Draft & { leaveMessage: (body: string, done: () => void) => void }) {
  const { t } = useTranslation("chat");
  return (
    <form
      className="chat-compose"
      onSubmit={(e) => {
        e.preventDefault();
        if (tooLong(offlineDraft)) return;
        leaveMessage(offlineDraft, () => setOfflineDraft(""));
      }}
    >
      <label htmlFor={`chat-offline-${mode}`}>{t("widget.leaveMessage")}</label>
      <textarea
        id={`chat-offline-${mode}`}
        rows={4}
        value={offlineDraft}
        aria-invalid={tooLong(offlineDraft) || undefined}
        aria-describedby={`chat-offline-${mode}-length`}
        onChange={(e) => setOfflineDraft(e.target.value)}
      />
      <button type="submit" className="button primary">
        {t("widget.leaveSend")}
      </button>
      <MessageLength id={`chat-offline-${mode}-length`} draft={offlineDraft} />
    </form>
  );
}
