import { describe, expect, it } from "vitest";
import { invoiceRowsMarkup } from "../../app/components/invoice-rows";
import { joinMarkup, markup } from "../../app/components/markup";
import { formatterFor } from "../../app/i18n/format";

describe("markup written as a string", () => {
  it("escapes every value as text; only markup made by the tag goes in as markup", () => {
    const hostile = `"><script>alert('x')</script>&amp;`;
    expect(markup`<td title="${hostile}">${hostile}</td>`.html).toBe(
      `<td title="&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;amp;">&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;amp;</td>`,
    );
    expect(markup`<p>${markup`<b>${"<i>"}</b>`}</p>`.html).toBe("<p><b>&lt;i&gt;</b></p>");
    expect(markup`<p>${null}${undefined}${false}${0}</p>`.html).toBe("<p>0</p>");
    expect(joinMarkup([markup`<li>${"a&b"}</li>`, markup`<li>${2}</li>`]).html).toBe("<li>a&amp;b</li><li>2</li>");
  });

  it("writes the invoice rows as the table showed them, in the reader's formats, with nothing a customer typed as markup", () => {
    const row = {
      id: "inv 1/?",
      number: "INV-<1>",
      poNumber: `PO "7" <b>`,
      issuedOn: "2026-11-03",
      dueOn: "2026-12-03",
      total: { amountMinor: 123456, currency: "MXN" },
      balance: { amountMinor: 100, currency: "MXN" },
      status: "PARTIALLY_PAID",
      daysPastDue: 12,
      disputed: true,
    };
    const words = (language: "en" | "es", locale: "en-US" | "es-MX") => {
      const f = formatterFor({ locale, timeZone: "America/Mexico_City" });
      return {
        money: f.money,
        date: f.date,
        number: f.number,
        status: (s: string) => `[${language}:${s}]`,
        disputedTag: language === "es" ? "En disputa" : "Disputed",
      };
    };
    const es = invoiceRowsMarkup([row, { ...row, id: "2", number: "INV-2", poNumber: null, daysPastDue: 0, disputed: false }], words("es", "es-MX")).html;
    expect(es).toContain(`<tr data-testid="invoice-row-INV-&lt;1&gt;"><th scope="row"><a href="/invoices/inv%201%2F%3F">INV-&lt;1&gt;</a></th>`);
    expect(es).toContain(`<td>PO &quot;7&quot; &lt;b&gt;</td>`);
    expect(es).toContain(`<td class="num">${formatterFor({ locale: "es-MX", timeZone: "America/Mexico_City" }).money(row.total)}</td>`);
    expect(es).toContain(`<td>[es:PARTIALLY_PAID]<span class="tag"> En disputa</span></td><td class="num">12</td></tr>`);
    // No PO, not past due, not disputed: empty cells, no tag.
    expect(es).toContain(`<a href="/invoices/2">INV-2</a></th><td></td><td>3 nov 2026</td>`);
    expect(es).toMatch(/<td>\[es:PARTIALLY_PAID\]<\/td><td class="num"><\/td><\/tr>$/);
    expect(es).not.toContain("<b>");
    const en = invoiceRowsMarkup([row], words("en", "en-US")).html;
    expect(en).toContain("<td>Nov 3, 2026</td><td>Dec 3, 2026</td>");
    expect(en).toContain("MX$1,234.56");
  });
});
