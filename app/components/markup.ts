/**
 * Markup written as a string, for the few places where React's work per element is most
 * of what a page costs to render (the invoice list's rows: see invoice-rows.ts). Every
 * value put into a template is escaped as text unless it is itself `Markup` made here,
 * so nothing a customer or an import wrote can become markup. The tag is not called
 * `html`: Prettier reformats templates with that tag as HTML, adding whitespace and
 * closing tags.
 */
export class Markup {
  constructor(readonly html: string) {}
}

const ESCAPED: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/** A value as text in markup, in an element or in a quoted attribute. */
function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPED[c]);
}

type Interpolated = string | number | Markup | null | undefined | false;

/** `markup\`<td>${value}</td>\``: the template as written, each value escaped (null, undefined and false as nothing). */
export function markup(strings: TemplateStringsArray, ...values: Interpolated[]): Markup {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out += (value instanceof Markup ? value.html : value === null || value === undefined || value === false ? "" : escapeText(String(value))) + strings[i + 1];
  }
  return new Markup(out);
}

export function joinMarkup(parts: Markup[]): Markup {
  return new Markup(parts.map((part) => part.html).join(""));
}
