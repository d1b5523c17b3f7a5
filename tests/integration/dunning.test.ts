/**
 * Dunning, advancing the injectable clock: each step goes out once, in the account's
 * language, for the undisputed amount only, not while a promise to pay is live, not on
 * the country's holidays (then on the next business day); running the job twice, or
 * several runs at once (and, on PostgreSQL, two processes of the CLI), sends nothing twice.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runDunning } from "../../app/domain/collections/dunning.server";
import { JOBS } from "../../app/domain/jobs/registry.server";
import { runJobsOnce } from "../../app/domain/jobs/runner.server";
import { openDatabase, setDatabase, type Database } from "../../app/utils/db.server";
import { copyTemplate } from "../support/databases";

let database: Database;
let url: string;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const copy = await copyTemplate(inject("templateDatabaseUrl"));
  url = copy.url;
  dispose = copy.dispose;
  database = await openDatabase(url);
  setDatabase(database);
});
afterAll(async () => {
  setDatabase(undefined);
  await database?.close();
  await dispose?.();
});

const at = (iso: string) => new Date(`${iso}T15:00:00Z`);
const tag = () => crypto.randomBytes(3).toString("hex");

async function account(opts: { country: string; language: string; locale: string; timeZone: string; currency: string; contact?: boolean }) {
  const t = tag();
  const a = await database.prisma.account.create({
    data: {
      number: `T-${t}`,
      legalName: `Test ${t} S.A.`,
      taxId: `TAX${t}`,
      country: opts.country,
      preferredLanguage: opts.language,
      locale: opts.locale,
      timeZone: opts.timeZone,
      currency: opts.currency,
      creditLimitMinor: 10_000_000n,
    },
  });
  const email = `ap-${t}@dunning.example`;
  if (opts.contact !== false) await database.prisma.user.create({ data: { email, name: `AP ${t}`, passwordHash: "x", role: "CUSTOMER", accountId: a.id } });
  return { ...a, email };
}

async function invoice(accountId: string, currency: string, dueOn: string, amountMinor: bigint) {
  return database.prisma.invoice.create({
    data: {
      number: `INV-T-${tag()}`,
      accountId,
      currency,
      issuedOn: new Date(`2026-11-01T00:00:00Z`),
      dueOn: new Date(`${dueOn}T00:00:00Z`),
      totalMinor: amountMinor,
      balanceMinor: amountMinor,
    },
  });
}

const notices = (invoiceId: string) => database.prisma.dunningNotice.findMany({ where: { invoiceId }, orderBy: { createdAt: "asc" } });
const mails = (to: string) => database.prisma.outboxEmail.findMany({ where: { to, template: "dunning_notice" }, orderBy: { createdAt: "asc" } });

describe("dunning on the schedule", () => {
  it("sends each step once, on business days only, in the account's language, for the undisputed amount", async () => {
    const us = await account({ country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    const mx = await account({ country: "MX", language: "es", locale: "es-MX", timeZone: "America/Mexico_City", currency: "MXN" });
    const a = await invoice(us.id, "USD", "2026-12-10", 1_000_00n);
    const disputed = await invoice(us.id, "USD", "2026-12-10", 1_000_00n);
    const whollyDisputed = await invoice(us.id, "USD", "2026-12-10", 500_00n);
    const b = await invoice(mx.id, "MXN", "2026-12-10", 25_000_00n);
    await database.prisma.dispute.create({
      data: { number: `DSP-T-${tag()}`, accountId: us.id, invoiceId: disputed.id, reason: "PRICING", amountMinor: 400_00n, currency: "USD" },
    });
    await database.prisma.dispute.create({
      data: { number: `DSP-T-${tag()}`, accountId: us.id, invoiceId: whollyDisputed.id, reason: "PRICING", amountMinor: 500_00n, currency: "USD" },
    });

    // Daily runs, each twice: Dec 25 is a holiday in both calendars, Dec 26-27 and Jan 9-10 a weekend.
    const days = [
      "2026-12-06",
      "2026-12-07",
      "2026-12-08",
      "2026-12-10",
      "2026-12-11",
      "2026-12-17",
      "2026-12-24",
      "2026-12-25",
      "2026-12-26",
      "2026-12-28",
      "2026-12-29",
      "2027-01-09",
      "2027-01-11",
      "2027-01-12",
    ];
    for (const day of days) {
      await runDunning({ now: at(day) });
      await runDunning({ now: at(day) });
    }
    const expected = [
      ["courtesy", "2026-12-07"],
      ["due", "2026-12-10"],
      ["past_due_7", "2026-12-17"],
      ["past_due_15", "2026-12-28"],
      ["past_due_30", "2027-01-11"],
    ];
    for (const inv of [a, b, disputed]) {
      const sent = await notices(inv.id);
      expect(sent.map((n) => [n.step, n.createdAt.toISOString().slice(0, 10)])).toEqual(expected);
      expect(sent.every((n) => n.outcome === "SENT" && n.emailId)).toBe(true);
    }
    // Only the undisputed rest is asked for; a wholly disputed invoice is not dunned at all.
    expect((await notices(disputed.id)).every((n) => n.amountMinor === 600_00n)).toBe(true);
    expect(await notices(whollyDisputed.id)).toHaveLength(0);

    // One email per account per business day that had a step: five, never repeated.
    const usMails = await mails(us.email);
    expect(usMails).toHaveLength(5);
    expect(usMails[0].language).toBe("en");
    expect(usMails[0].subject).toContain(us.number);
    expect(usMails[0].text).toContain(a.number);
    expect(usMails[0].text).toContain("$600.00");
    expect(usMails[0].text).toContain("$400.00 under dispute");
    expect(usMails[0].text).not.toContain(whollyDisputed.number);
    expect(usMails[0].text).toMatch(/\/pay\?invoice=/);

    const mxMails = await mails(mx.email);
    expect(mxMails).toHaveLength(5);
    expect(mxMails.every((m) => m.language === "es")).toBe(true);
    expect(mxMails[0].subject).toBe(`Recordatorio de pago de la cuenta ${mx.number}`);
    expect(mxMails[4].text).toContain("30 días de atraso");
    expect(mxMails[4].text).toContain("$25,000.00");
  }, 240_000);

  it("holds a live promise's account, and dunns it once the promise date has passed", async () => {
    const us = await account({ country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    const inv = await invoice(us.id, "USD", "2026-12-01", 700_00n);
    await database.prisma.promiseToPay.create({
      data: { accountId: us.id, amountMinor: 700_00n, currency: "USD", promisedFor: new Date("2026-12-22T00:00:00Z") },
    });
    const first = await runDunning({ now: at("2026-12-16") });
    expect(first.skipped_promise).toBeGreaterThanOrEqual(1);
    expect(await notices(inv.id)).toHaveLength(0);
    await runDunning({ now: at("2026-12-22") });
    expect(await notices(inv.id)).toHaveLength(0);
    // The promise's day is gone and it is still open (not kept): the reminders resume.
    await runDunning({ now: at("2026-12-23") });
    expect((await notices(inv.id)).map((n) => n.step)).toEqual(["past_due_15"]);
  }, 60_000);

  it("records an exception for the reps when the account has nobody to write to", async () => {
    const silent = await account({ country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD", contact: false });
    const inv = await invoice(silent.id, "USD", "2026-12-10", 300_00n);
    await runDunning({ now: at("2026-12-11") });
    await runDunning({ now: at("2026-12-11") });
    const rows = await notices(inv.id);
    expect(rows.map((n) => [n.step, n.outcome, n.emailId])).toEqual([["due", "NO_CONTACT", null]]);
  }, 60_000);
});

describe("exactly once under concurrent runs", () => {
  it("five runs of every job at once send each step once", async () => {
    const us = await account({ country: "US", language: "en", locale: "en-US", timeZone: "America/Chicago", currency: "USD" });
    const inv = await invoice(us.id, "USD", "2026-12-14", 900_00n);
    const now = at("2026-12-15");
    const runs = await Promise.all(Array.from({ length: 5 }, () => runJobsOnce(JOBS, () => now)));
    expect(runs.flat().every((r) => r.ok)).toBe(true);
    expect(await notices(inv.id)).toHaveLength(1);
    expect(await mails(us.email)).toHaveLength(1);
  }, 120_000);

  it("two processes of the CLI at once against the same database send each step once", async () => {
    if (!url.startsWith("postgres")) return; // PGlite is one process's database by design: the runs above cover it.
    const us = await account({ country: "MX", language: "es", locale: "es-MX", timeZone: "America/Mexico_City", currency: "MXN" });
    const inv = await invoice(us.id, "MXN", "2026-12-14", 9_000_00n);
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "development", LOG_LEVEL: "silent" };
    const outputs = await Promise.all(
      [1, 2].map(() => run("npx", ["tsx", "server/jobs-run-once.ts", "--now", "2026-12-15T15:00:00Z"], { env, timeout: 180_000 })),
    );
    for (const out of outputs) expect(JSON.parse(out.stdout.trim().split("\n").at(-1)!).runs.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(await notices(inv.id)).toHaveLength(1);
    expect(await mails(us.email)).toHaveLength(1);
  }, 240_000);
});
