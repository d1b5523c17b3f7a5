import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccountGlance } from "../../../domain/chat/account-glance.server";
import { fillPlaceholders } from "../../../domain/chat/canned";
import type { ConsoleData } from "../../../domain/chat/console.server";
import type { InboxItem } from "../../../domain/chat/events";
import { formatMoney } from "../../../domain/money/money";
import { isLanguage } from "../../../i18n/config";
import { useFormat } from "../../../i18n/format";
import { formattingFor } from "../../../i18n/locale";
import { MessageLength, tooLong } from "../message-length";
import { typingOut as typingOutOf, type ChatSocket } from "../socket-client";

/**
 * The rep's reply box: canned replies filled in for the chosen invoice, the internal-note
 * switch (the only choice on a chat that is not the rep's), and "typing…" for the customer.
 */
export function Composer({
  item,
  mine,
  canned,
  glance,
  socket,
  onSend,
}: {
  item: InboxItem;
  mine: boolean;
  canned: ConsoleData["canned"];
  glance: AccountGlance | undefined;
  socket: ChatSocket;
  onSend: (body: string, internal: boolean) => void;
}) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const [draft, setDraft] = useState("");
  const [internal, setInternal] = useState(false);
  const cannedHere = canned.filter((c) => c.language === item.language);
  const [invoiceId, setInvoiceId] = useState("");
  const [typingOut] = useState(() =>
    typingOutOf(
      "console",
      () => socket,
      () => item.id,
    ),
  );
  // Leaving the conversation (another tab, closing it) stops typing.
  useEffect(() => () => typingOut.stop(), [typingOut]);

  const invoices = glance?.invoices ?? [];
  const chosenInvoice =
    invoices.find((i) => i.id === invoiceId) ?? invoices.find((i) => i.number === item.invoiceRef) ?? invoices.find((i) => i.pastDue) ?? invoices[0];

  function insertCanned(id: string) {
    const c = cannedHere.find((x) => x.id === id);
    if (!c) return;
    setDraft(
      fillPlaceholders(c.body, {
        customerName: item.customerName,
        invoiceNumber: chosenInvoice?.number ?? item.invoiceRef ?? "",
        // The amount in the invoice's (the account's) currency, written the way the customer reads numbers.
        amount: chosenInvoice
          ? formatMoney(
              chosenInvoice.balance,
              formattingFor(isLanguage(item.language) ? item.language : "en", { locale: glance?.summary.account.locale }).locale,
            )
          : "",
      }),
    );
  }

  function send(e: React.FormEvent) {
    e.preventDefault();
    const body = draft.trim();
    if (!body || tooLong(body)) return;
    typingOut.stop();
    // Queued in order and sent when the server takes it; a failure shows on the message, with a retry.
    onSend(body, internal || !mine);
    setDraft("");
    // A note is a one-off: the next message goes to the customer unless the rep switches again.
    setInternal(false);
  }

  return (
    <>
      {cannedHere.length ? (
        <div className="inline-form">
          {invoices.length ? (
            <>
              <label htmlFor={`inv-${item.id}`}>{t("console.cannedInvoice")}</label>
              <select id={`inv-${item.id}`} value={chosenInvoice?.id ?? ""} onChange={(e) => setInvoiceId(e.target.value)}>
                {invoices.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.number} · {f.money(i.balance)}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <label htmlFor={`canned-${item.id}`}>{t("console.canned")}</label>
          <select id={`canned-${item.id}`} defaultValue="" onChange={(e) => insertCanned(e.target.value)}>
            <option value="" disabled>
              —
            </option>
            {cannedHere.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <form onSubmit={send} className={internal || !mine ? "chat-compose rep noting" : "chat-compose rep"}>
        <label htmlFor={`reply-${item.id}`} className="visually-hidden">
          {t("console.reply")}
        </label>
        <textarea
          id={`reply-${item.id}`}
          rows={3}
          value={draft}
          aria-invalid={tooLong(draft) || undefined}
          aria-describedby={`reply-${item.id}-length`}
          onChange={(e) => {
            setDraft(e.target.value);
            if (mine && !internal) typingOut.keystroke();
          }}
        />
        <label className="checkbox note-toggle">
          <input type="checkbox" checked={internal || !mine} disabled={!mine} onChange={(e) => setInternal(e.target.checked)} /> {t("console.internal")}
        </label>
        <button type="submit" className="button primary">
          {t("console.send")}
        </button>
        <MessageLength id={`reply-${item.id}-length`} draft={draft} />
      </form>
    </>
  );
}
