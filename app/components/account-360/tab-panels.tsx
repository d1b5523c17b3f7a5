import type { ReactNode } from "react";
import { storedText } from "../../i18n/stored-event";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Account360 } from "../../domain/collections/account-360.server";
import { useFormat } from "../../i18n/format";
import { ContactForm } from "./contact-form";
import { PromiseForm, PromiseTable } from "./promise-form";
import { HistoryList } from "../history-list";
import { TimelineList } from "./timeline-list";

type Data = Account360["data"];
export type PanelContext = {
  accountId: string;
  today: string;
  requestKey: string;
  amountExample: string;
  maxDaysAhead: number;
  errors: Record<string, string> | null;
};

function Table({ head, children, testId }: { head: ReactNode[]; children: ReactNode; testId: string }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function Empty() {
  const { t } = useTranslation("collections");
  return <p className="note">{t("account.none")}</p>;
}

/** The body of one 360 tab; each tab got only its own rows from the loader. */
export function TabPanel({ data, context }: { data: Data; context: PanelContext }) {
  const { t } = useTranslation(["collections", "account"]);
  const f = useFormat();
  const c = (key: string) => t(`collections:account.columns.${key}`);
  const logAction = `/rep/accounts/${context.accountId}/log`;
  const day = (iso: string) => f.date(`${iso}T12:00:00Z`);
  switch (data.tab) {
    case "overview":
      return (
        <>
          <h2>{t("collections:contacts.title")}</h2>
          <ContactForm
            action={logAction}
            today={context.today}
            idPrefix="overview"
            autoFocus
            hidden={{ returnTab: "overview" }}
            errors={context.errors}
            compact
          />
          <h2>{t("collections:account.latest")}</h2>
          <TimelineList events={data.timeline} />
        </>
      );
    case "invoices": {
      const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
      return (
        <>
          <p className="note">{t("collections:account.page", { page: data.page, pages, total: data.total })}</p>
          <Table testId="invoices-360" head={[c("number"), c("issued"), c("due"), c("total"), c("balance"), c("status")]}>
            {data.invoices.map((i) => (
              <tr key={i.id}>
                <td>{i.number}</td>
                <td>{day(i.issuedOn)}</td>
                <td>{day(i.dueOn)}</td>
                <td className="num">{f.money({ amountMinor: i.totalMinor, currency: i.currency })}</td>
                <td className="num">{f.money({ amountMinor: i.balanceMinor, currency: i.currency })}</td>
                <td>{t(`invoices:status.${i.status}`)}</td>
              </tr>
            ))}
          </Table>
          <p className="pager">
            {data.page > 1 ? <Link to={`?tab=invoices&page=${data.page - 1}`}>{t("collections:account.previous")}</Link> : null}{" "}
            {data.page < pages ? <Link to={`?tab=invoices&page=${data.page + 1}`}>{t("collections:account.next")}</Link> : null}
          </p>
        </>
      );
    }
    case "payments":
      return data.payments.length === 0 ? (
        <Empty />
      ) : (
        <Table testId="payments-360" head={[c("number"), c("received"), c("amount"), c("unapplied"), c("status")]}>
          {data.payments.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/rep/payments/${p.id}`}>{p.number}</Link>
                {p.accountCredit ? <span data-testid="account-credit-badge"> · {t("payments:rep.accountCredit")}</span> : null}
              </td>
              <td>{f.date(p.receivedAt ?? p.createdAt)}</td>
              <td className="num">{f.money({ amountMinor: p.amountMinor, currency: p.currency })}</td>
              <td className="num">{f.money({ amountMinor: p.unappliedMinor, currency: p.currency })}</td>
              <td>{t(`payments:status.${p.status}`)}</td>
            </tr>
          ))}
        </Table>
      );
    case "disputes":
      return data.disputes.length === 0 ? (
        <Empty />
      ) : (
        <Table testId="disputes-360" head={[c("number"), c("invoice"), c("opened"), c("amount"), c("status")]}>
          {data.disputes.map((d) => (
            <tr key={d.id}>
              <td>
                <Link to={`/rep/disputes/${d.id}`}>{d.number}</Link>
              </td>
              <td>{d.invoice.number}</td>
              <td>{f.date(d.createdAt)}</td>
              <td className="num">{f.money({ amountMinor: d.amountMinor, currency: d.currency })}</td>
              <td>{t(`collections:disputeStatus.${d.status}`)}</td>
            </tr>
          ))}
        </Table>
      );
    case "orders":
      return data.orders.length === 0 ? (
        <Empty />
      ) : (
        <Table testId="orders-360" head={[c("order"), c("po"), c("held"), c("amount"), c("reason")]}>
          {data.orders.map((o) => (
            <tr key={o.id}>
              <td>{o.number}</td>
              <td>{o.poNumber}</td>
              <td>{o.heldAt ? f.date(o.heldAt) : ""}</td>
              <td className="num">{f.money({ amountMinor: o.amountMinor, currency: o.currency })}</td>
              <td>{t(`collections:holdReasons.${o.holdReason ?? "ACCOUNT_ON_HOLD"}`)}</td>
            </tr>
          ))}
        </Table>
      );
    case "credit":
      return (
        <>
          {data.applications.length === 0 ? (
            <Empty />
          ) : (
            <Table testId="applications-360" head={[c("application"), c("opened"), c("requested"), c("approved"), c("status")]}>
              {data.applications.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/rep/credit/applications/${a.id}`}>{a.number}</Link>
                  </td>
                  <td>{f.date(a.createdAt)}</td>
                  <td className="num">
                    {a.requestedLimitMinor !== null && a.currency ? f.money({ amountMinor: a.requestedLimitMinor, currency: a.currency }) : ""}
                  </td>
                  <td className="num">
                    {a.approvedLimitMinor !== null && a.currency ? f.money({ amountMinor: a.approvedLimitMinor, currency: a.currency }) : ""}
                  </td>
                  <td>{t(`credit:status.${a.status}`)}</td>
                </tr>
              ))}
            </Table>
          )}
          <TimelineList events={data.changes} />
        </>
      );
    case "conversations":
      return data.conversations.length === 0 ? (
        <Empty />
      ) : (
        <Table testId="conversations-360" head={[c("opened"), c("channel"), c("topic"), c("rep"), c("status")]}>
          {data.conversations.map((v) => (
            <tr key={v.id}>
              <td>{f.dateTime(v.createdAt)}</td>
              <td>{t(`collections:channels.${v.channel}`)}</td>
              <td>{t(`collections:topics.${v.topic}`)}</td>
              <td>{v.assignedRep?.name ?? ""}</td>
              <td>{t(`collections:conversationStatus.${v.status}`)}</td>
            </tr>
          ))}
        </Table>
      );
    case "notes":
      return (
        <>
          <Form method="post" action={logAction} className="note-form">
            <input type="hidden" name="intent" value="note" />
            <label htmlFor="note-body">{t("collections:notes.body")}</label>
            <textarea id="note-body" name="body" rows={3} maxLength={4000} required autoFocus aria-invalid={context.errors?.body ? true : undefined} />
            {context.errors?.body ? <p className="field-error">{t(context.errors.body)}</p> : null}
            <button type="submit" className="button">
              {t("collections:notes.submit")}
            </button>
          </Form>
          {data.notes.length === 0 ? (
            <p className="note">{t("collections:notes.empty")}</p>
          ) : (
            <ul className="notes-list" data-testid="notes-360">
              {data.notes.map((n) => (
                <li key={n.id}>
                  <span className="note">
                    {f.dateTime(n.createdAt)} · {n.author?.name ?? ""}
                  </span>
                  <p>{storedText(n, t, f)}</p>
                </li>
              ))}
            </ul>
          )}
        </>
      );
    case "promises":
      return (
        <>
          <PromiseTable promises={data.promises} showWho />
          <PromiseForm
            action={logAction}
            invoices={data.promisable}
            today={context.today}
            maxDaysAhead={context.maxDaysAhead}
            requestKey={context.requestKey}
            amountExample={context.amountExample}
            errors={context.errors}
          />
        </>
      );
    case "contacts":
      return (
        <>
          <ContactForm action={logAction} today={context.today} idPrefix="contacts" autoFocus hidden={{ returnTab: "contacts" }} errors={context.errors} />
          {data.contacts.length === 0 ? (
            <p className="note">{t("collections:contacts.empty")}</p>
          ) : (
            <Table
              testId="contacts-360"
              head={[
                t("collections:contacts.when"),
                t("collections:contacts.channel"),
                t("collections:contacts.outcome"),
                t("collections:contacts.followUpOn"),
                t("collections:contacts.note"),
                t("collections:contacts.by"),
              ]}
            >
              {data.contacts.map((x) => (
                <tr key={x.id}>
                  <td>{f.dateTime(x.createdAt)}</td>
                  <td>{t(`collections:channels.${x.channel}`)}</td>
                  <td>{t(`collections:outcomes.${x.outcome}`)}</td>
                  <td>{x.followUpOn ? f.date(x.followUpOn) : ""}</td>
                  <td>{x.note}</td>
                  <td>{x.repName}</td>
                </tr>
              ))}
            </Table>
          )}
        </>
      );
    case "audit":
      return data.audit.length === 0 ? <Empty /> : <HistoryList entries={data.audit} testId="audit-360" />;
    case "timeline":
      return (
        <>
          <p>
            <a href={`/rep/accounts/${context.accountId}/timeline.csv`} className="button" download>
              {t("collections:timeline.exportCsv")}
            </a>{" "}
            <a href={`/rep/accounts/${context.accountId}/timeline.pdf`} className="button" download>
              {t("collections:timeline.exportPdf")}
            </a>
          </p>
          <TimelineList events={data.timeline} />
        </>
      );
  }
}
