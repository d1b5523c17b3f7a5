import net from "node:net";
import { z } from "zod";

/**
 * Every setting the portal reads, validated once at start-up. Vendor keys are
 * optional in development: without them the portal runs its embedded defaults (PGlite,
 * the Stripe sandbox, the mail outbox). Production refuses the demo conveniences unless
 * they are switched on on purpose (`PAYMENTS_SANDBOX=on`, `MAIL_OUTBOX=on`), and needs
 * `APP_URL`: emailed links come from configuration, never from a request's Host.
 */
const databaseUrl = z.string().refine((v) => /^postgres(ql)?:\/\//.test(v) || v.startsWith("pglite:"), {
  message: 'must start with "postgres://", "postgresql://" or "pglite:" (e.g. pglite:.data/pglite)',
});

const onOff = z.enum(["on", "off"], { message: 'must be "on" or "off"' }).optional();

/** Express's `trust proxy` presets, besides addresses and CIDR ranges. */
const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * `off` (the default: X-Forwarded-* are ignored), a hop count (`1` = the one proxy in
 * front), or a comma list of proxy addresses, CIDR ranges and Express's presets.
 * "Trust everyone" is not offered: anyone could then claim any client address.
 */
const trustProxy = z.string().refine(
  (v) =>
    v === "off" ||
    /^[1-9]\d{0,1}$/.test(v) ||
    v.split(",").every((part) => {
      const item = part.trim();
      const [address, bits, ...rest] = item.split("/");
      if (PROXY_PRESETS.has(item)) return true;
      if (rest.length || !net.isIP(address)) return false;
      return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (net.isIPv4(address) ? 32 : 128));
    }),
  { message: 'must be "off", a hop count such as 1, or proxy addresses such as 10.0.0.1,10.0.1.0/24 or loopback' },
);

/**
 * Where EDI files go besides the embedded folder: `{ "<name>": { "type": "sftp", … } }`.
 * Credentials are never in this value: SFTP names a private key file, AS2 a certificate file.
 */
const ediTargets = z.record(
  z.string().regex(/^[a-z0-9-]{1,40}$/, "target names use a-z, 0-9 and -"),
  z.discriminatedUnion("type", [
    z.object({
      type: z.literal("sftp"),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(22),
      username: z.string().min(1),
      privateKeyFile: z.string().min(1),
      directory: z.string().default("/"),
    }),
    z.object({
      type: z.literal("as2"),
      url: z.url(),
      as2From: z.string().min(1),
      as2To: z.string().min(1),
      certificateFile: z.string().min(1),
    }),
  ]),
);
export type EdiTargets = z.infer<typeof ediTargets>;

const baseSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: databaseUrl.default("pglite:.data/pglite"),
  /** Where uploaded documents live (outside the web root). */
  UPLOAD_DIR: z.string().min(1).default(".data/uploads"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** How stale a socket's proof of its session may get before it is checked again (a sign-out elsewhere, a deactivation). */
  SESSION_RECHECK_SECONDS: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 3600")
    .max(3600, "must be between 1 and 3600")
    .default(15),
  /** The public address every emailed or sent link starts with; required in production. */
  APP_URL: z
    .url("must be a URL such as https://portal.example.com")
    .refine((v) => /^https?:\/\//.test(v), { message: "must be a URL such as https://portal.example.com" })
    .optional(),
  /** Which proxies may set X-Forwarded-For / -Proto (client address, https). */
  TRUST_PROXY: trustProxy.default("off"),
  /** The in-process Stripe sandbox: on by default in development without keys; production needs it on on purpose. */
  PAYMENTS_SANDBOX: onOff,
  /** The staff mail outbox page: on by default in development without SMTP; production needs it on on purpose. */
  MAIL_OUTBOX: onOff,
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", 'must start with "sk_"').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", 'must start with "whsec_"').optional(),
  SMTP_URL: z.url("must be a URL such as smtp://user:pass@host:587").optional(),
  MAIL_FROM: z.string().default("Customer Accounts <accounts@portal.local>"),
  REDIS_URL: z.url("must be a URL such as redis://127.0.0.1:6379").optional(),
  /** Shared secret the mail provider sends as `Authorization: Bearer …` to /webhooks/inbound-email; unset = webhook off. */
  INBOUND_EMAIL_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Namespace for the portal's own keys in a shared Redis (login throttling). */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, "may use letters, digits, _ : . - (up to 64)")
    .default("portal:"),
  // How often this process runs the background jobs (dunning, credit holds); 0 runs none here.
  JOBS_INTERVAL_SECONDS: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 86400")
    .max(86400, "must be between 0 and 86400")
    .default(300),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Invoice delivery by EDI: the embedded default writes each 810 to <EDI_OUTBOUND_DIR>/<partner id>/. */
  EDI_OUTBOUND_DIR: z.string().min(1).default(".data/edi/outbound"),
  /** Our side of the ISA/GS envelopes (ISA05/06, GS02). */
  EDI_SENDER_QUALIFIER: z
    .string()
    .regex(/^[A-Z0-9]{2}$/, "must be a two-character ISA qualifier such as ZZ or 01")
    .default("ZZ"),
  EDI_SENDER_ID: z
    .string()
    .regex(/^[A-Z0-9 ._-]{2,15}$/, "must be 2-15 capital letters, digits or . _ -")
    .default("CUSTACCOUNTS"),
  /** SFTP and AS2 targets by name, as JSON (docs/reference.md, "Invoice delivery"); an account's EDI target names one. */
  EDI_TARGETS: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(ediTargets)
    .optional(),
  /** Bearer secret of /webhooks/edi/997 (inbound functional acknowledgements); unset = endpoint off. */
  EDI_INBOUND_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  // On SIGTERM, how long requests in flight may take to finish before their connections are cut.
  SHUTDOWN_GRACE_MS: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 120000")
    .max(120000, "must be between 0 and 120000")
    .default(10000),
});

