import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "./+types/rep.notes";
import { pageTitle } from "../i18n/meta";
import { requireStaff } from "../utils/authorize.server";
import { searchNotes } from "../domain/collections/contacts.server";
import { useFormat } from "../i18n/format";

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, "collections:titles.notes");

/** Account notes searched across every account (staff only). */
export async function loader({ request }: Route.LoaderArgs) {
  await requireStaff(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  return { q, notes: await searchNotes(q) };
}

export default function NotesSearch({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("collections");
  const f = useFormat();
  const { q, notes } = loaderData;
  return (
    <div className="page">
      <h1>{t("notes.searchTitle")}</h1>
      <Form method="get" role="search" className="inline-form">
        <label htmlFor="notes-q">{t("notes.searchLabel")}</label>
        <input id="notes-q" name="q" type="search" defaultValue={q} maxLength={200} autoFocus />
        <button type="submit" className="button">
          {t("notes.search")}
        </button>
      </Form>
      {q ? (
        notes.length === 0 ? (
          <p className="note">{t("notes.noResults", { q })}</p>
        ) : (
          <>
            <p className="note">{t("notes.results", { count: notes.length })}</p>
            <ul className="notes-list" data-testid="note-results">
              {notes.map((n) => (
                <li key={n.id}>
                  <Link to={`/rep/accounts/${n.account.id}?tab=notes`}>
                    {n.account.legalName} ({n.account.number})
                  </Link>{" "}
                  <span className="note">
                    {f.dateTime(n.createdAt)} · {n.author?.name ?? ""}
                  </span>
                  <p>{n.body}</p>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </div>
  );
}
