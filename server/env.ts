import { z } from "zod";

/**
 * Every setting the portal reads, validated once at start-up. Vendor keys are
 * optional: without them the portal runs its embedded defaults (PGlite, the Stripe
 * sandbox, the mail outbox).
 */
const databaseUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v) || v.startsWith("pglite:"), {
    message: 'must start with "postgres://", "postgresql://" or "pglite:" (e.g. pglite:.data/pglite)',
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(0, "must be between 0 and 65535").max(65535, "must be between 0 and 65535").default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: databaseUrl.default("pglite:.data/pglite"),
  /** Where uploaded documents live (outside the web root). */
  UPLOAD_DIR: z.string().min(1).default(".data/uploads"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** How stale a socket's proof of its session may get before it is checked again (a sign-out elsewhere, a deactivation). */
  SESSION_RECHECK_SECONDS: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be between 1 and 3600").max(3600, "must be between 1 and 3600").default(15),
  APP_URL: z.url("must be a URL such as https://portal.example.com").optional(),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", 'must start with "sk_"').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", 'must start with "whsec_"').optional(),
  SMTP_URL: z.url("must be a URL such as smtp://user:pass@host:587").optional(),
  MAIL_FROM: z.string().default("Customer Accounts <accounts@portal.local>"),
  REDIS_URL: z.url("must be a URL such as redis://127.0.0.1:6379").optional(),
  /** Shared secret the mail provider sends as `Authorization: Bearer …` to /webhooks/inbound-email; unset = webhook off. */
  INBOUND_EMAIL_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Namespace for the portal's own keys in a shared Redis (login throttling). */
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, "may use letters, digits, _ : . - (up to 64)").default("portal:"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

/** Parses a raw environment; empty strings count as unset. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const key = issue.path.join(".");
      const got = cleaned[key];
      const shown = key.includes("SECRET") || key.includes("URL") ? "" : got === undefined ? "" : ` (got "${got}")`;
      return `${key} ${issue.message}${shown}`;
    });
    throw new EnvError(`Invalid configuration: ${issues.join("; ")}`);
  }
  return result.data;
}

const ENV_KEY = Symbol.for("portal.env");
type EnvHolder = { [ENV_KEY]?: Env };

/** The parsed environment, shared by the server and the app bundle. */
export function getEnv(): Env {
  const holder = globalThis as EnvHolder;
  holder[ENV_KEY] ??= parseEnv(process.env);
  return holder[ENV_KEY];
}

/** Replaces the process-wide environment (used by the server factory and tests). */
export function setEnv(env: Env): Env {
  (globalThis as EnvHolder)[ENV_KEY] = env;
  return env;
}
