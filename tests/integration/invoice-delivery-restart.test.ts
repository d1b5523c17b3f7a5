/**
 * EDI control numbers across restarts: the job runner's CLI runs as its own process
 * (`npm run jobs:run-once`), the database is closed and reopened between runs, and the
 * control numbers of the interchanges it writes only ever grow and never repeat.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../app/utils/db.server";
import { copyTemplate } from "../support/databases";
import { read810 } from "../support/x12-readback";

let url: string;
let dispose: () => Promise<void>;
let outbound: string;

beforeAll(async () => {
  const copy = await copyTemplate(inject("templateDatabaseUrl"));
  url = copy.url;
  dispose = copy.dispose;
  outbound = fs.mkdtempSync(path.join(os.tmpdir(), "portal-edi-restart-"));
});
afterAll(async () => {
  await dispose?.();
  fs.rmSync(outbound, { recursive: true, force: true });
});

/** Opens the database, does `work`, closes it again: the CLI process needs it to itself on PGlite. */
async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>["prisma"]) => Promise<T>): Promise<T> {
  const database = await openDatabase(url);
  try {
    return await work(database.prisma);
  } finally {
    await database.close();
  }
}

async function addInvoice(amountMinor: bigint) {
  return withDatabase(async (db) => {
    const account = await db.account.findUniqueOrThrow({ where: { number: "ACC-1005" } });
    const invoice = await db.invoice.create({
      data: {
        number: `INV-R-${crypto.randomBytes(3).toString("hex")}`,
        accountId: account.id,
        currency: "USD",
        issuedOn: new Date("2026-12-01T00:00:00Z"),
        dueOn: new Date("2026-12-31T00:00:00Z"),
        totalMinor: amountMinor,
        balanceMinor: amountMinor,
        lines: { create: [{ lineNo: 1, sku: "R-1", description: "Restart test", quantity: 1, unitPriceMinor: amountMinor, amountMinor }] },
      },
    });
    return invoice;
  });
}

async function runCli(now: string) {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "server/jobs-run-once.ts", "--now", now], {
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: "development", LOG_LEVEL: "silent", EDI_OUTBOUND_DIR: outbound },
    timeout: 180_000,
  });
  const report = JSON.parse(stdout.trim().split("\n").at(-1)!) as { runs: { name: string; ok: boolean; result?: Record<string, number> }[] };
  expect(report.runs.every((r) => r.ok)).toBe(true);
  return report.runs.find((r) => r.name === "invoice-delivery")!;
}

describe("control numbers", () => {
  it("increase and never repeat across restarts of the job runner and the database", async () => {
    const seen: number[] = [];
    for (const [i, now] of ["2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"].entries()) {
      const invoice = await addInvoice(BigInt(100_00 * (i + 1)));
      const run = await runCli(now);
      expect(run.result?.sent).toBeGreaterThanOrEqual(1);
      const numbers = await withDatabase(async (db) => {
        const delivery = await db.invoiceDelivery.findUniqueOrThrow({
          where: { documentKind_documentId_path: { documentKind: "INVOICE", documentId: invoice.id, path: "EDI" } },
        });
        return (await db.ediInterchange.findMany({ where: { deliveryId: delivery.id } })).map((x) => x.controlNumber);
      });
      expect(numbers).toHaveLength(1);
      const read = await read810(fs.readFileSync(path.join(outbound, "NORTHWINDRTL", `810-${String(numbers[0]).padStart(9, "0")}.x12`), "ascii"));
      expect(read.controlNumber).toBe(numbers[0]);
      expect(read.tdsCents).toBe(100_00 * (i + 1));
      seen.push(numbers[0]);
    }
    const all = await withDatabase(async (db) => (await db.ediInterchange.findMany({ orderBy: { createdAt: "asc" } })).map((x) => x.controlNumber));
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
    expect(seen[1]).toBeGreaterThan(seen[0]);
    expect(seen[2]).toBeGreaterThan(seen[1]);
  }, 600_000);
});
