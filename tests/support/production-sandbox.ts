/**
 * A process that seeds or serves under NODE_ENV=production outside the README's demo start
 * (the benchmarks, the chat load) needs the same on-purpose sandbox settings the demo is
 * given: the seed writes letters with links, and production refuses to start without a
 * public address, a payment provider and a mail transport. Settings already given win.
 */
export function useProductionSandboxSettings() {
  process.env.APP_URL ??= "http://127.0.0.1";
  process.env.PAYMENTS_SANDBOX ??= "on";
  process.env.MAIL_OUTBOX ??= "on";
}
