/**
 * Under an https APP_URL every cookie the portal sets carries Secure (and HSTS is
 * sent), decided by configuration rather than by the request's scheme.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type TestPortal } from "../support/portal";

let secure: TestPortal;
beforeAll(async () => {
  secure = await startPortal({ APP_URL: "https://portal.example.com" });
});
afterAll(async () => {
  await secure?.close();
});

describe("cookies under an https APP_URL", () => {
  const cookie = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

  it("are all Secure: session, language, guest chat, credit draft", async () => {
    const visitor = secure.browser();
    expect((await visitor.get("/login")).headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(cookie(await visitor.post("/login", { email: "ap@acme-industrial.example", password: "Demo-Portal-2026" }), "__session")).toMatch(/;\s*Secure/i);
    expect(cookie(await visitor.post("/set-language", { language: "es", redirectTo: "/" }), "lng")).toMatch(/;\s*Secure/i);
    expect(cookie(await secure.browser().post("/help", { name: "Pat Guest", email: "pat@example.com", topic: "INVOICE" }), "chat_guest")).toMatch(
      /;\s*Secure/i,
    );
    const draft = await secure.browser().post("/credit/apply", {
      step: "company",
      intent: "next",
      applicantName: "Dana Whitfield",
      applicantEmail: "dana@whitfield-supply.example",
      companyName: "Whitfield Supply LLC",
      country: "US",
      currency: "USD",
      taxId: "12-3456789",
      addressLine1: "400 Harbor Blvd",
      city: "Oakland",
      region: "CA",
      postalCode: "94607",
      yearsInBusiness: "12",
      annualRevenue: "2,000,000.00",
    });
    expect(cookie(draft, "credit_draft")).toMatch(/;\s*Secure/i);
  });
});
