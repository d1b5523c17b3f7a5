import { data } from "react-router";
import { resolveLanguage, translatorFor } from "../i18n/i18n.server";

/**
 * A file the portal generates (statement, invoice, receipt, letter, timeline) sent as a
 * download: never cached by a shared cache, never content-sniffed, in the reader's language.
 */
export function downloadResponse(body: Uint8Array | string, file: { fileName: string; contentType: string; language: string }): Response {
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Content-Language": file.language,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * What a download that is not there answers (a mistyped or old link, another account's
 * file): a browser opening the link gets a short page in the reader's language with a way
 * home, never raw JSON; a script gets the reason as JSON. A resource route cannot render
 * the app's error page, so the page is written here. It throws: `return downloadNotFound(…)`.
 */
export async function downloadNotFound(request: Request, user?: { preferredLanguage?: string | null } | null): Promise<never> {
  const wantsPage = /\btext\/html\b/.test(request.headers.get("Accept") ?? "");
  if (!wantsPage) throw data({ reason: "not_found" }, { status: 404 });
  const language = await resolveLanguage(request, user?.preferredLanguage);
  const t = await translatorFor(language);
  const [title, message, home, app] = [
    t("common:errors.fileNotFound.title"),
    t("common:errors.fileNotFound.message"),
    t("common:errors.backHome"),
    t("common:app.name"),
  ];
  const page = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(app)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:3rem 1.5rem;color:#1f2933;background:#f5f7fa}main{max-width:36rem;margin:auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}a{color:#1d4ed8}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(home)}</a></p></main></body></html>`;
  throw new Response(page, {
    status: 404,
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Language": language, "Cache-Control": "private, no-store" },
  });
}
