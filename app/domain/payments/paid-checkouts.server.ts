// Longer than 300 lines because applying many paid checkouts at once is one transaction of set-based statements (events, payments, invoices, allocations, audit rows, receipts) whose parts share one in-memory picture of the batch; apart, they could not.
/**
 * Stripe's paid checkouts, applied many at a time. Each delivery that arrives while a
 * batch is being written waits for the next one (group commit), and a batch is ONE
 * transaction of a dozen set-based statements: the event rows, the payments and their
 * invoices claimed FOR UPDATE, every allocation, audit row and receipt. One event at a
 * time was about twelve Prisma calls (≈20 ms of CPU) each; a storm of payments is now a
 * few hundred microseconds of CPU per event.
 *
 * The same rules as the one-at-a-time path (webhook.server.ts), which stays for everything
 * this does not handle plainly: an event stored earlier but never applied, a payment it
 * cannot find, money that does not match what was asked for (flagged for a rep). Those
 * come back as "one_by_one" and the caller applies them there.
 */
import crypto from "node:crypto";
import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../utils/db.server";
import { log } from "../../utils/logger.server";
import { groupCommit, type Pending } from "../../utils/group-commit.server";
import { composeEmail } from "../mail/outbox.server";
import { invalidateAccount } from "../invoices/ledger-cache.server";
import { AUTO_HOLD_REASON } from "../collections/credit-hold.server";
import { markPromisesKeptOrBroken } from "../collections/promises.server";
import { allocatePayment, invoiceStatusFor } from "./allocation";
import { paymentMailRecipient, receiptEmail, releaseOrdersIfUnderLimit } from "./after-payment.server";
import { isSandboxPayment, type SessionTruth } from "./stripe-provider.server";

export type PaidCheckout = { eventId: string; type: string; rawBody: string; truth: SessionTruth & { paymentId: string } };
export type PaidCheckoutOutcome = "applied" | "duplicate" | "one_by_one";

const paidCheckouts = groupCommit<PaidCheckout, PaidCheckoutOutcome>(applyBatch, { maxBatch: 250, maxInFlight: 2, lingerMs: 4 });

/** Applies one paid checkout's event together with any others arriving meanwhile. */
export function applyPaidCheckout(checkout: PaidCheckout): Promise<PaidCheckoutOutcome> {
  return paidCheckouts.submit(checkout);
}

type PaymentRow = {
  id: string;
  number: string;
  accountId: string;
  status: string;
  currency: string;
  amountMinor: string;
  method: string | null;
  provider: string;
  createdById: string | null;
  intendedAllocations: unknown;
};
type InvoiceRow = { id: string; number: string; accountId: string; currency: string; status: string; dueOn: Date; totalMinor: string; balanceMinor: string };
type Applied = {
  payment: PaymentRow;
  truth: PaidCheckout["truth"];
  unapplied: number;
  allocations: { invoiceId: string; invoiceNumber: string; amountMinor: number }[];
  meant: string[];
};
const intendedOf = (p: PaymentRow) => (Array.isArray(p.intendedAllocations) ? (p.intendedAllocations as { invoiceId: string; amountMinor: number }[]) : []);
type AuditRow = { entity: string; entityId: string; accountId: string; action: string; before: object; after: object };

const RECEIVABLE = new Set(["PENDING", "FAILED", "EXPIRED"]);
const OPEN = new Set(["OPEN", "PARTIALLY_PAID"]);

async function applyBatch(batch: Pending<PaidCheckout, PaidCheckoutOutcome>[]) {
  const outcomes = await applyPaidCheckouts(batch.map((item) => item.input));
  batch.forEach((item, i) => item.resolve(outcomes[i]));
}

