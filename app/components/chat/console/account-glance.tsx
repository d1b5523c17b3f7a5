import { useTranslation } from "react-i18next";
import { describeStoredEvent } from "../../../i18n/stored-event";
import { Link } from "react-router";
import type { AccountGlance } from "../../../domain/chat/account-glance.server";
import { useFormat } from "../../../i18n/format";
import { Facts } from "../../facts";

/** The customer's account at a glance beside the conversation: balance, promises, invoices, notes. */
export function AccountGlancePanel({ glance }: { glance: AccountGlance }) {
  const { t } = useTranslation("chat");
  const f = useFormat();
  const s = glance.summary;
  return (
    <>
      <p>
        <Link to={`/rep/accounts/${s.account.id}`}>
          {s.account.legalName} · {s.account.number}
        </Link>
      </p>
      <Facts
        items={[
          { term: t("console.glance.balance"), value: f.money(s.openBalance), testId: "glance-balance" },
          { term: t("console.glance.pastDue"), value: f.money(s.pastDue), testId: "glance-past-due" },
          s.disputed.amountMinor > 0 && { term: t("console.glance.inDispute"), value: f.money(s.disputed), testId: "glance-in-dispute" },
          { term: t("console.glance.limit"), value: f.money(s.creditLimit) },
          { term: t("console.glance.available"), value: f.money(s.availableCredit) },
          { term: t("console.glance.heldOrders"), value: f.number(s.heldOrderCount) },
          { term: t("console.glance.openDisputes"), value: f.number(glance.openDisputes) },
        ]}
      />
      <h3>{t("console.glance.openPromises")}</h3>
      <ul className="glance-list" data-testid="glance-promises">
        {glance.openPromises.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.openPromises.map((p) => (
          <li key={p.id} className={p.overdue ? "past-due" : undefined}>
            {t("console.glance.promiseDue", { amount: f.money(p.amount), date: f.date(`${p.promisedFor}T12:00:00Z`) })}
            {p.overdue ? ` · ${t("console.glance.promiseOverdue")}` : ""}
            {p.note ? ` · ${p.note}` : ""}
          </li>
        ))}
      </ul>
      <h3>{t("console.glance.recentInvoices")}</h3>
      <ul className="glance-list">
        {glance.invoices.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.invoices.map((i) => (
          <li key={i.id} className={i.pastDue ? "past-due" : undefined}>
            {i.number} · {f.money(i.balance)} · {t("console.glance.due", { date: f.date(i.dueOn) })}
            {i.inDispute.amountMinor > 0 ? ` · ${t("console.glance.invoiceInDispute", { amount: f.money(i.inDispute) })}` : ""}
          </li>
        ))}
      </ul>
      <h3>{t("console.glance.recentNotes")}</h3>
      <ul className="glance-list">
        {glance.notes.length === 0 ? <li className="note">{t("console.glance.none")}</li> : null}
        {glance.notes.map((n) => (
          <li key={n.id}>
            {/* A note stored as data reads in this rep's language; its first line is the gist. */}
            {f.date(n.createdAt)} · {n.event ? describeStoredEvent({ ...n.event, detail: undefined }, t, f) : n.body}
          </li>
        ))}
      </ul>
      <p>
        <Link to={`/rep/accounts/${s.account.id}`}>{t("console.glance.openAccount")}</Link>
      </p>
    </>
  );
}
