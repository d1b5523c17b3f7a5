import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { DayItem } from "../../domain/my-day/items";
import { releaseConditionText } from "../../domain/credit/hold-release";
import { useFormat } from "../../i18n/format";
import { useSentence } from "../sentence";

export type DayRow = DayItem & { overdue: boolean };
type Staff = { id: string; name: string };

function Waited({ hours }: { hours: number }) {
  const { t } = useTranslation("myday");
  return <span className="hint">{hours >= 48 ? t("waitedDays", { count: Math.floor(hours / 24) }) : t("waited", { count: hours })}</span>;
}

/** The day's items, earliest due first; each opens where its work is done. Managers get a reassign form per item. */
export function DayList({ items, staff, repId }: { items: DayRow[]; staff: Staff[] | null; repId: string }) {
  const { t } = useTranslation("myday");
  const f = useFormat();
  const say = useSentence();
  if (items.length === 0) return <p data-testid="day-empty">{t("empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="my-day">
        <thead>
          <tr>
            <th scope="col">{t("columns.due")}</th>
            <th scope="col">{t("columns.work")}</th>
            <th scope="col">{t("columns.account")}</th>
            <th scope="col">{t("columns.open")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key} data-testid="day-item" data-kind={item.kind}>
              <td>
                {f.date(item.dueAt)}
                {item.overdue ? <span className="tag">{t("overdue")}</span> : null}
              </td>
              <td>
                <span className="eyebrow">{t(`kinds.${item.kind}`)}</span>
                <div>{say(item.title)}</div>
                {item.detail ? <div className="hint">{say(item.detail)}</div> : null}
                {item.clears ? (
                  <div className="hint" data-testid="release-condition">
                    {(() => {
                      const text = releaseConditionText(item.clears, f.money, "staff");
                      return t(text.key, text.values);
                    })()}
                  </div>
                ) : null}
                {item.waitedHours !== null ? <Waited hours={item.waitedHours} /> : null}
              </td>
              <td>{item.account ? <Link to={`/rep/accounts/${item.account.id}`}>{item.account.legalName}</Link> : "—"}</td>
              <td>
                <Link to={item.href} className="button" data-testid="open-item">
                  {t("columns.open")}
                </Link>
                {staff && item.reassign ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="target" value={item.reassign.target} />
                    <input type="hidden" name="id" value={item.reassign.id} />
                    <input type="hidden" name="repId" value={repId} />
                    <label htmlFor={`to-${item.key}`}>{t("reassign.label")}</label>
                    <select id={`to-${item.key}`} name="toRepId" defaultValue="">
                      <option value="">—</option>
                      {staff.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                    <button type="submit">{t("reassign.submit")}</button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
