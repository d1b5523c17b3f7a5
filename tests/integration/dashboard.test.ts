/**
 * The team dashboard (issue 17) through its real routes: who sees what, period validation
 * in both languages, the objectives page, and every table's CSV against the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, textOf, type Browser, type TestPortal } from "../support/portal";
import { TABLE_IDS } from "../../app/domain/reports/dashboard-tables";

let portal: TestPortal;
let manager: Browser;
let senior: Browser;
let rep1: Browser;
let rep2: Browser;
let customer: Browser;
let rep2Id: string;
let rep1Id: string;

beforeAll(async () => {
  portal = await startPortal();
  [manager, senior, rep1, rep2, customer] = await Promise.all([
    portal.signedIn("manager@accounts.example"),
    portal.signedIn("senior@accounts.example"),
    portal.signedIn("rep1@accounts.example"),
    portal.signedIn("rep2@accounts.example"),
    portal.signedIn("ap@acme-industrial.example"),
  ]);
  rep1Id = (await portal.db.user.findUniqueOrThrow({ where: { email: "rep1@accounts.example" } })).id;
  rep2Id = (await portal.db.user.findUniqueOrThrow({ where: { email: "rep2@accounts.example" } })).id;
}, 120_000);
afterAll(async () => {
  await portal?.close();
});

/** The rows of one dashboard table on the page, each cell's visible text. */
function pageRows(html: string, table: string): string[][] {
  const start = html.indexOf(`data-table="${table}"`);
  expect(start, `table ${table} on the page`).toBeGreaterThan(-1);
  const section = html.slice(start, html.indexOf("</section>", start));
  const body = section.slice(section.indexOf("<tbody>"), section.indexOf("</tbody>"));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1]).trim()));
}

/** CSV rows without the header; fields split on the locale's separator (no field here holds one). */
function csvRows(text: string, separator = ","): string[][] {
  return text
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n")
    .slice(1)
    .map((line) => line.split(separator).map((f) => f.replace(/^"|"$/g, "")));
}

const digits = (s: string) => s.replace(/\D/g, "");

describe("who sees the dashboard", () => {
  it("shows a rep their own figures and refuses anyone else's, on the page and in the CSV", async () => {
    const own = await rep1.page("/rep/dashboard");
    expect(own.status).toBe(200);
    expect(textOf(own.html)).toContain("My figures");
    expect(own.html).not.toContain('name="rep"');
    expect((await rep1.page(`/rep/dashboard?rep=${rep2Id}`)).status).toBe(403);
    expect((await rep1.get(`/rep/dashboard.csv?table=receivables&rep=${rep2Id}`)).status).toBe(403);
    // Naming themselves is fine.
    expect((await rep1.page(`/rep/dashboard?rep=${rep1Id}`)).status).toBe(200);
  });

  it("lets the manager and a senior see the team and pick any rep", async () => {
    for (const who of [manager, senior]) {
      const team = await who.page("/rep/dashboard");
      expect(team.status).toBe(200);
      expect(textOf(team.html)).toContain("Team dashboard");
      expect(team.html).toContain('name="rep"');
      expect(textOf(team.html)).toContain("Beatriz Ramírez");
      const one = await who.page(`/rep/dashboard?rep=${rep2Id}`);
      expect(one.status).toBe(200);
    }
    const unknown = await manager.page("/rep/dashboard?rep=nobody");
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain("That rep is not on the team.");
  });

  it("refuses customers and keeps objectives to the manager", async () => {
    expect((await customer.get("/rep/dashboard")).status).toBe(403);
    expect((await customer.get("/rep/dashboard.csv?table=receivables")).status).toBe(403);
    expect((await rep1.get("/rep/dashboard/objectives")).status).toBe(403);
    expect((await senior.get("/rep/dashboard/objectives")).status).toBe(403);
    expect((await senior.post("/rep/dashboard/objectives", { collectedPerMonth: "1" })).status).toBe(403);
    expect((await manager.get("/rep/dashboard/objectives")).status).toBe(200);
  });
});

describe("the period", () => {
  it("answers a period it cannot read with the reason, in English and Spanish", async () => {
    const bad = await manager.page("/rep/dashboard?from=2026-02-30&to=2026-03-01");
    expect(bad.status).toBe(400);
    expect(textOf(bad.html)).toContain("Enter a date as YYYY-MM-DD.");
    const reversed = await rep2.page("/rep/dashboard?from=2026-11-30&to=2026-11-01");
    expect(reversed.status).toBe(400);
    expect(textOf(reversed.html)).toContain("La fecha final debe ser igual o posterior a la inicial.");
    const csv = await manager.get("/rep/dashboard.csv?table=receivables&from=2020-01-01&to=2026-01-01");
    expect(csv.status).toBe(400);
    expect(await csv.text()).toBe("Choose a period of a year or less.");
    const table = await rep2.get("/rep/dashboard.csv?table=nothing");
    expect(table.status).toBe(400);
    expect(await table.text()).toBe("No existe esa tabla para exportar.");
  });

  it("takes the presets", async () => {
    for (const preset of ["thisMonth", "lastMonth", "quarter"]) expect((await manager.page(`/rep/dashboard?preset=${preset}`)).status).toBe(200);
  });
});

