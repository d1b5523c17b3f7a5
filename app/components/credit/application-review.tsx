import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "../../routes/+types/rep.credit.applications.$applicationId";
import { useFormat } from "../../i18n/format";
import { Facts } from "../facts";

type Review = Route.ComponentProps["loaderData"];

/** What the applicant submitted: company facts, references and documents. */
export function SubmittedPanel({ application: a }: { application: Review["application"] }) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  return (
    <section className="panel" aria-labelledby="submitted-title">
      <h2 id="submitted-title">{t("review.submitted")}</h2>
      <dl className="facts">
        <dt>{t("review.applicantName")}</dt>
        <dd>{a.applicantName}</dd>
        <dt>{t("review.applicantEmail")}</dt>
        <dd>{a.applicantEmail}</dd>
        <dt>{t("fields.taxId")}</dt>
        <dd>{a.taxId}</dd>
        <dt>{t("fields.country")}</dt>
        <dd>{a.country ? t(`countries.${a.country}`, { defaultValue: a.country }) : "—"}</dd>
        <dt>{t("review.address")}</dt>
        <dd>{a.address || "—"}</dd>
        <dt>{t("fields.yearsInBusiness")}</dt>
        <dd>{a.yearsInBusiness ?? "—"}</dd>
        <dt>{t("fields.annualRevenue")}</dt>
        <dd>{a.annualRevenue ? f.money(a.annualRevenue) : "—"}</dd>
        <dt>{t("fields.requestedLimit")}</dt>
        <dd data-testid="requested-limit">{a.requested ? f.money(a.requested) : "—"}</dd>
        <dt>{t("fields.requestedTermsDays")}</dt>
        <dd>{a.requestedTermsDays !== null ? t("terms.net", { count: a.requestedTermsDays }) : "—"}</dd>
        <dt>{t("apply.bankReference")}</dt>
        <dd>
          {a.bank.name ?? "—"} {a.bank.last4 ? `····${a.bank.last4}` : ""} {a.bank.contact ?? ""}
        </dd>
        <dt>{t("review.signature")}</dt>
        <dd>{a.signature.name ? `${a.signature.name} · ${a.signature.at ? f.dateTime(a.signature.at) : ""}` : "—"}</dd>
        <dt>{t("queue.language")}</dt>
        <dd>{t(`languages.${a.language === "es" ? "es" : "en"}`)}</dd>
      </dl>
      <h3>{t("review.references")}</h3>
      <ul>
        {a.references.map((r) => (
          <li key={r.id}>
            {r.companyName} — {r.contactName} {r.email ?? r.phone ?? ""}
          </li>
        ))}
      </ul>
      <h3>{t("review.documents")}</h3>
      {a.documents.length === 0 ? <p>{t("review.noDocuments")}</p> : null}
      <ul>
        {a.documents.map((d) => (
          <li key={d.id}>
            <a href={`/credit/documents/${d.id}`}>{d.fileName}</a> · {t(`documentKinds.${d.kind}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The score, why the application is not automatic, the offer on the table, and the account's history. */
export function ScorePanel({ loaderData }: { loaderData: Review }) {
  const { t } = useTranslation("credit");
  const f = useFormat();
  const { application: a, summary } = loaderData;
  return (
    <section className="panel" aria-labelledby="score-title">
      <h2 id="score-title">{t("review.scoreTitle", { score: a.score ?? "—" })}</h2>
      {a.breakdown ? (
        <>
          <table className="data" data-testid="score-breakdown">
            <thead>
              <tr>
                <th scope="col">{t("review.factor")}</th>
                <th scope="col" className="num">
                  {t("review.points")}
                </th>
                <th scope="col">{t("review.why")}</th>
              </tr>
            </thead>
            <tbody>
              {a.breakdown.factors.map((factor) => (
                <tr key={factor.id}>
                  <th scope="row">{t(`factors.${factor.id}`)}</th>
                  <td className="num">
                    {factor.points} / {factor.weight}
                  </td>
                  <td>{t(factor.reason.key, { ...factor.reason.values })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t(`recommendation.${a.breakdown.recommendation}`)} ·{" "}
            {t("review.recommended", { amount: a.recommended ? f.money(a.recommended) : "—", terms: t("terms.net", { count: a.recommendedTermsDays ?? 0 }) })}
          </p>
        </>
      ) : (
        <p>{t("review.notScored")}</p>
      )}
      {a.autoApproved ? null : (
        <div data-testid="not-automatic">
          <h3>{t("review.autoTitle")}</h3>
          <ul>
            {loaderData.notAutomatic.blockers.map((b) => (
              <li key={b.kind}>
                {b.kind === "score"
                  ? t("review.auto.score", { score: b.score, min: b.minScore })
                  : b.kind === "ceiling"
                    ? t("review.auto.ceiling", {
                        requested: f.money(b.check.requested),
                        converted: b.check.rate
                          ? `${f.money(b.check.requestedInPolicy)}, ${t("review.auto.ceilingRate", { rate: b.check.rate, base: b.check.requested.currency, quote: b.check.requestedInPolicy.currency, date: b.check.effectiveOn })}`
                          : f.money(b.check.requestedInPolicy),
                        ceiling: f.money(b.check.ceiling),
                      })
                    : b.kind === "limitReduced"
                      ? t("review.auto.limitReduced", { amount: f.money({ amountMinor: b.recommendedLimitMinor, currency: a.currency }) })
                      : t("review.auto.termsShortened", { terms: t("terms.net", { count: b.recommendedTermsDays }) })}
              </li>
            ))}
            {loaderData.notAutomatic.lowersLimit ? <li>{t("review.auto.lowersLimit")}</li> : null}
            {loaderData.notAutomatic.firstUserNeeded ? <li>{t("review.auto.firstUserNeeded")}</li> : null}
            {loaderData.notAutomatic.repRequest ? <li>{t("review.auto.repRequest")}</li> : null}
          </ul>
          {loaderData.notAutomatic.blockers.length === 0 &&
          !loaderData.notAutomatic.lowersLimit &&
          !loaderData.notAutomatic.firstUserNeeded &&
          !loaderData.notAutomatic.repRequest &&
          a.breakdown ? (
            <p>{t("review.autoQualified")}</p>
          ) : null}
        </div>
      )}
      {a.proposed && a.status === "ESCALATED" ? (
        <p>{t("review.proposed", { amount: f.money(a.proposed), terms: t("terms.net", { count: a.proposedTermsDays ?? 0 }) })}</p>
      ) : null}
      {loaderData.fx ? (
        <p className="hint" data-testid="authority-fx">
          {t("review.fx", {
            amount: f.money(loaderData.fx.from),
            converted: f.money(loaderData.fx.to),
            rate: loaderData.fx.rate,
            base: loaderData.fx.from.currency,
            quote: loaderData.fx.to.currency,
            date: loaderData.fx.effectiveOn,
          })}
        </p>
      ) : null}
      {a.status === "COUNTER_OFFERED" && a.proposed ? (
        <div className="alert warn" data-testid="counter-offer">
          <strong>{t("review.offer.title")}</strong>{" "}
          {t("review.offer.made", { amount: f.money(a.proposed), terms: t("terms.net", { count: a.proposedTermsDays ?? 0 }) })}
          {a.conditions ? ` ${t("page.conditions", { conditions: a.conditions })}` : ""}
          {a.offerExpiresAt ? ` ${t(a.offerExpired ? "review.offer.expired" : "review.offer.expires", { date: f.date(a.offerExpiresAt) })}` : ""}
        </div>
      ) : null}
      {loaderData.questionAndAnswer ? (
        <div data-testid="question-answer">
          <h3>{t("review.answer.title")}</h3>
          <p>{t("review.answer.question", { message: loaderData.questionAndAnswer.question ?? "" })}</p>
          <p>
            {loaderData.questionAndAnswer.answer !== null
              ? t("review.answer.answer", { message: loaderData.questionAndAnswer.answer })
              : a.status === "INFO_REQUESTED"
                ? t("review.answer.waiting")
                : null}
          </p>
        </div>
      ) : null}
      {summary ? (
        <>
          <h3>{t("review.accountHistory")}</h3>
          <Facts
            items={[
              { term: t("line.limit"), value: f.money(summary.creditLimit) },
              { term: t("line.exposure"), value: f.money(summary.exposure) },
              { term: t("line.pastDue"), value: f.money(summary.pastDue) },
              // Shown beside past due, never inside it: an open dispute is not a late payment.
              { term: t("account:figures.inDispute"), value: f.money(summary.disputed) },
            ]}
          />
          {a.accountId ? (
            <p>
              <Link to={`/rep/accounts/${a.accountId}`}>{t("review.openAccount")}</Link> ·{" "}
              <Link to={`/rep/credit/accounts/${a.accountId}`}>{t("limitChange.link")}</Link>
            </p>
          ) : null}
        </>
      ) : (
        <p>{t("review.newCompany")}</p>
      )}
    </section>
  );
}
