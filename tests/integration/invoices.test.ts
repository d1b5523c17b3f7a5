/** Invoice list and detail: filters, search, totals, aging, both languages, and isolation. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { pdfText } from "../support/pdf-text";
import { OPEN_DISPUTE_STATUSES } from "../../app/domain/disputes/dispute-schemas";
import { PAGE_SIZE } from "../../app/domain/invoices/invoice-query";

let portal: TestPortal;
let acme: { id: string };
let norte: { id: string; legalName: string };
let acmeCustomer: Browser;
beforeAll(async () => {
  portal = await startPortal();
  acme = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1001" } });
  norte = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1002" } });
  acmeCustomer = await portal.signedIn("ap@acme-industrial.example");
});
afterAll(async () => {
  await portal?.close();
});

describe("the invoice list", () => {
  it("shows the account's invoices with a count, totals per currency and the aging summary", async () => {
    const total = await portal.db.invoice.count({ where: { accountId: acme.id } });
    const page = await acmeCustomer.page("/invoices");
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`${total} invoices`);
    expect(text).toContain("Totals for these filters");
    expect(text).toContain("Aging of your open balance");
    expect(text).toContain("Over 90 days");
    expect(text).toContain("Page 1 of");
    expect(text).not.toContain(norte.legalName);
  });

  it("filters by status and currency, searches by number or PO, sorts and paginates", async () => {
    const paid = await portal.db.invoice.count({ where: { accountId: acme.id, status: "PAID" } });
    expect(textOf((await acmeCustomer.page("/invoices?status=paid")).html)).toContain(`${paid} invoices`);
    const open = await portal.db.invoice.count({ where: { accountId: acme.id, status: { in: ["OPEN", "PARTIALLY_PAID"] } } });
    expect(textOf((await acmeCustomer.page("/invoices?status=open")).html)).toContain(`${open} invoices`);
    const disputed = await portal.db.invoice.count({
      where: { accountId: acme.id, disputes: { some: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } } } },
    });
    expect(textOf((await acmeCustomer.page("/invoices?status=disputed")).html)).toContain(`${disputed} invoice`);
    expect(textOf((await acmeCustomer.page("/invoices?currency=EUR")).html)).toContain("No invoices match these filters.");
    const today = new Date(new Date().toISOString().slice(0, 10));
    // Past due: some of the balance is not under an open dispute (a partly disputed invoice still counts).
    const pastDue = (
      await portal.db.invoice.findMany({
        where: { accountId: acme.id, status: { in: ["OPEN", "PARTIALLY_PAID"] }, dueOn: { lt: today }, balanceMinor: { gt: 0 } },
        select: { balanceMinor: true, disputes: { where: { status: { in: ["OPEN", "IN_REVIEW", "ESCALATED"] } }, select: { amountMinor: true } } },
      })
    ).filter((i) => i.balanceMinor > i.disputes.reduce((sum, d) => sum + d.amountMinor, 0n)).length;
    expect(pastDue).toBeGreaterThan(0);
    expect(textOf((await acmeCustomer.page("/invoices?status=pastDue")).html)).toContain(`${pastDue} invoice`);
    // Search text is matched literally: SQL wildcards typed by the customer match nothing special.
    expect(textOf((await acmeCustomer.page("/invoices?q=%25")).html)).toContain("No invoices match these filters.");
    expect(textOf((await acmeCustomer.page("/invoices?q=_")).html)).toContain("No invoices match these filters.");

    const one = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id }, orderBy: { number: "asc" } });
    const byNumber = textOf((await acmeCustomer.page(`/invoices?q=${one.number}`)).html);
    expect(byNumber).toContain("1 invoice");
    expect(byNumber).toContain(one.poNumber!);
    const byPo = textOf((await acmeCustomer.page(`/invoices?q=${one.poNumber!.toLowerCase()}`)).html);
    expect(byPo).toContain(one.number);

    const sorted = await acmeCustomer.page("/invoices?sort=number&dir=asc");
    expect(sorted.html.indexOf(`invoice-row-${one.number}`)).toBeGreaterThan(0);
    const last = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id }, orderBy: { number: "desc" } });
    const page2 = textOf((await acmeCustomer.page("/invoices?sort=number&dir=asc&page=2")).html);
    expect(page2).toContain("Page 2 of");
    expect(page2).not.toContain(` ${one.number} `);
    expect(page2).not.toContain(` ${last.number} `);

    const from = one.issuedOn.toISOString().slice(0, 10);
    const inRange = await portal.db.invoice.count({ where: { accountId: acme.id, issuedOn: { gte: one.issuedOn, lte: one.issuedOn } } });
    expect(textOf((await acmeCustomer.page(`/invoices?from=${from}&to=${from}`)).html)).toContain(`${inRange} invoice`);
  });

  it("shows exactly the rows of the page asked for, in every sort and direction, with open disputes tagged", async () => {
    const invoices = await portal.db.invoice.findMany({
      where: { accountId: acme.id },
      select: { id: true, number: true, issuedOn: true, dueOn: true, balanceMinor: true, disputes: { select: { status: true } } },
    });
    const open = new Set<string>(OPEN_DISPUTE_STATUSES);
    const disputed = new Set(invoices.filter((i) => i.disputes.some((d) => open.has(d.status))).map((i) => i.number));
    expect(disputed.size).toBeGreaterThan(0);
    const key = { dueOn: (i: (typeof invoices)[number]) => i.dueOn.getTime(), issuedOn: (i: (typeof invoices)[number]) => i.issuedOn.getTime() };
    const compare = (sort: string) => (a: (typeof invoices)[number], b: (typeof invoices)[number]) => {
      const byColumn =
        sort === "number"
          ? a.number.localeCompare(b.number, "en", { sensitivity: "variant" })
          : sort === "balance"
            ? Number(a.balanceMinor - b.balanceMinor)
            : key[sort as "dueOn" | "issuedOn"](a) - key[sort as "dueOn" | "issuedOn"](b);
      return byColumn || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    };
    const pages = Math.ceil(invoices.length / PAGE_SIZE);
    expect(pages).toBeGreaterThan(1);
    for (const sort of ["dueOn", "issuedOn", "number", "balance"]) {
      for (const dir of ["asc", "desc"]) {
        const ordered = [...invoices].sort(compare(sort));
        if (dir === "desc") ordered.reverse();
        for (const page of [2, pages]) {
          const html = (await acmeCustomer.page(`/invoices?sort=${sort}&dir=${dir}&page=${page}`)).html;
          const shown = [...html.matchAll(/data-testid="invoice-row-([^"]+)"/g)].map((m) => m[1]);
          expect(shown, `${sort} ${dir} page ${page}`).toEqual(ordered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((i) => i.number));
          for (const number of shown) {
            const row = html.slice(
              html.indexOf(`data-testid="invoice-row-${number}"`),
              html.indexOf("</tr>", html.indexOf(`data-testid="invoice-row-${number}"`)),
            );
            expect(row.includes("Disputed"), `${number} disputed`).toBe(disputed.has(number));
          }
        }
      }
    }
  });

  it("tags an invoice as disputed the moment a dispute opens, and untags it once settled, whoever wrote it", async () => {
    // Written straight to the database, as another server process would: the list must not keep what it knew.
    const invoice = await portal.db.invoice.findFirstOrThrow({
      where: { accountId: acme.id, status: "OPEN", disputes: { none: {} } },
      orderBy: [{ dueOn: "desc" }, { id: "desc" }],
    });
    const rowOf = async () => {
      const html = (await acmeCustomer.page(`/invoices?q=${invoice.number}`)).html;
      const start = html.indexOf(`data-testid="invoice-row-${invoice.number}"`);
      expect(start, "the invoice is listed").toBeGreaterThan(0);
      return html.slice(start, html.indexOf("</tr>", start));
    };
    expect(await rowOf()).not.toContain("Disputed");
    const dispute = await portal.db.dispute.create({
      data: {
        number: `DSP-T${Date.now().toString(36).toUpperCase()}`,
        accountId: acme.id,
        invoiceId: invoice.id,
        reason: "PRICING",
        amountMinor: 100n,
        currency: invoice.currency,
      },
    });
    expect(await rowOf()).toContain("Disputed");
    await portal.db.dispute.update({ where: { id: dispute.id }, data: { status: "WITHDRAWN" } });
    expect(await rowOf()).not.toContain("Disputed");
  });

  it("reads deep pages of a long list from where they start, in every sort, filtered or not, and again once the ledger changes", async () => {
    // Far more pages than the first few read by offset, with many ties on every sort column.
    const ap = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
    const account = await portal.db.account.create({
      data: {
        number: "ACC-9301",
        legalName: "Long Ledger Supply",
        taxId: "98-7654321",
        country: "US",
        currency: "USD",
        creditLimitMinor: 50_000_000n,
        paymentTermsDays: 30,
      },
    });
    await portal.db.user.create({
      data: { email: "ap@long-ledger.example", name: "Long Ledger AP", passwordHash: ap.passwordHash, role: "CUSTOMER", accountId: account.id },
    });
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
    await portal.db.invoice.createMany({
      data: Array.from({ length: 330 }, (_, i) => ({
        number: `LL-${String(i).padStart(4, "0")}`,
        accountId: account.id,
        currency: "USD",
        issuedOn: day(i % 5),
        dueOn: day(30 + (i % 7)),
        totalMinor: 100_000n,
        balanceMinor: BigInt((i % 3) * 25_000),
        status: i % 3 === 0 ? ("PAID" as const) : ("OPEN" as const),
      })),
    });
    const customer = await portal.signedIn("ap@long-ledger.example");
    type Row = { id: string; number: string; issuedOn: Date; dueOn: Date; balanceMinor: bigint; status: string };
    const column: Record<string, (i: Row) => number | string> = {
      dueOn: (i) => i.dueOn.getTime(),
      issuedOn: (i) => i.issuedOn.getTime(),
      balance: (i) => Number(i.balanceMinor),
      number: (i) => i.number,
    };
    const expected = (rows: Row[], sort: string, dir: string, page: number) => {
      const ordered = [...rows].sort((a, b) => {
        const x = column[sort](a);
        const y = column[sort](b);
        return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
      if (dir === "desc") ordered.reverse();
      return ordered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((i) => i.number);
    };
    const shown = async (query: string) => {
      const page = await customer.page(`/invoices?${query}`);
      expect(page.status, query).toBe(200);
      return [...page.html.matchAll(/data-testid="invoice-row-([^"]+)"/g)].map((m) => m[1]);
    };
    const select = { id: true, number: true, issuedOn: true, dueOn: true, balanceMinor: true, status: true } as const;
    let all: Row[] = await portal.db.invoice.findMany({ where: { accountId: account.id }, select });
    const pages = Math.ceil(all.length / PAGE_SIZE);
    expect(pages).toBe(14);
    for (const sort of ["dueOn", "issuedOn", "number", "balance"])
      for (const dir of ["asc", "desc"])
        for (const page of [8, 9, 12, pages])
          expect(await shown(`sort=${sort}&dir=${dir}&page=${page}`), `${sort} ${dir} ${page}`).toEqual(expected(all, sort, dir, page));
    // Filtered: by status (a prepared shape) and by search (not prepared); the pages are of the filtered rows.
    const open = all.filter((i) => i.status === "OPEN");
    expect(await shown("status=open&sort=balance&dir=desc&page=9")).toEqual(expected(open, "balance", "desc", 9));
    const matching = all.filter((i) => i.number.startsWith("LL-0") || i.number.startsWith("LL-02"));
    expect(await shown("q=LL-0&sort=dueOn&dir=asc&page=10")).toEqual(expected(matching, "dueOn", "asc", 10));

    // The ledger moves: a new invoice at the top of the due dates and a payment that changes
    // balances. The same deep page shows the new order at once.
    await portal.db.invoice.create({
      data: { number: "LL-9999", accountId: account.id, currency: "USD", issuedOn: day(9), dueOn: day(90), totalMinor: 100_000n, balanceMinor: 100_000n },
    });
    await portal.db.invoice.updateMany({
      where: { accountId: account.id, number: { lt: "LL-0020" }, status: "OPEN" },
      data: { balanceMinor: 0n, status: "PAID" },
    });
    all = await portal.db.invoice.findMany({ where: { accountId: account.id }, select });
    expect(await shown("sort=dueOn&dir=desc&page=12")).toEqual(expected(all, "dueOn", "desc", 12));
    expect(await shown("sort=balance&dir=asc&page=10")).toEqual(expected(all, "balance", "asc", 10));
    expect(await shown("status=open&sort=balance&dir=desc&page=9")).toEqual(
      expected(
        all.filter((i) => i.status === "OPEN"),
        "balance",
        "desc",
        9,
      ),
    );
  });

  it("ignores junk in the query string instead of failing", async () => {
    const page = await acmeCustomer.page("/invoices?status=nope&currency=XXX&from=yesterday&page=-4&sort=evil");
    expect(page.status).toBe(200);
  });

  it("is in Spanish for a Spanish-speaking customer, with Mexican formatting", async () => {
    const customer = await portal.signedIn("cxp@distnorte.example");
    const page = await customer.page("/invoices");
    expect(page.html).toContain("<title>Facturas · Cuentas de Clientes</title>");
    const text = textOf(page.html);
    expect(text).toContain("Facturas");
    expect(text).toContain("Totales con estos filtros");
    expect(text).toMatch(/\$[\d,]+\.\d{2}/);
  });
});

describe("the invoice detail", () => {
  it("shows lines, PO, due date, days past due, payments applied and disputes", async () => {
    const inv = await portal.db.invoice
      .findFirstOrThrow({
        where: { accountId: acme.id, status: "PARTIALLY_PAID", disputes: { some: {} } },
        include: { lines: true, disputes: true },
      })
      .catch(() => portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id, status: "PARTIALLY_PAID" }, include: { lines: true, disputes: true } }));
    const page = await acmeCustomer.page(`/invoices/${inv.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`Invoice ${inv.number}`);
    expect(text).toContain(inv.poNumber!);
    for (const line of inv.lines) expect(text).toContain(line.description);
    expect(text).toContain("Payments applied");
    expect(page.html).toContain("/payments/");
    expect(text).toContain("Days past due");
  });
});

describe("isolation", () => {
  it("gives 404 and no data for another account's invoice, by any URL", async () => {
    const theirs = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    for (const url of [`/invoices/${theirs.id}`, `/invoices/${theirs.id}?accountId=${norte.id}`]) {
      const res = await acmeCustomer.get(url);
      expect(res.status, url).toBe(404);
      const text = textOf(await res.text());
      expect(text).not.toContain(theirs.number);
      expect(text).not.toContain(norte.legalName);
    }
    const list = textOf((await acmeCustomer.page(`/invoices?q=${theirs.number}&accountId=${norte.id}`)).html);
    expect(list).toContain("No invoices match these filters.");
  });

  it("sends anonymous visitors to sign in and keeps staff out of the customer pages", async () => {
    const res = await portal.browser().get("/invoices");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Finvoices");
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/invoices")).status).toBe(403);
  });
});

describe("invoice PDF and statement", () => {
  it("gives the invoice as a PDF in the customer's language", async () => {
    const norteCustomer = await portal.signedIn("cxp@distnorte.example");
    const inv = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    const res = await norteCustomer.get(`/invoices/${inv.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-language")).toBe("es");
    expect(res.headers.get("content-disposition")).toContain(inv.number);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const en = await acmeCustomer.get(`/invoices/${(await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id } })).id}/pdf`);
    expect(en.headers.get("content-language")).toBe("en");
  });

  it("gives a statement as a page, a PDF and a CSV whose closing balance is the open balance", async () => {
    const norteCustomer = await portal.signedIn("cxp@distnorte.example");
    const today = new Date().toISOString().slice(0, 10);
    const page = textOf((await norteCustomer.page(`/statement?from=2020-01-01&to=${today}`)).html);
    expect(page).toContain("Estado de cuenta");
    expect(page).toContain("Saldo final");
    // A range past today ends today (no balance "as of" a day to come); dates the wrong way round are read the right way.
    for (const url of [`/statement?from=2020-01-01&to=2099-12-31`, `/statement?from=${today}&to=2020-01-01`]) {
      const html = (await norteCustomer.page(url)).html;
      expect(html, url).toContain(`name="to" value="${today}"`);
      expect(html, url).toContain(`name="from" value="2020-01-01"`);
    }
    const csv = await norteCustomer.get("/statement.csv?from=2020-01-01&to=2099-12-31");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    const rows = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows[0]).toBe("Moneda,Fecha,Tipo,Referencia,OC,Cargos,Pagos y abonos,Saldo");
    const closing = rows.at(-1)!.split(",");
    expect(closing[2]).toBe("Saldo final");
    const open = await portal.db.invoice.aggregate({ where: { accountId: norte.id }, _sum: { balanceMinor: true } });
    expect(Math.round(Number(closing[7]) * 100)).toBe(Number(open._sum.balanceMinor));
    const pdf = await norteCustomer.get(`/statement.pdf?from=2026-01-01&to=${today}`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect(pdfText(Buffer.from(await (await norteCustomer.get(`/statement.pdf?from=2026-01-01&to=${today}`)).arrayBuffer()))).toContain("Estado de cuenta");
  });

  it("writes downloads in Spain's Spanish for an account in Spain", async () => {
    const iberica = await portal.signedIn("admin@herramientas-ibericas.example");
    const statement = pdfText(Buffer.from(await (await iberica.get("/statement.pdf")).arrayBuffer()));
    expect(statement).toContain("Extracto de cuenta");
    expect(statement).not.toContain("Estado de cuenta");
    // The pages too: Spain disputes ("reclamar"), Mexico clarifies ("aclarar").
    const account = await portal.db.account.findUniqueOrThrow({ where: { number: "ACC-1003" } });
    const open = await portal.db.invoice.findFirstOrThrow({ where: { accountId: account.id, status: "OPEN" } });
    const page = textOf((await iberica.page(`/invoices/${open.id}`)).html);
    expect(page).toContain("Reclamar esta factura");
    expect(page).not.toContain("Aclarar esta factura");
    expect(textOf((await iberica.page("/account")).html)).toContain("En reclamación");
    const norteOpen = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id, status: "OPEN" } });
    const lucia = await portal.signedIn("cxp@distnorte.example");
    expect(textOf((await lucia.page(`/invoices/${norteOpen.id}`)).html)).toContain("Aclarar esta factura");
  });

  it("never gives another account's invoice PDF or statement, by any URL", async () => {
    const theirs = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    for (const url of [`/invoices/${theirs.id}/pdf`, `/invoices/${theirs.id}/pdf?accountId=${norte.id}`]) {
      const res = await acmeCustomer.get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type")).not.toBe("application/pdf");
    }
    for (const url of [`/statement.csv?accountId=${norte.id}&from=2020-01-01`, `/statement.csv?account=ACC-1002&from=2020-01-01`]) {
      const csv = await (await acmeCustomer.get(url)).text();
      expect(csv).not.toContain(theirs.number);
      expect(csv).not.toContain("MXN");
    }
    expect(textOf((await acmeCustomer.page(`/statement?accountId=${norte.id}`)).html)).not.toContain(norte.legalName);
    for (const url of ["/statement", "/statement.pdf", "/statement.csv", `/invoices/${theirs.id}/pdf`]) {
      expect((await portal.browser().get(url)).status, url).toBe(302);
    }
    const rep = await portal.signedIn("rep1@accounts.example");
    expect((await rep.get("/statement.pdf")).status).toBe(403);
  });

  it("answers a browser opening a download that is not there with a page in the reader's language, a script with JSON", async () => {
    const theirs = await portal.db.invoice.findFirstOrThrow({ where: { accountId: norte.id } });
    const mine = await portal.db.invoice.findFirstOrThrow({ where: { accountId: acme.id } });
    const norteCustomer = await portal.signedIn("cxp@distnorte.example");
    const asBrowser = { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } };
    for (const [url, reader] of [
      [`/invoices/${theirs.id}/pdf`, acmeCustomer],
      [`/invoices/no-such-invoice/pdf`, acmeCustomer],
      [`/payments/no-such-payment/pdf`, acmeCustomer],
      [`/invoices/${mine.id}/pdf`, norteCustomer],
    ] as const) {
      const res = await reader.request(url, asBrowser);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type"), url).toMatch(/^text\/html/);
      const html = await res.text();
      const spanish = reader === norteCustomer;
      expect(html, url).toContain(spanish ? '<html lang="es">' : '<html lang="en">');
      expect(html, url).toMatch(
        spanish ? /<title>No encontramos el archivo · Cuentas de Clientes<\/title>/ : /<title>File not found · Customer Accounts<\/title>/,
      );
      expect(html, url).not.toContain(theirs.number);
    }
    const script = await acmeCustomer.request(`/invoices/${theirs.id}/pdf`, { headers: { Accept: "application/json" } });
    expect([script.status, await script.json()]).toEqual([404, { reason: "not_found" }]);
    // A page that is not there says so in the tab's title too, once.
    const page = await norteCustomer.request("/no-such-page", asBrowser);
    const titles = [...(await page.text()).matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect([page.status, titles]).toEqual([404, ["No encontramos la página · Cuentas de Clientes"]]);
  });
});
