import { useTranslation } from "react-i18next";
import type { AccountSummary } from "../domain/accounts/account-summary.server";
import { AGING_BUCKETS } from "../domain/accounts/aging";
import { useFormat } from "../i18n/format";

type Summary = Omit<AccountSummary, never>;

/** Credit position tiles: limit, available, balance, past due and, apart from it, what is in dispute. */
export function CreditFigures({ summary }: { summary: Summary }) {
  const { t } = useTranslation("account");
  const f = useFormat();
  const overLimit = summary.availableCredit.amountMinor < 0;
  const tiles = [
    { id: "creditLimit", label: t("figures.creditLimit"), value: f.money(summary.creditLimit) },
    { id: "availableCredit", label: t("figures.availableCredit"), value: f.money(summary.availableCredit), tone: overLimit ? "bad" : "good" },
    { id: "openBalance", label: t("figures.openBalance"), value: f.money(summary.openBalance) },
    { id: "pastDue", label: t("figures.pastDue"), value: f.money(summary.pastDue), tone: summary.pastDue.amountMinor > 0 ? "warn" : undefined },
    { id: "inDispute", label: t("figures.inDispute"), value: f.money(summary.disputed), note: t("figures.inDisputeNote") },
  ];
  return (
    <div className="figures" role="list">
      {tiles.map((tile) => (
        <div key={tile.id} className={`figure ${tile.tone ?? ""}`} role="listitem" data-testid={`figure-${tile.id}`}>
          <span className="figure-label">{tile.label}</span>
          <span className="figure-value">{tile.value}</span>
          {"note" in tile && tile.note ? <span className="figure-note">{tile.note}</span> : null}
        </div>
      ))}
    </div>
  );
}

/** Aging as labelled bars; the numbers are in the text, the bars only echo them. */
export function AgingBars({ summary }: { summary: Pick<Summary, "aging" | "disputed" | "asOf"> }) {
  const { t } = useTranslation("account");
  const f = useFormat();
  const max = Math.max(1, summary.disputed.amountMinor, ...AGING_BUCKETS.map((b) => summary.aging[b].amountMinor));
  const disputedWidth = Math.round((summary.disputed.amountMinor / max) * 100);
  return (
    <table className="aging">
      <caption>{t("aging.caption", { date: f.date(summary.asOf) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("aging.bucket")}</th>
          <th scope="col" className="num">
            {t("aging.amount")}
          </th>
          <th scope="col" className="bar-col">
            <span className="visually-hidden">{t("aging.share")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {AGING_BUCKETS.map((bucket) => {
          const value = summary.aging[bucket];
          const width = Math.round((value.amountMinor / max) * 100);
          return (
            <tr key={bucket} data-testid={`aging-${bucket}`}>
              <th scope="row">{t(`aging.buckets.${bucket}`)}</th>
              <td className="num">{f.money(value)}</td>
              <td className="bar-col" aria-hidden="true">
                <span className={`bar bar-${bucket}`} style={{ width: `${width}%` }} />
              </td>
            </tr>
          );
        })}
        {/* Disputed money is owed but not aged: it sits apart from the buckets while the dispute is open. */}
        <tr data-testid="aging-inDispute">
          <th scope="row">{t("aging.inDispute")}</th>
          <td className="num">{f.money(summary.disputed)}</td>
          <td className="bar-col" aria-hidden="true">
            <span className="bar bar-disputed" style={{ width: `${disputedWidth}%` }} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function ConversionNote({ summary }: { summary: Summary }) {
  const { t } = useTranslation("account");
  const f = useFormat();
  if (summary.conversions.length === 0) return null;
  return (
    <p className="note" data-testid="fx-note">
      {t("fx.converted", {
        currency: summary.account.currency,
        rates: summary.conversions.map((c) => `1 ${c.base} = ${c.rate} ${c.quote} (${f.date(c.effectiveOn)})`).join("; "),
      })}
    </p>
  );
}
