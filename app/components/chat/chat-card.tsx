import { useTranslation } from "react-i18next";
import type { ChatCard } from "../../domain/chat/cards";
import { useFormat } from "../../i18n/format";

/**
 * A card in the chat (a pay link, a promise to pay, a dispute), drawn from its data in the
 * reader's language and formatting. The customer's pay card is a plain link to the pay page
 * with the invoices chosen (it works without JavaScript); the rep sees the same card with
 * links to the account and the dispute on the staff side instead of acting for the customer.
 */
export function ChatCardView({ card, side, accountId }: { card: ChatCard; side: "customer" | "rep"; accountId?: string | null }) {
  const { t } = useTranslation(["chat", "disputes"]);
  const f = useFormat();
  const accountLink =
    side === "rep" && accountId ? (
      <a className="chat-card-link" href={`/rep/accounts/${encodeURIComponent(accountId)}?tab=invoices`}>
        {t("chat:cards.openAccount")}
      </a>
    ) : null;
  const invoiceList = (invoices: { id: string; number: string; balance?: { amountMinor: number; currency: string } }[]) =>
    invoices.length ? (
      <>
        <span className="chat-card-label">{t("chat:cards.invoices")}</span>
        <ul className="chat-card-invoices">
          {invoices.map((i) => (
            <li key={i.id}>{i.balance ? t("chat:cards.invoice", { number: i.number, amount: f.money(i.balance) }) : i.number}</li>
          ))}
        </ul>
      </>
    ) : null;

  if (card.kind === "pay_link") {
    const pay = t("chat:cards.payLink.pay", { total: f.money(card.total) });
    return (
      <div className="chat-card" data-testid="chat-card" data-kind="pay_link">
        <span className="chat-card-title">{t("chat:cards.payLink.title")}</span>
        {side === "customer" ? (
          <a className="button primary chat-card-pay" href={card.path}>
            {pay}
          </a>
        ) : (
          <strong className="chat-card-amount">{pay}</strong>
        )}
        {invoiceList(card.invoices)}
        {accountLink}
      </div>
    );
  }
  if (card.kind === "promise") {
    return (
      <div className="chat-card" data-testid="chat-card" data-kind="promise">
        <span className="chat-card-title">{t("chat:cards.promise.title")}</span>
        <strong className="chat-card-amount">
          {t("chat:cards.promise.summary", { amount: f.money(card.amount), date: f.date(`${card.promisedFor}T12:00:00Z`) })}
        </strong>
        {invoiceList(card.invoices)}
        {accountLink}
      </div>
    );
  }
  return (
    <div className="chat-card" data-testid="chat-card" data-kind="dispute">
      <span className="chat-card-title">{t("disputes:chatCard.title", { number: card.number })}</span>
      <strong className="chat-card-amount">{t("disputes:chatCard.summary", { amount: f.money(card.amount), invoice: card.invoice.number })}</strong>
      <a className="chat-card-link" href={side === "customer" ? card.path : `/rep/disputes/${encodeURIComponent(card.disputeId)}`}>
        {t("disputes:chatCard.open")}
      </a>
    </div>
  );
}
