import { createInstance, type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { portalCookie } from "../utils/cookies.server";
import { FALLBACK_LANGUAGE, i18nOptions, isLanguage, textLanguageFor, type Language, type TextLanguage } from "./config";
import { teamTimeZone } from "../domain/staff/time-zone.server";
import { formattingFor, isTimeZone, preferredFormatting, type Formatting } from "./locale";

export const languageCookie = portalCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** The language an Accept-Language header asks for first, if it is one we speak. */
function fromAcceptLanguage(header: string | null | undefined): Language | null {
  const ranked = (header ?? "")
    .split(",")
    .map((part, order) => {
      const [tag = "", ...params] = part.split(";").map((p) => p.trim());
      const q = params.find((p) => p.startsWith("q="));
      return { tag, order, quality: q ? Number.parseFloat(q.slice(2)) : 1 };
    })
    .filter(({ tag }) => tag && tag !== "*" && Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  // Only the reader's first choice counts: a Portuguese reader who also reads Spanish gets the fallback, as before.
  const first = ranked[0]?.tag.split("-")[0]?.toLowerCase();
  return isLanguage(first) ? first : null;
}

/**
 * Language rule: the user's profile, else the language cookie, else Accept-Language.
 * Takes the raw headers, so a socket handshake resolves a language the same way a page does.
 */
export async function languageFor(headers: { cookie?: string | null; acceptLanguage?: string | null }, profileLanguage?: string | null): Promise<Language> {
  if (isLanguage(profileLanguage)) return profileLanguage;
  const chosen: unknown = await languageCookie.parse(headers.cookie ?? null);
  if (isLanguage(chosen)) return chosen;
  return fromAcceptLanguage(headers.acceptLanguage) ?? FALLBACK_LANGUAGE;
}

export function resolveLanguage(request: Request, profileLanguage?: string | null): Promise<Language> {
  return languageFor({ cookie: request.headers.get("Cookie"), acceptLanguage: request.headers.get("Accept-Language") }, profileLanguage);
}

type Reader = Parameters<typeof preferredFormatting>[0] & { preferredLanguage?: string | null; role?: string | null };

/**
 * How this request's reader gets pages: the language (profile, cookie, header) and the
 * formatting locale and time zone (their own or their account's, see `formattingFor`; a
 * rep without one reads the team's zone, `teamTimeZone`).
 * Every loader and action that formats or parses an amount asks this.
 */
export async function resolveReader(
  request: Request,
  user: Reader | null | undefined,
): Promise<Formatting & { language: Language; textLanguage: TextLanguage }> {
  const language = await resolveLanguage(request, user?.preferredLanguage);
  // A rep who has not chosen a zone reads the team's (the business hours' zone), else UTC — not a guess from their language.
  const staffDefault = user?.role && user.role !== "CUSTOMER" && !isTimeZone(user.timeZone) ? await teamTimeZone(language) : null;
  const formatting = formattingFor(language, preferredFormatting(staffDefault ? { ...user, timeZone: staffDefault } : user));
  return { language, textLanguage: textLanguageFor(language, formatting.locale), ...formatting };
}

// One initialised i18next per language for the whole process: page renders, emails and
// server-side messages all use it. Initialising one per request cost more than
// rendering some pages, and nothing on the server ever changes an instance's language.
const instances = new Map<TextLanguage, Promise<i18n>>();

/** The shared i18next instance of one language or regional variant (with react-i18next, for server renders). */
export function i18nFor(language: TextLanguage): Promise<i18n> {
  let instance = instances.get(language);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...i18nOptions, lng: language })
      .then(() => created);
    instances.set(language, instance);
  }
  return instance;
}

const renderViews = new WeakMap<i18n, i18n>();

/**
 * What a server render hands to I18nextProvider: the shared instance seen through an
 * object with no properties of its own. react-i18next's useTranslation wraps the instance
 * it is given by copying every own property onto a new object, once per component instance,
 * and a server render keeps no component instance: on a page with a dozen translated
 * components that copying was a millisecond of every render. Through this view the copy is
 * empty and every read (t, language, options, the store) reaches the shared instance.
 * Renders only read: nothing on the server changes an instance (see `instances`).
 */
export function i18nRenderView(instance: i18n): i18n {
  let view = renderViews.get(instance);
  if (!view) {
    view = Object.create(instance) as i18n;
    view.getFixedT = keptTranslations(instance);
    renderViews.set(instance, view);
  }
  return view;
}

