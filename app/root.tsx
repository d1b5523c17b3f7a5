import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, isRouteErrorResponse, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { LanguageSwitcher } from "./components/language-switcher";
import { useNonce } from "./components/nonce";
import { homePathFor, optionalUser } from "./utils/authorize.server";
import { sandboxActive } from "./domain/payments/stripe-provider.server";
import { resolveReader } from "./i18n/i18n.server";
import stylesheet from "./styles/app.css?url";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const headers: Route.HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await optionalUser(request);
  // Figures and times on every page follow `locale` and `timeZone` (useFormat reads them here).
  const { language, textLanguage, locale, timeZone } = await resolveReader(request, user);
  return data(
    {
      language,
      // The words: the language, or its regional variant for the reader's locale (es-ES).
      textLanguage,
      locale,
      timeZone,
      // Where the brand mark leads: the signed-in person's home, else the public one.
      home: user ? homePathFor(user) : "/",
      sandbox: sandboxActive(),
      user: user ? { name: user.name, accountName: user.account?.legalName ?? null, accountNumber: user.account?.number ?? null } : null,
    },
    { headers: { Vary: "Cookie, Accept-Language" } },
  );
}

type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRouteLoaderData("root") as RootData | undefined;
  const { t, i18n } = useTranslation();
  const nonce = useNonce();
  const language = rootData?.textLanguage ?? rootData?.language ?? i18n.language ?? "en";

  // Follow the server's language after a switch (the root loader revalidates).
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [i18n, language]);

  const user = rootData?.user;
  return (
    <html lang={language} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skip")}
        </a>
        {/* The sandbox notice sits inside the banner landmark, so no page content is outside a landmark. */}
        <header>
          <div className="site-header">
            <Link to={rootData?.home ?? "/"} className="brand">
              <span className="brand-mark" aria-hidden="true">
                CA
              </span>
              <span>{t("app.name")}</span>
            </Link>
            {/* Signed-in people get their navigation from their layout route (_customer.tsx, rep.tsx). */}
            {user ? null : (
              <nav aria-label={t("nav.label")} className="site-nav">
                <NavLink to="/help">{t("nav.help")}</NavLink>
              </nav>
            )}
            <div className="header-tools">
              <LanguageSwitcher />
              {user ? (
                <Form method="post" action="/logout" className="signout">
                  <span className="who">{user.name}</span>
                  <button type="submit" className="button-link">
                    {t("nav.signOut")}
                  </button>
                </Form>
              ) : (
                <Link to="/login" className="button small">
                  {t("nav.signIn")}
                </Link>
              )}
            </div>
          </div>
          {rootData?.sandbox ? (
            <p className="sandbox-strip" role="note" data-testid="sandbox-strip">
              {t("sandbox.banner")}
            </p>
          ) : null}
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("app.footer")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Statuses with a page of their own; anything else reads as "something went wrong". */
const ERROR_PAGES: Record<number, string> = {
  400: "badRequest",
  403: "forbidden",
  404: "notFound",
  405: "badRequest",
  409: "conflict",
  413: "tooLarge",
  415: "unsupported",
};

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  const page = isRouteErrorResponse(error) ? ERROR_PAGES[error.status] : undefined;
  const title = t(`errors.${page ?? "unexpected"}.title`);
  let message = t(`errors.${page ?? "unexpected"}.message`);
  if (!page && import.meta.env.DEV && error instanceof Error) message = error.message;
  return (
    <section className="panel error-panel" aria-labelledby="error-title">
      {/* React puts it in the head: the tab and the history say what went wrong too. */}
      <title>{`${title} · ${t("app.name")}`}</title>
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </section>
  );
}
