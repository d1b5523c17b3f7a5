import { useTranslation } from "react-i18next";
import { TOPICS } from "../../../domain/chat/schemas";
import type { Topic } from "../../../domain/chat/events";

type Props = {
  topic: Topic;
  setTopic: (topic: Topic) => void;
  invoiceRef: string;
  setInvoiceRef: (invoiceRef: string) => void;
  error: string | null;
  open: (topic: Topic, invoiceRef: string) => void;
};

/** A signed-in customer starts a chat: the topic and, optionally, the invoice it is about. */
export function StartForm({ topic, setTopic, invoiceRef, setInvoiceRef, error, open }: Props) {
  const { t } = useTranslation("chat");
  return (
    <form
      className="chat-start"
      onSubmit={(e) => {
        e.preventDefault();
        open(topic, invoiceRef);
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
      {error ? (
        <p className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      <button type="submit" className="button primary">
        {t("widget.start")}
      </button>
    </form>
  );
}
