import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rep.day";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { readForm } from "../utils/form-body.server";
import { myDay, reassignDayItem, staffList, staffMember } from "../domain/my-day/my-day.server";
import { DayList } from "../components/my-day/day-list";
import { FormAlerts } from "../components/form-alerts";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "myday:pageTitle");

const REASSIGN_ERRORS = ["forbidden", "not_found", "no_such_rep", "invalid"] as const;

/** A rep sees their own day; a manager any rep's (`?rep=`). Anyone else asking for another's day is refused. */
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const asked = url.searchParams.get("rep")?.slice(0, 40) || user.id;
  if (asked !== user.id && user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  const rep = await staffMember(asked);
  if (!rep) throw data({ reason: "not_found" }, { status: 404 });
  const now = new Date();
  const items = await myDay(rep, now);
  const error = url.searchParams.get("error");
  return {
    rep: { id: rep.id, name: rep.name },
    self: rep.id === user.id,
    items: items.map((item) => ({ ...item, overdue: Date.parse(item.dueAt) < now.getTime() })),
    staff: user.role === "MANAGER" ? (await staffList()).map((s) => ({ id: s.id, name: s.name })) : null,
    reassigned: url.searchParams.get("reassigned") === "1",
    error: REASSIGN_ERRORS.find((e) => e === error) ?? null,
  };
}

const reassignSchema = z.object({
  target: z.enum(["account", "dispute", "application"]),
  id: z.string().min(1).max(40),
  toRepId: z.string().min(1).max(40),
  repId: z.string().max(40).optional().catch(undefined),
});

/** A manager hands an item's work to another rep. */
export async function action({ request }: Route.ActionArgs) {
  const user = await requireStaff(request);
  if (user.role !== "MANAGER") throw data({ reason: "forbidden" }, { status: 403 });
  const parsed = reassignSchema.safeParse(Object.fromEntries(await readForm(request)));
  const back = (query: string, repId?: string) => redirect(`/rep/day?${repId ? `rep=${encodeURIComponent(repId)}&` : ""}${query}`, { status: 303 });
  if (!parsed.success) return back("error=invalid");
  const { target, id, toRepId, repId } = parsed.data;
  const result = await reassignDayItem(user, { target, id }, toRepId);
  return result.ok ? back("reassigned=1", repId) : back(`error=${result.error}`, repId);
}

export default function MyDayPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("myday");
  const { rep, items, staff } = loaderData;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{loaderData.self ? t("title") : t("titleOf", { name: rep.name })}</h1>
          <p className="hint">{t("intro")}</p>
        </div>
        <span className="tag" data-testid="day-count">
          {t("count", { count: items.length })}
        </span>
      </div>
      <FormAlerts
        success={loaderData.reassigned ? t("reassign.done") : null}
        error={loaderData.error ? t(`reassign.errors.${loaderData.error}`) : null}
        testIds={{ success: "reassigned", error: "form-error" }}
      />
      {staff ? (
        <Form method="get" className="inline-form">
          <label htmlFor="rep">{t("chooseRep")}</label>
          <select id="rep" name="rep" defaultValue={rep.id}>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="submit">{t("show")}</button>
        </Form>
      ) : null}
      <DayList items={items} staff={staff} repId={rep.id} />
    </div>
  );
}
