import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { WorklistRow } from "../../domain/collections/worklist.server";
import { useFormat } from "../../i18n/format";
import { ContactForm } from "./contact-form";

/** The ranked worklist: each row says why it is where it is and what to do next, and takes a contact in place. */
export function WorklistTable({
  rows,
  query,
  today,
  errors,
}: {
  rows: WorklistRow[];
  query: string;
  today: string;
  errors: { accountId: string; errors: Record<string, string> } | null;
}) {
  const { t } = useTranslation("collections");
  const f = useFormat();
  const date = (iso: string) => f.date(`${iso}T12:00:00Z`);
  const action = `/rep/collections${query ? `?${query}` : ""}`;
  return (
    <div className="table-wrap">
      <table className="data worklist" data-testid="worklist">
        <thead>
          <tr>
            <th scope="col">{t("worklist.columns.rank")}</th>
            <th scope="col">{t("worklist.columns.account")}</th>
            <th scope="col" className="num">
              {t("worklist.columns.pastDue")}
            </th>
            <th scope="col">{t("worklist.columns.why")}</th>
            <th scope="col">{t("worklist.columns.next")}</th>
            <th scope="col">{t("worklist.columns.log")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const next = row.priority.nextAction;
            return (
              <tr key={row.accountId} data-testid={`worklist-row-${row.number}`} data-account-id={row.accountId}>
                <td>{index + 1}</td>
                <td>
                  <Link to={`/rep/accounts/${row.accountId}?from=worklist${query ? `&${query}` : ""}`}>{row.legalName}</Link>
                  <br />
                  <span className="note">
                    {row.number} · {row.ownerRep ?? t("worklist.noOwner")} · {t(`languages.${row.language === "es" ? "es" : "en"}`)} ·{" "}
                    {row.lastContactAt ? t("worklist.lastContact", { date: f.date(row.lastContactAt) }) : t("worklist.noContactYet")}
                  </span>
                </td>
                <td className="num">
                  {f.money(row.pastDue)}
                  {row.pastDue.currency !== row.pastDuePolicy.currency ? (
                    <>
                      <br />
                      <span className="note">≈ {f.money(row.pastDuePolicy)}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  <ul className="reasons" data-testid="reasons">
                    {row.priority.reasons.map((r) => (
                      <li key={r.code}>
                        {r.code === "brokenPromise"
                          ? t("reasons.brokenPromise", { count: r.count })
                          : r.code === "followUpDue" || r.code === "openPromise"
                            ? t(`reasons.${r.code}`, { date: date(r.date) })
                            : r.code === "noContact" || r.code === "oldest"
                              ? t(`reasons.${r.code}`, { days: r.days })
                              : r.code === "creditHold"
                                ? t("reasons.creditHold", { count: r.orders })
                                : t(`reasons.${r.code}`)}
                      </li>
                    ))}
                    <li>{t("reasons.atRisk", { amount: f.money(row.pastDuePolicy), days: row.oldestDaysPastDue })}</li>
                  </ul>
                </td>
                <td data-testid="next-action">{"date" in next ? t(`nextActions.${next.code}`, { date: date(next.date) }) : t(`nextActions.${next.code}`)}</td>
                <td>
                  <ContactForm
                    action={action}
                    accountId={row.accountId}
                    today={today}
                    idPrefix={`row-${row.number}`}
                    autoFocus={index === 0}
                    compact
                    errors={errors?.accountId === row.accountId ? errors.errors : null}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
