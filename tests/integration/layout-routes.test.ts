/**
 * Layout routes (app/routes/_customer.tsx, rep.tsx) carry navigation, not protection: their
 * loaders run beside their pages' loaders, and a script asking for one route's data
 * (`/invoices.data?_routes=…`) skips the layout's loader altogether. So every page under a
 * layout refuses the wrong person on its own, asked for alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type TestPortal } from "../support/portal";
import { idsOf, portalRoutes, routeTable, urlOf } from "../support/route-table";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

const pagesUnder = (layout: string) => {
  const withPage = new Set(
    portalRoutes()
      .filter((r) => r.hasPage && r.hasLoader)
      .map((r) => r.file),
  );
  return routeTable.filter((r) => r.layouts.includes(layout) && withPage.has(r.file));
};

/** One route's data alone, as React Router's client asks for it on navigation. */
function dataUrl(path: string, id: string, ids: Record<string, string>) {
  const url = urlOf(path, ids);
  return `${url === "/" ? "/_root" : url}.data?_routes=${encodeURIComponent(id)}`;
}

describe("the layouts", () => {
  it("hold every customer page and every rep page", () => {
    expect(pagesUnder("routes/_customer.tsx").map((r) => r.path)).toContain("invoices/:invoiceId");
    expect(pagesUnder("routes/rep.tsx").map((r) => r.path)).toContain("rep/credit/applications/:applicationId");
  });

  it("do not stand between a page's data and the wrong person", async () => {
    const acme = await idsOf(portal.db, "ACC-1001");
    const guest = portal.browser();
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const rep = await portal.signedIn("rep1@accounts.example");
    const failures: string[] = [];
    const probes = [
      ...pagesUnder("routes/_customer.tsx").flatMap((r) => [
        { r, who: "guest", b: guest },
        { r, who: "rep", b: rep },
      ]),
      ...pagesUnder("routes/rep.tsx").flatMap((r) => [
        { r, who: "guest", b: guest },
        { r, who: "customer", b: customer },
      ]),
    ];
    for (const { r, who, b } of probes) {
      const res = await b.get(dataUrl(r.path, r.id, acme));
      const body = await res.text();
      // Refused: a redirect to sign in (carried in the data for a script), or a 403.
      const refused = body.includes("/login?redirectTo=") || res.status === 403;
      if (!refused) failures.push(`${who} ${r.path}: ${res.status} ${body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  it("still give the right person their page's data, asked for alone", async () => {
    const acme = await idsOf(portal.db, "ACC-1001");
    const customer = await portal.signedIn("ap@acme-industrial.example");
    const res = await customer.get(dataUrl("invoices", "routes/_customer.invoices._index", acme));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("routes/_customer.invoices._index");
    expect(body).toContain("ACC-1001");
  });
});
