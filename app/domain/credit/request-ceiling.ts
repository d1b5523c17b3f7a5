/**
 * The most a company may ask for: a multiple of the annual revenue it states, and never
 * more than an absolute maximum per currency. Policy data (`credit.requestCeiling`), with
 * these defaults where it has not been set.
 */
export type RequestCeilingPolicy = { revenueMultiple: number; maxMinor: Record<string, number> };

export const DEFAULT_REQUEST_CEILING: RequestCeilingPolicy = {
  revenueMultiple: 1,
  maxMinor: { USD: 50_000_000_00, EUR: 50_000_000_00, MXN: 1_000_000_000_00 },
};

/** Reads the policy's JSON value; anything malformed falls back to the defaults, field by field. */
export function requestCeilingFrom(value: unknown): RequestCeilingPolicy {
  const v = (value ?? {}) as Partial<RequestCeilingPolicy>;
  const multiple = typeof v.revenueMultiple === "number" && v.revenueMultiple > 0 ? v.revenueMultiple : DEFAULT_REQUEST_CEILING.revenueMultiple;
  const max = { ...DEFAULT_REQUEST_CEILING.maxMinor };
  for (const [currency, minor] of Object.entries(v.maxMinor ?? {})) if (typeof minor === "number" && minor > 0) max[currency] = minor;
  return { revenueMultiple: multiple, maxMinor: max };
}

/** The translation key that refuses `requestedMinor`, or null when it is within the ceiling. */
export function requestCeilingError(policy: RequestCeilingPolicy, requestedMinor: number, annualRevenueMinor: number | null, currency: string): string | null {
  const max = policy.maxMinor[currency];
  if (max !== undefined && requestedMinor > max) return `credit:errors.requestOverMax.${currency}`;
  if (annualRevenueMinor !== null && requestedMinor > annualRevenueMinor * policy.revenueMultiple) return "credit:errors.requestOverRevenue";
  return null;
}
