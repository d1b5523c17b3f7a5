import { describe, expect, it } from "vitest";
import { checkAuthority, levelsAtOrAbove } from "../../app/domain/authority/authority.server";
import { useTestDatabase } from "../support/test-database";

useTestDatabase();

const usd = (dollars: number) => ({ amount: { amountMinor: dollars * 100, currency: "USD" } });

describe("authority limits (seeded data)", () => {
  it("lets a Rep I grant up to exactly their limit, and names Rep II above it", async () => {
    expect(await checkAuthority("REP_I", "credit_limit", usd(10_000))).toEqual({ allowed: true, level: "REP_I" });
    const above = await checkAuthority("REP_I", "credit_limit", { amount: { amountMinor: 10_000_01, currency: "USD" } });
    expect(above).toMatchObject({ allowed: false, level: "REP_I", requiredLevel: "REP_II", limit: { amountMinor: 10_000_00, currency: "USD" } });
  });

  it("converts other currencies with the dated rate before comparing", async () => {
    // 172,500 MXN at 17.25 = 10,000 USD: inside a Rep I's limit; one peso more is not.
    expect((await checkAuthority("REP_I", "credit_limit", { amount: { amountMinor: 172_500_00, currency: "MXN" } })).allowed).toBe(true);
    expect((await checkAuthority("REP_I", "credit_limit", { amount: { amountMinor: 172_501_00, currency: "MXN" } })).allowed).toBe(false);
  });

  it("skips levels that are not enough and says when nobody may", async () => {
    expect(await checkAuthority("REP_I", "write_off", usd(40_000))).toMatchObject({ allowed: false, requiredLevel: "SENIOR" });
    expect(await checkAuthority("MANAGER", "credit_limit", usd(5_000_000))).toMatchObject({ allowed: false, requiredLevel: null });
    expect(await checkAuthority(null, "credit_memo", usd(1))).toMatchObject({ allowed: false, level: null, requiredLevel: "REP_I" });
  });

  it("checks payment terms in days", async () => {
    expect((await checkAuthority("REP_II", "payment_terms", { days: 45 })).allowed).toBe(true);
    expect(await checkAuthority("REP_II", "payment_terms", { days: 60 })).toMatchObject({ allowed: false, requiredLevel: "REP_III" });
  });

  it("lists who sees an escalation", async () => {
    expect(await levelsAtOrAbove("REP_III")).toEqual(["REP_III", "SENIOR", "MANAGER"]);
  });
});
