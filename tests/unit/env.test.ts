import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/utils/config.server";

describe("environment", () => {
  it("boots with nothing set: embedded database, sandbox, outbox", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe("pglite:.data/pglite");
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.PAYMENTS_SANDBOX).toBe(true);
    expect(env.MAIL_OUTBOX).toBe(true);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.TRUST_PROXY).toBe(false);
  });

  it("takes links' address from APP_URL or the port, never from elsewhere", () => {
    expect(parseEnv({ PORT: "4100" }).APP_URL).toBe("http://localhost:4100");
    expect(parseEnv({ APP_URL: "https://portal.example.com/" }).APP_URL).toBe("https://portal.example.com");
    expect(() => parseEnv({ APP_URL: "ftp://portal.example.com" })).toThrow(/APP_URL must be a URL/);
  });

  it("turns the sandbox and outbox off where real services are configured, or when told", () => {
    const real = parseEnv({ STRIPE_SECRET_KEY: "sk_test_x", SMTP_URL: "smtp://127.0.0.1:2525" });
    expect(real.PAYMENTS_SANDBOX).toBe(false);
    expect(real.MAIL_OUTBOX).toBe(false);
    const off = parseEnv({ PAYMENTS_SANDBOX: "off", MAIL_OUTBOX: "off" });
    expect([off.PAYMENTS_SANDBOX, off.MAIL_OUTBOX]).toEqual([false, false]);
    expect(() => parseEnv({ PAYMENTS_SANDBOX: "yes" })).toThrow(/PAYMENTS_SANDBOX must be "on" or "off"/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_test_x", PAYMENTS_SANDBOX: "on" })).toThrow(/cannot be used together with STRIPE_SECRET_KEY/);
  });

  it("trusts forwarded headers only from the proxies named", () => {
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8"]);
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY must be "off", a hop count/);
    expect(() => parseEnv({ TRUST_PROXY: "10.0.0.0/40" })).toThrow(/TRUST_PROXY/);
  });

  it("refuses production without APP_URL, payments or mail chosen on purpose", () => {
    const complete = {
      NODE_ENV: "production",
      APP_URL: "https://portal.example.com",
      STRIPE_SECRET_KEY: "sk_live_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
      SMTP_URL: "smtp://mail.example.com:587",
    };
    const env = parseEnv(complete);
    expect([env.PAYMENTS_SANDBOX, env.MAIL_OUTBOX]).toEqual([false, false]);
    expect(() => parseEnv({ ...complete, APP_URL: "" })).toThrow(/^Invalid configuration: APP_URL is required in production/);
    expect(() => parseEnv({ ...complete, STRIPE_SECRET_KEY: "" })).toThrow(
      /production needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PAYMENTS_SANDBOX=on/,
    );
    expect(() => parseEnv({ ...complete, STRIPE_WEBHOOK_SECRET: "" })).toThrow(/STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY in production/);
    expect(() => parseEnv({ ...complete, SMTP_URL: "" })).toThrow(/production needs SMTP_URL, or MAIL_OUTBOX=on/);
    const demo = parseEnv({ NODE_ENV: "production", APP_URL: "http://localhost:3000", PAYMENTS_SANDBOX: "on", MAIL_OUTBOX: "on" });
    expect([demo.PAYMENTS_SANDBOX, demo.MAIL_OUTBOX]).toEqual([true, true]);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(EnvError);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ PORT: "", STRIPE_SECRET_KEY: "" }).PORT).toBe(3000);
  });

  it("explains a bad setting in one line, without echoing secrets", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(/^Invalid configuration: PORT must be a whole number \(got "abc"\)$/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with "postgres:\/\/"/);
    try {
      parseEnv({ STRIPE_SECRET_KEY: "pk_live_secret_value" });
    } catch (error) {
      expect(String(error)).toContain('STRIPE_SECRET_KEY must start with "sk_"');
      expect(String(error)).not.toContain("pk_live_secret_value");
      expect(String(error)).not.toContain("\n");
    }
  });
});
