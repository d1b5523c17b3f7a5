import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../server/env";

describe("environment", () => {
  it("boots with nothing set: embedded database, sandbox, outbox", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe("pglite:.data/pglite");
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
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
