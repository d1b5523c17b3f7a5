import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../../domain/collections/codes";

/**
 * The contact log in a few keystrokes: the note has the focus, the usual channel (phone)
 * and a follow-up three days out are already chosen; Enter in the note's line logs it.
 */
export function ContactForm(props: {
  action: string;
  accountId?: string;
  today: string;
  autoFocus?: boolean;
  idPrefix: string;
  hidden?: Record<string, string>;
  errors?: Record<string, string> | null;
  compact?: boolean;
}) {
  const { t } = useTranslation("collections");
  const followUp = new Date(Date.parse(`${props.today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const error = (name: string) =>
    props.errors?.[name] ? (
      <span className="field-error" id={id(`${name}-error`)}>
        {t(props.errors[name])}
      </span>
    ) : null;
  return (
    <Form
      method="post"
      action={props.action}
      className={props.compact ? "inline-form contact-form compact" : "contact-form"}
      data-testid={`contact-form-${props.idPrefix}`}
    >
      <input type="hidden" name="intent" value="contact" />
      {props.accountId ? <input type="hidden" name="accountId" value={props.accountId} /> : null}
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={id("note")} className={props.compact ? "visually-hidden" : undefined}>
        {t("contacts.note")}
      </label>
      <input
        id={id("note")}
        name="note"
        maxLength={2000}
        autoFocus={props.autoFocus}
        placeholder={t("contacts.note")}
        aria-invalid={props.errors?.note ? true : undefined}
      />
      {error("note")}
      <label htmlFor={id("channel")} className={props.compact ? "visually-hidden" : undefined}>
        {t("contacts.channel")}
      </label>
      <select id={id("channel")} name="channel" defaultValue="PHONE">
        {CONTACT_CHANNELS.map((c) => (
          <option key={c} value={c}>
            {t(`channels.${c}`)}
          </option>
        ))}
      </select>
      {error("channel")}
      <label htmlFor={id("outcome")} className={props.compact ? "visually-hidden" : undefined}>
        {t("contacts.outcome")}
      </label>
      <select id={id("outcome")} name="outcome" defaultValue="LEFT_MESSAGE">
        {CONTACT_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {t(`outcomes.${o}`)}
          </option>
        ))}
      </select>
      {error("outcome")}
      <label htmlFor={id("followUpOn")} className={props.compact ? "visually-hidden" : undefined}>
        {t("contacts.followUpOn")}
      </label>
      <input id={id("followUpOn")} name="followUpOn" type="date" defaultValue={followUp} aria-invalid={props.errors?.followUpOn ? true : undefined} />
      {error("followUpOn")}
      <button type="submit" className="button">
        {t("contacts.submit")}
      </button>
    </Form>
  );
}
