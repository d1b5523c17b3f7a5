import { Writable } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { ServerRouter, type EntryContext, type HandleDataRequestFunction, type HandleErrorFunction } from "react-router";
import { carriesSessionCookie } from "./utils/session.server";
import { NonceContext } from "./components/nonce";
import { isTextLanguage } from "./i18n/config";
import { i18nFor, i18nRenderView, languageFor } from "./i18n/i18n.server";
import { log } from "./utils/logger.server";
import { isDatabaseUnavailable } from "./utils/db.server";

export const streamTimeout = 5_000;

/** Requests whose loader or action failed because the database could not be reached. */
const databaseUnavailableFor = new WeakSet<Request>();

/** A loader or action that failed (not a response thrown on purpose): logged with the request's id. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isDatabaseUnavailable(error)) databaseUnavailableFor.add(request);
  log().error({ err: error, method: request.method, url: request.url }, "loader or action failed");
};

/**
 * A signed-in user's page or data is theirs alone: no shared cache keeps it and the
 * browser does not keep it on disk (a shared computer, the back button after sign-out).
 * A session cookie is enough to decide: an expired one costs only a re-fetch.
 */
function keepPrivate(request: Request, headers: Headers, signedIn: boolean) {
  if (signedIn || carriesSessionCookie(request.headers.get("Cookie"))) headers.set("Cache-Control", "private, no-store");
}

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  keepPrivate(request, response.headers, false);
  return response;
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: { cspNonce?: string },
) {
  // The root loader already resolved the language (profile, cookie, header).
  const rootData = routerContext.staticHandlerContext.loaderData?.root as { language?: string; textLanguage?: string; user?: unknown } | undefined;
  keepPrivate(request, responseHeaders, Boolean(rootData?.user));
  // Without the root loader's answer (it failed: the database is down), the reader's
  // language cookie or Accept-Language still choose the error page's language.
  const language = isTextLanguage(rootData?.textLanguage)
    ? rootData.textLanguage
    : isTextLanguage(rootData?.language)
      ? rootData.language
      : await languageFor({ cookie: request.headers.get("Cookie"), acceptLanguage: request.headers.get("Accept-Language") });
  const i18n = await i18nFor(language);
  const nonce = loadContext?.cspNonce;
  // The database did not answer (an outage, a failover): the error page says to try again
  // in a moment, and the status tells proxies and monitors it is passing.
  // (Told by handleError: the errors here are already sanitized in production.)
  if (responseStatusCode === 500 && databaseUnavailableFor.has(request)) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", "5");
  }

  // No page suspends (loaders' data is awaited before rendering), so streaming would send
  // nothing early: the page is answered as one buffer instead, compressed in one pass and
  // with its length, rather than as a web stream of React's 2 KB chunks each compressed on its own.
  return new Promise<Response>((resolve, reject) => {
    // Cleared once the page is answered: a timer left running keeps the render's whole
    // state alive for seconds after the response, and under load that is most of the heap.
    const timer = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce ?? ""}>
        <I18nextProvider i18n={i18nRenderView(i18n)}>
          <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          // A plain sink rather than a PassThrough: nothing reads the bytes until the page is whole.
          const chunks: Buffer[] = [];
          const body = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
          });
          body.on("finish", () => {
            clearTimeout(timer);
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          });
          body.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        // Everything renders before onAllReady: an error here turns the page into a 500 before it is sent.
        onError() {
          responseStatusCode = 500;
        },
      },
    );
  });
}