type RawEnv = z.infer<typeof baseSchema>;

export type Env = Omit<RawEnv, "APP_URL" | "TRUST_PROXY" | "PAYMENTS_SANDBOX" | "MAIL_OUTBOX"> & {
  /** Without a trailing slash; in development `http://localhost:<PORT>` when unset. */
  APP_URL: string;
  /** What Express's `trust proxy` gets. */
  TRUST_PROXY: false | number | string[];
  /** The Stripe sandbox runs (no real Stripe calls; payments are marked sandbox). */
  PAYMENTS_SANDBOX: boolean;
  /** Mail is kept for the staff outbox page (secrets redacted). */
  MAIL_OUTBOX: boolean;
};

/**
 * What production refuses, each as the one line the server prints: a demo convenience
 * must be chosen on purpose, and links need a configured address.
 */
function resolve(raw: RawEnv): Env {
  const production = raw.NODE_ENV === "production";
  const problems: string[] = [];
  if (production && !raw.APP_URL)
    problems.push("APP_URL is required in production (the public address emailed links start with, e.g. https://portal.example.com)");
  if (raw.STRIPE_SECRET_KEY && raw.PAYMENTS_SANDBOX === "on") problems.push("PAYMENTS_SANDBOX=on cannot be used together with STRIPE_SECRET_KEY (choose one)");
  if (production && !raw.STRIPE_SECRET_KEY && raw.PAYMENTS_SANDBOX !== "on") {
    problems.push("production needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PAYMENTS_SANDBOX=on to run the payment sandbox on purpose");
  }
  if (production && raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET)
    problems.push("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY in production");
  if (production && !raw.SMTP_URL && raw.MAIL_OUTBOX !== "on")
    problems.push("production needs SMTP_URL, or MAIL_OUTBOX=on to keep mail in the staff outbox on purpose");
  if (problems.length) throw new EnvError(`Invalid configuration: ${problems.join("; ")}`);
  const trust = raw.TRUST_PROXY;
  return {
    ...raw,
    APP_URL: (raw.APP_URL ?? `http://localhost:${raw.PORT || 3000}`).replace(/\/+$/, ""),
    TRUST_PROXY: trust === "off" ? false : /^\d+$/.test(trust) ? Number(trust) : trust.split(",").map((part) => part.trim()),
    PAYMENTS_SANDBOX: raw.PAYMENTS_SANDBOX ? raw.PAYMENTS_SANDBOX === "on" : !production && !raw.STRIPE_SECRET_KEY,
    MAIL_OUTBOX: raw.MAIL_OUTBOX ? raw.MAIL_OUTBOX === "on" : !production && !raw.SMTP_URL,
  };
}

export class EnvError extends Error {}

/** Parses a raw environment; empty strings count as unset. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const result = baseSchema.safeParse(cleaned);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const key = issue.path.join(".");
      const got = cleaned[key];
      const shown = key.includes("SECRET") || key.includes("URL") ? "" : got === undefined ? "" : ` (got "${got}")`;
      return `${key} ${issue.message}${shown}`;
    });
    throw new EnvError(`Invalid configuration: ${issues.join("; ")}`);
  }
  return resolve(result.data);
}

/**
 * Settings for the database commands (migrate, seed): the run-time refusals above
 * are about serving users, not about preparing a database.
 */
export function parseDatabaseEnv(raw: Record<string, string | undefined>): Pick<Env, "DATABASE_URL"> {
  return parseEnv({ DATABASE_URL: raw.DATABASE_URL });
}

const ENV_KEY = Symbol.for("portal.env");
type EnvHolder = { [ENV_KEY]?: Env };

/** The parsed environment, shared by the server and the app bundle. */
export function getEnv(): Env {
  const holder = globalThis as EnvHolder;
  holder[ENV_KEY] ??= parseEnv(process.env);
  return holder[ENV_KEY];
}

/** The portal is served over https: cookies carry `Secure`, HSTS is sent. */
export function servedOverHttps(env: Env = getEnv()): boolean {
  return env.APP_URL.startsWith("https://");
}

/**
 * A link to this portal for someone outside the request (email, chat, Stripe's return
 * pages): always from APP_URL, never from the request's Host or X-Forwarded-Host, which
 * whoever sends the request controls.
 */
export function publicUrl(pathAndQuery: string): string {
  if (!pathAndQuery) return getEnv().APP_URL;
  return `${getEnv().APP_URL}${pathAndQuery.startsWith("/") ? "" : "/"}${pathAndQuery}`;
}

/** Replaces the process-wide environment (used by the server factory and tests). */
export function setEnv(env: Env): Env {
  (globalThis as EnvHolder)[ENV_KEY] = env;
  return env;
}
