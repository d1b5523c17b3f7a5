import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";

export type AppliedRate = { base: string; quote: string; rate: string; effectiveOn: string };

/**
 * The most recent rate on or before `asOf`. A stored pair works both ways: the
 * inverse is used when only quote→base is on file.
 */
export async function latestRate(
  base: string,
  quote: string,
  asOf: Date,
  client: Pick<Prisma.TransactionClient, "fxRate"> = db(),
): Promise<AppliedRate | null> {
  const rows = await client.fxRate.findMany({
    where: {
      effectiveOn: { lte: asOf },
      OR: [
        { base, quote },
        { base: quote, quote: base },
      ],
    },
    orderBy: { effectiveOn: "desc" },
    take: 1,
  });
  const row = rows[0];
  if (!row) return null;
  const stored = row.rate.toString();
  const rate = row.base === base ? stored : (1 / Number(stored)).toFixed(8);
  return { base, quote, rate, effectiveOn: row.effectiveOn.toISOString().slice(0, 10) };
}

/** Converts minor units with a rate, rounding half away from zero to a whole minor unit. */
export function convertWithRate(amountMinor: number, rate: Pick<AppliedRate, "rate">): number {
  // Both currencies in this book have 2 minor digits; rates are kept to 8 decimals,
  // so scale to integers to keep the product exact before rounding.
  const [whole, fraction = ""] = rate.rate.split(".");
  const scaled = BigInt(whole + fraction.padEnd(8, "0").slice(0, 8));
  const product = BigInt(amountMinor) * scaled;
  const divisor = 100_000_000n;
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  return Number(sign * ((abs + divisor / 2n) / divisor));
}