async function applyPaidCheckouts(checkouts: PaidCheckout[]): Promise<PaidCheckoutOutcome[]> {
  const firstDelivery = new Map<string, PaidCheckout>();
  for (const checkout of checkouts) if (!firstDelivery.has(checkout.eventId)) firstDelivery.set(checkout.eventId, checkout);
  // One order for every batch, so two batches (two processes) never wait on each other's keys crosswise.
  const events = [...firstDelivery.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  const receivedAt = new Date();
  const at = receivedAt.toISOString();
  const outcome = new Map<string, PaidCheckoutOutcome>();
  const applied: Applied[] = [];
  const mails: Awaited<ReturnType<typeof composeEmail>>[] = [];
  const mailIds: string[] = [];

  let claimed: ClaimedBatch | null = null;
  await db().$transaction(
    async (tx) => {
      const batch = await claimBatch(tx, events, at);
      claimed = batch;
      const fresh = new Map(batch.inserted.map((row) => [row.eventId, row.id]));
      // Stored before: applied then (a resend), or stored but never applied (the one-by-one path retries it).
      for (const row of batch.stored) outcome.set(row.eventId, row.processed ? "duplicate" : "one_by_one");
      const candidates = events.filter((e) => fresh.has(e.eventId));
      if (!candidates.length) return;
      const payments = new Map(batch.payments.map((p) => [p.id, p]));
      const invoices = new Map(batch.invoices.map((i) => [i.id, i]));
      const notes = new Map<string, string | null>();
      const touched = new Map<string, InvoiceRow>();
      const audits: AuditRow[] = [];
      for (const event of candidates) {
        const payment = payments.get(event.truth.paymentId);
        const { truth } = event;
        if (!payment || truth.currency !== payment.currency || truth.amountMinor !== Number(payment.amountMinor)) {
          // Not found, or not what was asked for (flagged for a rep): the one-by-one path records why.
          outcome.set(event.eventId, "one_by_one");
          continue;
        }
        outcome.set(event.eventId, "applied");
        if (!RECEIVABLE.has(payment.status)) {
          notes.set(fresh.get(event.eventId)!, "already_applied");
          continue;
        }
        const intended = intendedOf(payment);
        // Same account and currency only, and only what is still open: as applyToInvoices.
        const open = intended
          .map((i) => invoices.get(i.invoiceId))
          .filter((inv): inv is InvoiceRow => !!inv && inv.accountId === payment.accountId && inv.currency === payment.currency && OPEN.has(inv.status));
        const { allocations, unappliedMinor } = allocatePayment(
          truth.amountMinor,
          intended,
          open.map((inv) => ({ id: inv.id, dueOn: inv.dueOn, balanceMinor: Number(inv.balanceMinor) })),
        );
        for (const a of allocations) {
          const inv = invoices.get(a.invoiceId)!;
          const before = { balanceMinor: Number(inv.balanceMinor), status: inv.status };
          const balance = before.balanceMinor - a.amountMinor;
          inv.balanceMinor = String(balance);
          inv.status = invoiceStatusFor(Number(inv.totalMinor), balance);
          touched.set(inv.id, inv);
          audits.push({
            entity: "Invoice",
            entityId: inv.id,
            accountId: payment.accountId,
            action: "payment_applied",
            before,
            after: { balanceMinor: balance, status: inv.status, paymentId: payment.id, amountMinor: a.amountMinor },
          });
        }
        audits.push({
          entity: "Payment",
          entityId: payment.id,
          accountId: payment.accountId,
          action: "payment_succeeded",
          before: { status: payment.status },
          after: { status: "SUCCEEDED", amountMinor: truth.amountMinor, unappliedMinor, source: event.eventId },
        });
        // A second event for the same payment in this batch finds it applied.
        payment.status = "SUCCEEDED";
        notes.set(fresh.get(event.eventId)!, null);
        const meant = intended
          .map((i) => invoices.get(i.invoiceId)?.number)
          .filter((n): n is string => !!n)
          .sort();
        applied.push({
          payment,
          truth,
          unapplied: unappliedMinor,
          allocations: allocations.map((a) => ({ ...a, invoiceNumber: invoices.get(a.invoiceId)!.number })),
          meant,
        });
      }

      // The receipt commits with the payment it describes: never one without the other.
      mails.push(...(await receiptsFor(batch, applied, receivedAt)));
      mailIds.push(...mails.map(() => crypto.randomUUID()));
      const allocations = applied.flatMap((a) => a.allocations.map((x) => ({ paymentId: a.payment.id, invoiceId: x.invoiceId, amountMinor: x.amountMinor })));
      const changed = [...touched.values()];
      // Every write of the batch in one statement (one round trip): the tables differ, so no row is changed twice.
      // Each "id = ANY" beside its join lets the planner walk the primary key instead of scanning the table.
      const [{ paid }] = await tx.$queryRawUnsafe<{ paid: number }[]>(
        `WITH paid AS (
           UPDATE "Payment" p
              SET status = 'SUCCEEDED', "receivedAt" = $1::timestamptz AT TIME ZONE 'UTC', "providerPaymentId" = d.intent,
                  method = COALESCE(d.method, p.method), "unappliedMinor" = d.unapplied,
                  "flaggedReason" = CASE WHEN d.unapplied > 0 THEN 'unapplied_remainder' ELSE p."flaggedReason" END,
                  "updatedAt" = $1::timestamptz AT TIME ZONE 'UTC'
             FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS d(id, intent, method, unapplied)
            WHERE p.id = ANY($2::text[]) AND p.id = d.id AND p.status IN ('PENDING', 'FAILED', 'EXPIRED')
           RETURNING p.id
         ),
         -- The checkouts are finished: their invoices are free for another checkout (or already paid).
         claims AS (DELETE FROM "CheckoutClaim" WHERE "paymentId" = ANY($2::text[]) RETURNING 1),
         invoices AS (
           UPDATE "Invoice" i SET "balanceMinor" = d.balance, status = d.status::"InvoiceStatus", "updatedAt" = $1::timestamptz AT TIME ZONE 'UTC'
             FROM unnest($6::text[], $7::bigint[], $8::text[]) AS d(id, balance, status) WHERE i.id = ANY($6::text[]) AND i.id = d.id
           RETURNING 1
         ),
         allocations AS (
           INSERT INTO "PaymentAllocation" (id, "paymentId", "invoiceId", "amountMinor", "createdAt")
           SELECT d.id, d.pid, d.iid, d.amount, $1::timestamptz AT TIME ZONE 'UTC'
             FROM unnest($9::text[], $10::text[], $11::text[], $12::bigint[]) AS d(id, pid, iid, amount)
           RETURNING 1
         ),
         audits AS (
           INSERT INTO "AuditLog" (id, "accountId", entity, "entityId", action, before, after, "createdAt")
           SELECT d.id, d.aid, d.entity, d.eid, d.action, d.before, d.after, clock_timestamp() AT TIME ZONE 'UTC'
             FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::jsonb[], $19::jsonb[]) WITH ORDINALITY
                  AS d(id, aid, entity, eid, action, before, after, ord)
            ORDER BY d.ord
           RETURNING 1
         ),
         mails AS (
           INSERT INTO "OutboxEmail" (id, "to", subject, text, language, template, "createdAt")
           SELECT d.*, $1::timestamptz AT TIME ZONE 'UTC' FROM unnest($20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[]) AS d
           RETURNING 1
         ),
         events AS (
           UPDATE "WebhookEvent" w SET "processedAt" = $1::timestamptz AT TIME ZONE 'UTC', error = d.note
             FROM unnest($26::text[], $27::text[]) AS d(id, note) WHERE w.id = ANY($26::text[]) AND w.id = d.id
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM paid)::int AS paid`,
        at,
        applied.map((a) => a.payment.id),
        applied.map((a) => a.truth.paymentIntentId),
        applied.map((a) => a.truth.method),
        applied.map((a) => String(a.unapplied)),
        changed.map((i) => i.id),
        changed.map((i) => i.balanceMinor),
        changed.map((i) => i.status),
        allocations.map(() => crypto.randomUUID()),
        allocations.map((a) => a.paymentId),
        allocations.map((a) => a.invoiceId),
        allocations.map((a) => String(a.amountMinor)),
        audits.map(() => crypto.randomUUID()),
        audits.map((a) => a.accountId),
        audits.map((a) => a.entity),
        audits.map((a) => a.entityId),
        audits.map((a) => a.action),
        audits.map((a) => JSON.stringify(a.before)),
        audits.map((a) => JSON.stringify(a.after)),
        mailIds,
        mails.map((m) => m.stored.to),
        mails.map((m) => m.stored.subject),
        mails.map((m) => m.stored.text),
        mails.map((m) => m.stored.language),
        mails.map((m) => m.stored.template),
        [...notes.keys()],
        [...notes.values()],
      );
      // Every payment was claimed FOR UPDATE above: anything else means the picture is wrong; roll all of it back.
      if (paid !== applied.length) throw new Error(`paid checkouts: ${paid} of ${applied.length} payments changed while applying`);
    },
    { maxWait: 20_000, timeout: 30_000 },
  );

  for (const accountId of new Set(applied.map((a) => a.payment.accountId))) invalidateAccount(accountId);
  await Promise.all(mails.map((mail, i) => mail.deliver(mailIds[i])));
  if (claimed) await followUps(claimed, applied);

  const answered = new Set<string>();
  return checkouts.map((checkout) => {
    const first = outcome.get(checkout.eventId) ?? "one_by_one";
    if (answered.has(checkout.eventId)) return first === "one_by_one" ? first : "duplicate";
    answered.add(checkout.eventId);
    return first;
  });
}

type AccountRow = { id: string; preferredLanguage: string | null; legalName: string; locale: string | null; timeZone: string | null; followUps: boolean };
type UserRow = {
  id: string;
  accountId: string;
  email: string;
  name: string;
  preferredLanguage: string | null;
  locale: string | null;
  timeZone: string | null;
  firstCustomer: boolean;
};
type ClaimedBatch = {
  inserted: { id: string; eventId: string }[];
  stored: { eventId: string; processed: boolean }[];
  payments: PaymentRow[];
  invoices: InvoiceRow[];
  accounts: AccountRow[];
  users: UserRow[];
};

/**
 * One statement, one round trip: stores the events (a resend conflicts and is not stored
 * again), says which were stored before and whether they were applied, claims the
 * payments and the invoices they are meant for FOR UPDATE, and reads who each receipt
 * goes to and whether the account has holds or promises a payment may change.
 * Every payment of the batch is claimed, resends' included: a lock more, never one less.
 */
async function claimBatch(tx: Prisma.TransactionClient, events: PaidCheckout[], at: string): Promise<ClaimedBatch> {
  const [row] = await tx.$queryRawUnsafe<{ [K in keyof ClaimedBatch]: ClaimedBatch[K] | null }[]>(
    `WITH inserted AS (
       INSERT INTO "WebhookEvent" (id, provider, "eventId", type, payload, "receivedAt")
       SELECT d.id, 'stripe', d.eid, d.type, d.payload::jsonb, $5::timestamptz AT TIME ZONE 'UTC'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS d(id, eid, type, payload, ord)
        ORDER BY d.ord
       ON CONFLICT (provider, "eventId") DO NOTHING
       RETURNING id, "eventId"
     ),
     stored AS (
       SELECT "eventId", "processedAt" IS NOT NULL AS processed FROM "WebhookEvent" WHERE provider = 'stripe' AND "eventId" = ANY($2::text[])
     ),
     payments AS (
       SELECT id, number, "accountId", status::text AS status, currency, "amountMinor"::text AS "amountMinor", method, provider, "createdById", "intendedAllocations"
         FROM "Payment" WHERE id = ANY($6::text[]) ORDER BY id FOR UPDATE
     ),
     invoices AS (
       SELECT id, number, "accountId", currency, status::text AS status, "dueOn", "totalMinor"::text AS "totalMinor", "balanceMinor"::text AS "balanceMinor"
         FROM "Invoice"
        WHERE id IN (SELECT a->>'invoiceId' FROM "Payment" p,
                       jsonb_array_elements(CASE WHEN jsonb_typeof(p."intendedAllocations") = 'array' THEN p."intendedAllocations" ELSE '[]' END) a
                      WHERE p.id = ANY($6::text[]))
        ORDER BY id FOR UPDATE
     ),
     accounts AS (
       SELECT a.id, a."preferredLanguage", a."legalName", a.locale, a."timeZone",
              ((a.status = 'CREDIT_HOLD' AND a."statusReason" = $7)
               OR EXISTS (SELECT 1 FROM "Order" o WHERE o."accountId" = a.id AND o.status = 'ON_HOLD')
               OR EXISTS (SELECT 1 FROM "PromiseToPay" p WHERE p."accountId" = a.id AND p.status = 'OPEN')) AS "followUps"
         FROM "Account" a WHERE a.id IN (SELECT "accountId" FROM "Payment" WHERE id = ANY($6::text[]))
     ),
     users AS (
       SELECT u.id, u."accountId", u.email, u.name, u."preferredLanguage", u.locale, u."timeZone", (u.role = 'CUSTOMER' AND u.active) AS "firstCustomer"
         FROM "User" u
        WHERE u."accountId" IN (SELECT "accountId" FROM "Payment" WHERE id = ANY($6::text[]))
          AND (u.id IN (SELECT "createdById" FROM "Payment" WHERE id = ANY($6::text[])) OR (u.role = 'CUSTOMER' AND u.active))
        ORDER BY u."createdAt"
     )
     SELECT (SELECT json_agg(x) FROM inserted x) AS inserted, (SELECT json_agg(x) FROM stored x) AS stored,
            (SELECT json_agg(x) FROM payments x) AS payments, (SELECT json_agg(x) FROM invoices x) AS invoices,
            (SELECT json_agg(x) FROM accounts x) AS accounts, (SELECT json_agg(x) FROM users x) AS users`,
    events.map(() => crypto.randomUUID()),
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map((e) => e.rawBody),
    at,
    [...new Set(events.map((e) => e.truth.paymentId))],
    AUTO_HOLD_REASON,
  );
  const inserted = new Set((row.inserted ?? []).map((r) => r.eventId));
  return {
    inserted: row.inserted ?? [],
    // The statement's snapshot cannot see its own inserts: these are the events stored before it.
    stored: (row.stored ?? []).filter((r) => !inserted.has(r.eventId)),
    payments: row.payments ?? [],
    invoices: (row.invoices ?? []).map((i) => ({ ...i, dueOn: new Date(i.dueOn) })),
    accounts: row.accounts ?? [],
    users: row.users ?? [],
  };
}

/** Each applied payment's receipt, rendered for the user who paid (else the account's first active customer user). */
async function receiptsFor({ accounts: accountRows, users }: ClaimedBatch, applied: Applied[], receivedAt: Date) {
  const accounts = new Map(accountRows.map((a) => [a.id, a]));
  const mails: Awaited<ReturnType<typeof composeEmail>>[] = [];
  for (const { payment, truth, unapplied, allocations, meant } of applied) {
    const account = accounts.get(payment.accountId);
    const user =
      users.find((u) => u.id === payment.createdById && u.accountId === payment.accountId) ??
      users.find((u) => u.accountId === payment.accountId && u.firstCustomer);
    const to = account ? paymentMailRecipient(account, user ?? null) : null;
    if (!to) continue;
    const lines = allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amountMinor: BigInt(a.amountMinor) }));
    mails.push(
      await composeEmail(
        receiptEmail(
          to,
          {
            number: payment.number,
            currency: payment.currency,
            amountMinor: BigInt(truth.amountMinor),
            unappliedMinor: BigInt(unapplied),
            receivedAt,
            sandbox: isSandboxPayment(payment),
          },
          lines,
          meant,
        ),
      ),
    );
  }
  return mails;
}

/**
 * What else a payment can change: a credit hold it lifts, held orders it frees, promises
 * it keeps. Most paying accounts have none of these (the batch's claim read which do),
 * and only those go through the rules, as the one-by-one path does.
 */
async function followUps(batch: ClaimedBatch, applied: Applied[]) {
  const lastPayment = new Map(applied.map((a) => [a.payment.accountId, a.payment.id]));
  for (const { id } of batch.accounts.filter((a) => a.followUps && lastPayment.has(a.id))) {
    try {
      await releaseOrdersIfUnderLimit(id, lastPayment.get(id)!);
      await markPromisesKeptOrBroken({ now: new Date(), accountId: id });
    } catch (error) {
      // The money is applied and answered for; the nightly jobs run the same rules again.
      log().error({ err: error, accountId: id }, "payments: follow-ups after a batch of paid checkouts failed");
    }
  }
}