describe("the CSV of every table", () => {
  it("says what the page shows, in English and in Spanish", async () => {
    const query = "preset=quarter";
    for (const [who, language, noData] of [
      [manager, "en", "No data"],
      [rep2, "es", "Sin datos"],
    ] as const) {
      const page = await who.page(`/rep/dashboard?${query}`);
      expect(page.status).toBe(200);
      let numericCells = 0;
      for (const table of TABLE_IDS) {
        const res = await who.get(`/rep/dashboard.csv?table=${table}&${query}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/csv");
        expect(res.headers.get("content-language")).toBe(language);
        const csv = csvRows(await res.text());
        const shown = pageRows(page.html, table);
        expect(csv.length, table).toBe(shown.length);
        shown.forEach((row, r) =>
          row.forEach((cell, c) => {
            if (/\d/.test(cell) && c > 0 && !/=/.test(cell)) {
              numericCells++;
              expect(digits(csv[r][c]), `${table} row ${r} column ${c}: page ${cell}, CSV ${csv[r][c]}`).toBe(digits(cell));
            } else if (/\d/.test(csv[r][c]) && c > 0 && !/=/.test(csv[r][c])) {
              throw new Error(`${table} row ${r} column ${c}: the CSV has ${csv[r][c]}, the page ${cell}`);
            } else expect(csv[r][c].replace(/\s+/g, " ")).toBe(cell === noData ? "" : cell);
          }),
        );
      }
      expect(numericCells).toBeGreaterThan(10);
    }
  });

  it("writes the Spanish page's words in the Spanish CSV", async () => {
    const bytes = Buffer.from(await (await rep2.get("/rep/dashboard.csv?table=receivables&preset=quarter")).arrayBuffer());
    // A byte-order mark first, so Excel reads the accents as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.split("\r\n")[0]).toBe("Indicador,Valor");
    expect(text).toContain("Índice de efectividad de cobranza");
  });
});

describe("objectives", () => {
  it("refuses a bad form with translated errors and saves a good one, which the dashboard then measures against", async () => {
    const before = await portal.db.policySetting.findUnique({ where: { key: "reports.objectives" } });
    const bad = await manager.post("/rep/dashboard/objectives", {
      collectedPerMonth: "12,5",
      contactsPerDay: "",
      promisesKeptPercent: "150",
      firstResponseSeconds: "90",
      heldOrderReleaseHours: "24",
    });
    expect(bad.status).toBe(400);
    const badText = textOf(await bad.text());
    expect(badText).toContain("Enter a whole percentage from 0 to 100.");
    expect(badText).toContain("We could not tell which amount you meant.");
    expect(await portal.db.policySetting.findUnique({ where: { key: "reports.objectives" } })).toEqual(before);

    const good = await manager.post("/rep/dashboard/objectives", {
      collectedPerMonth: "30,000.00",
      contactsPerDay: "6",
      promisesKeptPercent: "90",
      firstResponseSeconds: "45",
      heldOrderReleaseHours: "12",
    });
    expect(good.status).toBe(200);
    expect(textOf(await good.text())).toContain("Objectives saved.");
    const stored = await portal.db.policySetting.findUniqueOrThrow({ where: { key: "reports.objectives" } });
    expect(stored.value).toEqual({
      collectedPerMonthMinor: 3_000_000,
      contactsPerDay: 6,
      promisesKeptPercent: 90,
      firstResponseSeconds: 45,
      heldOrderReleaseHours: 12,
    });
    expect(await portal.db.auditLog.count({ where: { entityId: "reports.objectives", action: "reports.objectives_changed" } })).toBe(1);

    // 30 days of November: the whole monthly target; the turnaround row names the new 12-hour target.
    const page = await manager.page("/rep/dashboard?from=2026-11-01&to=2026-11-30");
    const objectives = pageRows(page.html, "objectives");
    expect(objectives.find((row) => row[1] === "Collected")?.[2]).toBe("$30,000.00");
    expect(objectives.find((row) => row[1] === "Promises kept rate (%)")?.[2]).toBe("90.0%");
    expect(pageRows(page.html, "turnaround")[0][0]).toBe("Held orders released within 12 hours");
  });
});