// Beyond this many kept texts per instance, texts are worked out on every call: a key
// made from something other than our own constants must not grow the process forever.
const KEPT_TEXTS = 20_000;

/**
 * The view's getFixedT: each component's `t`, keeping the text of every call that passes a
 * key alone. i18next's own fixed `t` copies all of the instance's options on every call
 * before looking the key up (for keys given as selector functions, which the portal does
 * not use): 20–30 µs a call measured here, and the invoice list makes hundreds. A plain
 * key's text cannot change, as nothing on the server changes an instance. A call with
 * values (a count, a page number) goes to the instance's `t` with the fixed language and
 * namespaces, which is what the fixed `t` ends up calling; its text is kept too, under the
 * key and the values, while those are plain (resolving a plural and its interpolation
 * costs about 100 µs).
 */
function keptTranslations(instance: i18n): i18n["getFixedT"] {
  type Translate = ((key: unknown, ...rest: unknown[]) => unknown) & { lng?: string; lngs?: readonly string[]; ns?: unknown; keyPrefix?: unknown };
  const fixedT = instance.getFixedT.bind(instance) as unknown as (...args: unknown[]) => Translate;
  const translate = instance.t.bind(instance) as unknown as (key: string, options: object) => unknown;
  // Per scope (language and namespaces): texts of plain keys, and texts made with values.
  const scopes = new Map<string, { texts: Map<string, unknown>; textsWithValues: Map<string, string> }>();
  let kept = 0;
  return ((...args: unknown[]) => {
    const fixed = fixedT(...args);
    // A key prefix (as text or as a selector function) is the fixed t's to apply.
    if (fixed.keyPrefix !== undefined || args.some((arg) => typeof arg === "function")) return fixed;
    const scope = JSON.stringify(args);
    let scopeTexts = scopes.get(scope);
    if (!scopeTexts) scopes.set(scope, (scopeTexts = { texts: new Map(), textsWithValues: new Map() }));
    const { texts, textsWithValues } = scopeTexts;
    const fixedOptions = { lng: fixed.lng, lngs: fixed.lngs, ns: fixed.ns };
    const t: Translate = (key, ...rest) => {
      if (typeof key !== "string" || rest.length > 1) return fixed(key, ...rest);
      const [options] = rest;
      if (options !== undefined) {
        // A default value given as text, or options that carry their own language, namespaces or prefix: as i18next does it.
        if (typeof options !== "object" || options === null || "lng" in options || "lngs" in options || "ns" in options || "keyPrefix" in options)
          return fixed(key, options);
        // Values that are plain text, numbers or yes/no decide the text with the key (a count's
        // plural, "page 3 of 40"): kept for a while, as i18next resolves each call anew.
        const valuesKey = plainValuesKey(options);
        if (valuesKey === undefined) return translate(key, { ...options, ...fixedOptions });
        const id = `${key}\u0000${valuesKey}`;
        const keptText = textsWithValues.get(id);
        if (keptText !== undefined) return keptText;
        const made = translate(key, { ...options, ...fixedOptions });
        if (typeof made === "string") keepTextWithValues(textsWithValues, id, made);
        return made;
      }
      let text = texts.get(key);
      if (text === undefined) {
        text = translate(key, fixedOptions);
        if (kept < KEPT_TEXTS && typeof text === "string") {
          texts.set(key, text);
          kept++;
        }
      }
      return text;
    };
    return Object.assign(t, { lng: fixed.lng, lngs: fixed.lngs, ns: fixed.ns, keyPrefix: fixed.keyPrefix });
  }) as unknown as i18n["getFixedT"];
}

// Texts made with values vary without end (every count, every page number): the most recently made are kept.
const KEPT_TEXTS_WITH_VALUES = 5_000;

/** The values of a call as one key, when each is text, a number or yes/no; otherwise undefined (not kept). */
function plainValuesKey(options: object): string | undefined {
  for (const value of Object.values(options)) {
    const type = typeof value;
    if (type !== "string" && type !== "number" && type !== "boolean") return undefined;
  }
  return JSON.stringify(options);
}

function keepTextWithValues(texts: Map<string, string>, id: string, text: string) {
  texts.set(id, text);
  if (texts.size > KEPT_TEXTS_WITH_VALUES) texts.delete(texts.keys().next().value!);
}

/**
 * A translate function fixed to one language (emails, server-side messages); with the
 * reader's formatting locale, in their regional words (es + es-ES → Spain's Spanish).
 */
export async function translatorFor(language: Language, locale?: string | null): Promise<TFunction> {
  return (await i18nFor(textLanguageFor(language, locale))).t;
}
