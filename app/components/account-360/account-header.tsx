import { useTranslation } from "react-i18next";
import type { Account360 } from "../../domain/collections/account-360.server";
import { useFormat } from "../../i18n/format";
import { AgingBars, ConversionNote, CreditFigures } from "../account-figures";
import { DeliveryPathLabel, type DeliveryOverview } from "../invoice-delivery/delivery-panel";

/** Who the account is and where it stands: figures, terms, owner, language, aging, and the policy-currency view. */
export function AccountHeader({ view, delivery }: { view: Account360; delivery: DeliveryOverview }) {
  const { t } = useTranslation(["collections", "account"]);
  const f = useFormat();
  const { summary, details } = view;
  const conversion = view.pastDueInPolicy ?? view.balanceInPolicy;
  return (
    <>
      <CreditFigures summary={summary} />
      <dl className="facts" data-testid="account-facts">
        <dt>{t("collections:account.balance")}</dt>
        <dd>{f.money(summary.balance)}</dd>
        {summary.accountCredit.amountMinor > 0 ? (
          <>
            <dt>{t("collections:account.accountCredit")}</dt>
            <dd data-testid="account-credit-360">{f.money(summary.accountCredit)}</dd>
          </>
        ) : null}
        <dt>{t("collections:account.terms")}</dt>
        <dd>{t("collections:account.termsDays", { days: summary.account.paymentTermsDays })}</dd>
        <dt>{t("collections:account.status")}</dt>
        <dd>{t(`account:status.${summary.account.status}`)}</dd>
        <dt>{t("collections:account.owner")}</dt>
        <dd>{details.ownerRep?.name ?? t("collections:worklist.noOwner")}</dd>
        <dt>{t("collections:account.language")}</dt>
        <dd>{t(`collections:languages.${details.preferredLanguage === "es" ? "es" : "en"}`)}</dd>
        <dt>{t("collections:account.deliveryPath")}</dt>
        <dd data-testid="delivery-path">
          <DeliveryPathLabel overview={delivery} />
        </dd>
      </dl>
      <ConversionNote summary={summary} />
      {conversion ? (
        <p className="note" data-testid="policy-conversion">
          {t("collections:account.policyConversion", {
            quote: view.policyCurrency,
            pastDue: view.pastDueInPolicy ? f.money(view.pastDueInPolicy.to) : f.money({ amountMinor: 0, currency: view.policyCurrency }),
            balance: view.balanceInPolicy ? f.money(view.balanceInPolicy.to) : f.money({ amountMinor: 0, currency: view.policyCurrency }),
            base: summary.account.currency,
            rate: conversion.rate,
            date: f.date(`${conversion.effectiveOn}T12:00:00Z`),
          })}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="aging-title">
        <h2 id="aging-title">{t("account:aging.title")}</h2>
        <AgingBars summary={summary} />
      </section>
    </>
  );
}
