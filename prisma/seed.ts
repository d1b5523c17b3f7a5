/**
 * Demo data that looks like a real credit & collections book: four customer accounts
 * in USD, MXN and EUR, 300+ invoices across every aging bucket (some partly paid,
 * some disputed), orders on credit hold, reps of every level with different
 * languages, a manager, authority limits and policy as data. Idempotent: reference
 * data is upserted by its natural key, and an account's ledger is generated only
 * when the account has none yet.
 */
import { hashPassword } from "../app/domain/auth/password.server";
import { DEFAULT_APPROVAL_LIMITS } from "../app/domain/authority/approval-limits";
import { scoreFor } from "../app/domain/credit/scoring.server";
import { generateFinalDemand, referToAgency } from "../app/domain/collections/final-demand.server";
import { currentDatabase, setDatabase, type Database, type PrismaClient } from "../app/utils/db.server";
import { DEMO_PASSWORD } from "./demo-users";

const DAY = 86_400_000;

function utcDay(date: Date, offsetDays = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) + offsetDays * DAY);
}

/** Small deterministic PRNG so every seeded database has the same ledger shape. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The per-level approval limits live with the authority rules that read them.
const AUTHORITY = DEFAULT_APPROVAL_LIMITS;

const POLICY: Record<string, unknown> = {
  "credit.policyCurrency": "USD",
  "credit.autoApproveCeilingMinor": 1_000_000,
  "credit.autoApproveMinScore": 75,
  "credit.declineBelowScore": 35,
  "credit.reviewSlaHours": 48,
  // The period over which a level's cumulative credit-memo cap per account counts.
  "authority.creditPeriodDays": 30,
  // A new applicant's status link works this long; a counter-offer can be accepted this long.
  "credit.statusLinkDays": 90,
  "credit.counterOfferValidDays": 14,
  // Collections: how far ahead a customer may promise, the grace after the promised date,
  // when silence raises an account, how long a broken promise keeps it at the top.
  "collections.promiseMaxDaysAhead": 30,
  "collections.promiseGraceDays": 3,
  "collections.noContactDays": 14,
  "collections.brokenPromiseLookbackDays": 30,
  "chat.unansweredReassignSeconds": 90,
  "chat.disconnectGraceSeconds": 30,
  // A queued customer's estimated wait: about five minutes per chat ahead of them for each rep who speaks their language.
  "chat.averageHandleSeconds": 300,
  "hours.en": { timezone: "America/Chicago", days: [1, 2, 3, 4, 5], open: "07:00", close: "19:00", holidays: ["2026-12-25", "2027-01-01"] },
  "hours.es": { timezone: "America/Mexico_City", days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00", holidays: ["2026-12-12", "2026-12-25", "2027-01-01"] },
  // Who issues the invoices and where the money goes: printed on invoice and receipt PDFs.
  "seller.profile": {
    name: "Northfield Industrial Distribution, Inc.",
    address: ["1200 Commerce Park Drive", "Chicago, IL 60607", "United States"],
    taxId: "EIN 36-4821907",
    email: "accounts@northfield.example",
    phone: "+1 312 555 0148",
    remitTo: [
      "Northfield Industrial Distribution, Inc.",
      "Lockbox 771203",
      "P.O. Box 71203, Chicago, IL 60694-1203",
      "ACH: First Midwest Bank · routing 071000013 · account ••••4821",
    ],
  },
};

const REPS = [
  {
    email: "rep1@accounts.example",
    name: "Alice Turner",
    role: "REP",
    level: "REP_I",
    languages: ["en"],
    capacity: 3,
    locale: "en-US",
    timeZone: "America/Chicago",
  },
  {
    email: "rep2@accounts.example",
    name: "Beatriz Ramírez",
    role: "REP",
    level: "REP_II",
    languages: ["es"],
    capacity: 4,
    locale: "es-MX",
    timeZone: "America/Monterrey",
  },
  {
    email: "rep3@accounts.example",
    name: "Carlos Mendoza",
    role: "REP",
    level: "REP_III",
    languages: ["en", "es"],
    capacity: 4,
    locale: "es-MX",
    timeZone: "America/Monterrey",
  },
  {
    email: "senior@accounts.example",
    name: "Diana Brooks",
    role: "REP",
    level: "SENIOR",
    languages: ["en", "es"],
    capacity: 5,
    locale: "en-US",
    timeZone: "America/Chicago",
  },
  {
    email: "manager@accounts.example",
    name: "Elena Vargas",
    role: "MANAGER",
    level: "MANAGER",
    languages: ["en", "es"],
    capacity: 2,
    locale: "en-US",
    timeZone: "America/Chicago",
  },
] as const;

type AccountSeed = {
  number: string;
  legalName: string;
  taxId: string;
  country: string;
  language: "en" | "es";
  locale: "en-US" | "es-MX" | "es-ES";
  timeZone: string;
  currency: string;
  limit: number;
  terms: number;
  status: "ACTIVE" | "CREDIT_HOLD" | "COLLECTIONS";
  statusReason?: string;
  city: string;
  region: string;
  ownerEmail: string;
  user: { email: string; name: string };
  invoices: number;
  minInvoice: number;
  maxInvoice: number;
  paidBias: number;
  held: { reason: "OVER_LIMIT" | "PAST_DUE" | "ACCOUNT_ON_HOLD"; amount: number }[];
};

const ACCOUNTS: AccountSeed[] = [
  {
    number: "ACC-1001",
    legalName: "Acme Industrial Supply Inc.",
    taxId: "84-2917365",
    country: "US",
    language: "en",
    locale: "en-US",
    timeZone: "America/Chicago",
    currency: "USD",
    limit: 400_000_00,
    terms: 30,
    status: "ACTIVE",
    city: "Houston",
    region: "TX",
    ownerEmail: "rep1@accounts.example",
    user: { email: "ap@acme-industrial.example", name: "Pat Morgan" },
    invoices: 110,
    minInvoice: 800_00,
    maxInvoice: 8_000_00,
    paidBias: 0.7,
    held: [{ reason: "OVER_LIMIT", amount: 64_500_00 }],
  },
  {
    number: "ACC-1002",
    legalName: "Distribuidora del Norte S.A. de C.V.",
    taxId: "DNO980312KT4",
    country: "MX",
    language: "es",
    locale: "es-MX",
    timeZone: "America/Monterrey",
    currency: "MXN",
    limit: 1_500_000_00,
    terms: 30,
    status: "CREDIT_HOLD",
    statusReason: "past_due_over_60",
    city: "Monterrey",
    region: "NL",
    ownerEmail: "rep2@accounts.example",
    user: { email: "cxp@distnorte.example", name: "Lucía Hernández" },
    invoices: 95,
    minInvoice: 8_000_00,
    maxInvoice: 60_000_00,
    paidBias: 0.45,
    held: [
      { reason: "ACCOUNT_ON_HOLD", amount: 185_400_00 },
      { reason: "ACCOUNT_ON_HOLD", amount: 92_750_00 },
    ],
  },
  {
    number: "ACC-1003",
    legalName: "Herramientas Ibéricas S.L.",
    taxId: "B86543212",
    country: "ES",
    language: "es",
    locale: "es-ES",
    timeZone: "Europe/Madrid",
    currency: "EUR",
    limit: 120_000_00,
    terms: 45,
    status: "ACTIVE",
    city: "Madrid",
    region: "MD",
    ownerEmail: "rep3@accounts.example",
    user: { email: "admin@herramientas-ibericas.example", name: "Javier Ortega" },
    invoices: 70,
    minInvoice: 600_00,
    maxInvoice: 6_000_00,
    paidBias: 0.75,
    held: [],
  },
  {
    number: "ACC-1004",
    legalName: "Pacific Coast Builders LLC",
    taxId: "93-4418820",
    country: "US",
    language: "en",
    locale: "en-US",
    timeZone: "America/Los_Angeles",
    currency: "USD",
    limit: 40_000_00,
    terms: 30,
    status: "COLLECTIONS",
    statusReason: "over_90",
    city: "Portland",
    region: "OR",
    ownerEmail: "senior@accounts.example",
    user: { email: "billing@pacificcoast.example", name: "Sam Lee" },
    invoices: 45,
    minInvoice: 400_00,
    maxInvoice: 3_000_00,
    paidBias: 0.3,
    held: [
      { reason: "PAST_DUE", amount: 7_800_00 },
      { reason: "PAST_DUE", amount: 3_150_00 },
    ],
  },
];

const PRODUCTS = [
  { sku: "HX-1200", en: "Hex bolts M12, zinc plated (box of 500)", es: "Tornillos hexagonales M12 galvanizados (caja de 500)", price: 84_00 },
  { sku: "PV-4410", en: "PVC pipe 4 in x 10 ft, schedule 40", es: "Tubo de PVC de 4 in x 10 ft, cédula 40", price: 38_50 },
  { sku: "CB-2250", en: "Copper building wire 12 AWG (250 ft)", es: "Cable de cobre THW calibre 12 (250 ft)", price: 129_00 },
  { sku: "SF-0903", en: "Safety gloves, cut level A3 (dozen)", es: "Guantes de seguridad nivel de corte A3 (docena)", price: 46_75 },
  { sku: "DR-7720", en: "Cordless drill 20V kit", es: "Taladro inalámbrico 20V con accesorios", price: 189_00 },
  { sku: "AN-3316", en: "Anchor bolts 5/8 in (box of 50)", es: "Anclas de 5/8 in (caja de 50)", price: 62_40 },
  { sku: "PL-1180", en: "Pallet stretch wrap 18 in (4 rolls)", es: "Película estirable para tarimas de 18 in (4 rollos)", price: 71_20 },
];

const CANNED = [
  {
    shortcut: "hello",
    en: ["Greeting", "Hi {{customerName}}, thanks for reaching Customer Accounts. How can I help you today?"],
    es: ["Saludo", "Hola, {{customerName}}, gracias por comunicarse con Cuentas de Clientes. ¿En qué le puedo ayudar hoy?"],
  },
  {
    shortcut: "balance",
    en: ["Invoice balance", "Invoice {{invoiceNumber}} has an open balance of {{amount}}."],
    es: ["Saldo de factura", "La factura {{invoiceNumber}} tiene un saldo pendiente de {{amount}}."],
  },
  {
    shortcut: "paylink",
    en: ["Pay link", "I've sent you a secure link to pay {{amount}} for invoice {{invoiceNumber}}."],
    es: ["Enlace de pago", "Le envié un enlace seguro para pagar {{amount}} de la factura {{invoiceNumber}}."],
  },
  {
    shortcut: "hold",
    en: ["Order hold explained", "Your order is on credit hold because the account is past due. Paying {{amount}} releases it."],
    es: ["Explicación de retención", "Su pedido está retenido por crédito porque la cuenta tiene saldo vencido. Al pagar {{amount}} se libera."],
  },
];

const DISPUTE_REASONS = ["PRICING", "QUANTITY", "DAMAGED", "NOT_RECEIVED", "DUPLICATE_BILLING", "TAX"] as const;

export type SeedSummary = { accounts: number; users: number; invoices: number; createdInvoices: number };

export async function seedDemoData(prisma: PrismaClient, today = new Date()): Promise<SeedSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  for (const a of AUTHORITY) {
    const values = {
      rank: a.rank,
      currency: "USD",
      maxCreditLimitMinor: BigInt(a.credit * 100),
      maxWriteOffMinor: BigInt(a.writeOff * 100),
      maxCreditMemoMinor: BigInt(a.memo * 100),
      maxOverLimitReleaseMinor: BigInt(a.overLimit * 100),
      maxPaymentTermsDays: a.terms,
      maxRefundMinor: BigInt(a.refund * 100),
      maxInvoiceCreditMinor: BigInt(a.invoiceCredit * 100),
      maxAccountCreditPerPeriodMinor: BigInt(a.accountCredit * 100),
      maxLimitCutPercent: a.cut,
      mayCutBelowExposure: a.belowExposure,
    };
    await prisma.authorityLimit.upsert({ where: { level: a.level }, create: { level: a.level, ...values }, update: {} });
  }
  for (const [key, value] of Object.entries(POLICY)) {
    await prisma.policySetting.upsert({ where: { key }, create: { key, value: value as object }, update: {} });
  }
  for (const daysAgo of [0, 30]) {
    const effectiveOn = utcDay(today, -daysAgo);
    for (const [base, quote, rate] of [
      ["USD", "MXN", daysAgo ? "17.10000000" : "17.25000000"],
      ["EUR", "USD", daysAgo ? "1.07500000" : "1.08400000"],
      ["EUR", "MXN", daysAgo ? "18.38250000" : "18.69900000"],
    ] as const) {
      await prisma.fxRate.upsert({
        where: { base_quote_effectiveOn: { base, quote, effectiveOn } },
        create: { base, quote, rate, effectiveOn, source: "seed" },
        update: {},
      });
    }
  }
  for (const c of CANNED) {
    for (const language of ["en", "es"] as const) {
      const [title, body] = c[language];
      await prisma.cannedResponse.upsert({
        where: { shortcut_language: { shortcut: c.shortcut, language } },
        create: { shortcut: c.shortcut, language, title, body },
        update: {},
      });
    }
  }

  const repIds = new Map<string, string>();
  for (const r of REPS) {
    const rep = await prisma.user.upsert({
      where: { email: r.email },
      create: {
        email: r.email,
        name: r.name,
        passwordHash,
        role: r.role,
        staffLevel: r.level,
        languages: [...r.languages],
        chatCapacity: r.capacity,
        preferredLanguage: r.languages.length === 1 ? r.languages[0] : null,
        locale: r.locale,
        timeZone: r.timeZone,
      },
      update: {},
    });
    repIds.set(r.email, rep.id);
  }

  let createdInvoices = 0;
  for (const [index, a] of ACCOUNTS.entries()) {
    const account = await prisma.account.upsert({
      where: { number: a.number },
      create: {
        number: a.number,
        legalName: a.legalName,
        taxId: a.taxId,
        country: a.country,
        preferredLanguage: a.language,
        locale: a.locale,
        timeZone: a.timeZone,
        currency: a.currency,
        creditLimitMinor: BigInt(a.limit),
        paymentTermsDays: a.terms,
        status: a.status,
        statusReason: a.statusReason ?? null,
        city: a.city,
        region: a.region,
        ownerRepId: repIds.get(a.ownerEmail) ?? null,
      },
      update: {},
    });
    await prisma.user.upsert({
      where: { email: a.user.email },
      create: { email: a.user.email, name: a.user.name, passwordHash, role: "CUSTOMER", accountId: account.id, preferredLanguage: a.language },
      update: {},
    });
    if ((await prisma.invoice.count({ where: { accountId: account.id } })) === 0) {
      createdInvoices += await seedLedger(prisma, account.id, a, index, today, repIds);
    }
  }

  await seedCreditApplications(prisma, today);
  await seedCollections(prisma, today, repIds);
  await seedChatCapacityChoices(prisma);
  await seedInvoiceDeliveryAccounts(prisma, today, repIds);
  await seedAccountTimeline(prisma, today, repIds);
  await seedMyDay(prisma, today);

  return {
    accounts: await prisma.account.count(),
    users: await prisma.user.count(),
    invoices: await prisma.invoice.count(),
    createdInvoices,
  };
}

/** A payment date that has happened: not before the invoice was issued and never after today. */
function paidOn(wanted: Date, issuedOn: Date, today: Date): Date {
  const latest = utcDay(today);
  const day = wanted > latest ? latest : wanted;
  return day < issuedOn ? issuedOn : day;
}

async function seedLedger(prisma: PrismaClient, accountId: string, a: AccountSeed, index: number, today: Date, repIds: Map<string, string>) {
  const random = prng(1000 + index);
  const invoices: {
    id: string;
    number: string;
    accountId: string;
    poNumber: string;
    currency: string;
    issuedOn: Date;
    dueOn: Date;
    totalMinor: bigint;
    balanceMinor: bigint;
    status: "OPEN" | "PARTIALLY_PAID" | "PAID";
  }[] = [];
  const lines: { invoiceId: string; lineNo: number; sku: string; description: string; quantity: number; unitPriceMinor: bigint; amountMinor: bigint }[] = [];
  const partials: { invoiceId: string; amount: number; on: Date }[] = [];
  const fullPayments: { invoiceId: string; amount: number; on: Date }[] = [];
  const disputes: { invoiceId: string; amount: number; lineNo: number; on: Date }[] = [];

  for (let i = 0; i < a.invoices; i++) {
    // Spread issue dates over ~6 months so every aging bucket is populated.
    const ageDays = Math.floor((i / a.invoices) * 190 + random() * 6);
    const issuedOn = utcDay(today, -ageDays);
    const dueOn = utcDay(issuedOn, a.terms);
    const daysPast = Math.max(0, Math.round((utcDay(today).getTime() - dueOn.getTime()) / DAY));
    const id = `inv_${a.number}_${String(i + 1).padStart(4, "0")}`;
    const number = `${a.number.replace("ACC-", "")}-${String(202600 + i + 1)}`;

    const lineCount = 1 + Math.floor(random() * 4);
    const target = a.minInvoice + Math.floor(random() * (a.maxInvoice - a.minInvoice));
    let total = 0;
    for (let n = 1; n <= lineCount; n++) {
      const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)];
      const unit = Math.round(product.price * (a.currency === "MXN" ? 17 : a.currency === "EUR" ? 0.92 : 1));
      const quantity = Math.max(1, Math.round(target / lineCount / unit));
      const amount = unit * quantity;
      total += amount;
      lines.push({
        invoiceId: id,
        lineNo: n,
        sku: product.sku,
        description: product[a.language],
        quantity,
        unitPriceMinor: BigInt(unit),
        amountMinor: BigInt(amount),
      });
    }

    const paidChance = daysPast === 0 ? 0.05 : Math.min(0.95, a.paidBias * (daysPast > 90 ? 0.7 : daysPast > 60 ? 0.85 : 1));
    const roll = random();
    let balance = total;
    let status: "OPEN" | "PARTIALLY_PAID" | "PAID" = "OPEN";
    if (ageDays > 5 && roll < paidChance) {
      balance = 0;
      status = "PAID";
      fullPayments.push({ invoiceId: id, amount: total, on: paidOn(utcDay(dueOn, -Math.floor(random() * 5)), issuedOn, today) });
    } else if (ageDays > 10 && roll < paidChance + 0.12) {
      const paid = Math.round((total * (0.25 + random() * 0.5)) / 100) * 100;
      balance = total - paid;
      status = "PARTIALLY_PAID";
      partials.push({ invoiceId: id, amount: paid, on: paidOn(utcDay(issuedOn, 15), issuedOn, today) });
    }
    if (balance > 0 && daysPast > 0 && random() < 0.07) {
      const firstLine = lines.find((l) => l.invoiceId === id && l.lineNo === 1)!;
      disputes.push({ invoiceId: id, amount: Math.min(balance, Number(firstLine.amountMinor)), lineNo: 1, on: utcDay(dueOn, 3) });
    }
    invoices.push({
      id,
      number,
      accountId,
      poNumber: `PO-${a.number.slice(4)}-${7000 + i * 3}`,
      currency: a.currency,
      issuedOn,
      dueOn,
      totalMinor: BigInt(total),
      balanceMinor: BigInt(balance),
      status,
    });
  }

  await prisma.invoice.createMany({ data: invoices });
  await prisma.invoiceLine.createMany({ data: lines });

  // Payments as customers make them: in batches (one remittance covering several
  // invoices) for full payments, one payment per partial.
  const payments: {
    id: string;
    accountId: string;
    currency: string;
    amountMinor: bigint;
    status: "SUCCEEDED";
    method: string;
    provider: string;
    idempotencyKey: string;
    receivedAt: Date;
    createdAt: Date;
  }[] = [];
  const allocations: { paymentId: string; invoiceId: string; amountMinor: bigint; createdAt: Date }[] = [];
  for (let i = 0; i < fullPayments.length; i += 3) {
    const batch = fullPayments.slice(i, i + 3);
    const id = `pay_${a.number}_f${i}`;
    // One remittance pays the batch when its last invoice is paid, never before any of them was issued.
    const on = new Date(Math.max(...batch.map((p) => p.on.getTime())));
    payments.push({
      id,
      accountId,
      currency: a.currency,
      amountMinor: BigInt(batch.reduce((s, p) => s + p.amount, 0)),
      status: "SUCCEEDED",
      method: "ach",
      provider: "bank_transfer",
      idempotencyKey: `seed-${id}`,
      receivedAt: on,
      createdAt: on,
    });
    for (const p of batch) allocations.push({ paymentId: id, invoiceId: p.invoiceId, amountMinor: BigInt(p.amount), createdAt: on });
  }
  for (const [n, p] of partials.entries()) {
    const id = `pay_${a.number}_p${n}`;
    payments.push({
      id,
      accountId,
      currency: a.currency,
      amountMinor: BigInt(p.amount),
      status: "SUCCEEDED",
      method: "card",
      provider: "stripe",
      idempotencyKey: `seed-${id}`,
      receivedAt: p.on,
      createdAt: p.on,
    });
    allocations.push({ paymentId: id, invoiceId: p.invoiceId, amountMinor: BigInt(p.amount), createdAt: p.on });
  }
  await prisma.payment.createMany({ data: payments });
  await prisma.paymentAllocation.createMany({ data: allocations });

  const customer = await prisma.user.findUnique({ where: { email: a.user.email } });
  for (const [n, d] of disputes.entries()) {
    const line = await prisma.invoiceLine.findUniqueOrThrow({ where: { invoiceId_lineNo: { invoiceId: d.invoiceId, lineNo: d.lineNo } } });
    const reason = DISPUTE_REASONS[n % DISPUTE_REASONS.length];
    await prisma.dispute.create({
      data: {
        number: `DSP-${a.number.slice(4)}-${String(n + 1).padStart(3, "0")}`,
        accountId,
        invoiceId: d.invoiceId,
        reason,
        amountMinor: BigInt(d.amount),
        currency: a.currency,
        language: a.language,
        status: n % 3 === 2 ? "IN_REVIEW" : "OPEN",
        openedById: customer?.id ?? null,
        createdAt: d.on,
        lines: { create: [{ invoiceLineId: line.id, amountMinor: BigInt(d.amount) }] },
        messages: {
          create: [
            {
              authorId: customer?.id ?? null,
              body:
                a.language === "es"
                  ? "La cantidad facturada no coincide con lo que recibimos. Adjuntamos la remisión."
                  : "The billed quantity does not match what we received; packing slip attached.",
              createdAt: d.on,
            },
          ],
        },
      },
    });
  }

  const ownerRepId = repIds.get(a.ownerEmail) ?? null;
  let orderNo = 1;
  for (const hold of a.held) {
    const placedAt = utcDay(today, -2 - orderNo);
    await prisma.order.create({
      data: {
        number: `SO-${a.number.slice(4)}-${5000 + orderNo}`,
        accountId,
        currency: a.currency,
        amountMinor: BigInt(hold.amount),
        status: "ON_HOLD",
        holdReason: hold.reason,
        heldAt: placedAt,
        placedAt,
        poNumber: `PO-${a.number.slice(4)}-H${orderNo}`,
      },
    });
    orderNo++;
  }
  for (let n = 0; n < 3; n++) {
    const placedAt = utcDay(today, -n);
    await prisma.order.create({
      data: {
        number: `SO-${a.number.slice(4)}-${5000 + orderNo}`,
        accountId,
        currency: a.currency,
        amountMinor: BigInt(Math.round(a.minInvoice * (1 + n))),
        status: n === 2 ? "SHIPPED" : "OPEN",
        placedAt,
      },
    });
    orderNo++;
  }

  await prisma.accountNote.create({
    data: {
      accountId,
      authorId: ownerRepId,
      kind: "call",
      body:
        a.language === "es"
          ? "Llamada con cuentas por pagar: confirman pago de las facturas vencidas para el viernes."
          : "Called AP: they confirmed the past-due invoices will be paid by Friday.",
      createdAt: utcDay(today, -4),
    },
  });
  return invoices.length;
}

/**
 * A collector's recent history: Pacific Coast promised to pay its oldest invoices ten days
 * ago and did not (the promise is broken, so it is the first call of the day); Acme was
 * called last week and has a follow-up set. Added once, when no contact exists yet.
 */
async function seedCollections(prisma: PrismaClient, today: Date, repIds: Map<string, string>) {
  if ((await prisma.collectionContact.count()) > 0) return;
  const pacific = await prisma.account.findUnique({ where: { number: "ACC-1004" } });
  const acme = await prisma.account.findUnique({ where: { number: "ACC-1001" } });
  const senior = repIds.get("senior@accounts.example") ?? null;
  const rep1 = repIds.get("rep1@accounts.example") ?? null;
  if (pacific) {
    const oldest = await prisma.invoice.findMany({
      where: { accountId: pacific.id, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0 }, dueOn: { lt: utcDay(today, -60) } },
      orderBy: { dueOn: "asc" },
      take: 2,
    });
    const promisedMinor = oldest.reduce((sum, i) => sum + i.balanceMinor, 0n);
    const madeAt = utcDay(today, -20);
    await prisma.collectionContact.create({
      data: {
        accountId: pacific.id,
        repId: senior,
        channel: "PHONE",
        outcome: "PROMISE",
        note: "AP manager promised the two oldest invoices by wire.",
        createdAt: madeAt,
      },
    });
    if (oldest.length > 0) {
      await prisma.promiseToPay.create({
        data: {
          accountId: pacific.id,
          amountMinor: promisedMinor,
          currency: pacific.currency,
          promisedFor: utcDay(today, -10),
          status: "BROKEN",
          resolvedAt: utcDay(today, -6),
          createdById: senior,
          createdAt: madeAt,
          invoices: { create: oldest.map((i) => ({ invoiceId: i.id })) },
        },
      });
    }
  }
  if (acme) {
    await prisma.collectionContact.create({
      data: {
        accountId: acme.id,
        repId: rep1,
        channel: "EMAIL",
        outcome: "LEFT_MESSAGE",
        followUpOn: utcDay(today, 2),
        note: "Sent the past-due list to AP.",
        createdAt: utcDay(today, -5),
      },
    });
  }
}

async function seedCreditApplications(prisma: PrismaClient, today: Date) {
  const iberica = await prisma.account.findUnique({ where: { number: "ACC-1003" } });
  const javier = await prisma.user.findUnique({ where: { email: "admin@herramientas-ibericas.example" } });
  const applications = [
    {
      number: "CA-2026-0001",
      accountId: iberica?.id ?? null,
      applicantUserId: javier?.id ?? null,
      applicantName: "Javier Ortega",
      applicantEmail: "admin@herramientas-ibericas.example",
      language: "es",
      status: "SUBMITTED" as const,
      companyName: "Herramientas Ibéricas S.L.",
      taxId: "B86543212",
      country: "ES",
      city: "Madrid",
      region: "MD",
      yearsInBusiness: 14,
      annualRevenueMinor: BigInt(8_400_000_00),
      currency: "EUR",
      requestedLimitMinor: BigInt(200_000_00),
      requestedTermsDays: 60,
      bankName: "Banco Santander",
      bankAccountLast4: "4421",
      signatureName: "Javier Ortega",
      signedAt: utcDay(today, -3),
      submittedAt: utcDay(today, -3),
      references: [
        { companyName: "Ferretería Central Madrid", contactName: "Ana López", email: "ana@ferreteriacentral.example", yearsKnown: 6 },
        { companyName: "Suministros Levante", contactName: "Miguel Sanz", phone: "+34 961 555 210", yearsKnown: 4 },
      ],
    },
    {
      number: "CA-2026-0002",
      accountId: null,
      applicantUserId: null,
      applicantName: "Rosa Delgado",
      applicantEmail: "rosa@soldelpacifico.example",
      language: "es",
      status: "SUBMITTED" as const,
      companyName: "Comercializadora Sol del Pacífico S.A. de C.V.",
      taxId: "CSP150604AB1",
      country: "MX",
      city: "Guadalajara",
      region: "JA",
      yearsInBusiness: 9,
      annualRevenueMinor: BigInt(42_000_000_00),
      currency: "MXN",
      requestedLimitMinor: BigInt(900_000_00),
      requestedTermsDays: 30,
      bankName: "BBVA México",
      bankAccountLast4: "0932",
      signatureName: "Rosa Delgado",
      signedAt: utcDay(today, -1),
      submittedAt: utcDay(today, -1),
      references: [
        { companyName: "Materiales del Bajío", contactName: "Jorge Ruiz", email: "jruiz@matbajio.example", yearsKnown: 5 },
        { companyName: "Aceros Occidente", contactName: "Claudia Ibarra", phone: "+52 33 5555 0192", yearsKnown: 3 },
      ],
    },
  ];
  for (const { references, ...application } of applications) {
    const existing = await prisma.creditApplication.findUnique({ where: { number: application.number } });
    const row =
      existing ??
      (await prisma.creditApplication.create({
        data: {
          ...application,
          references: { create: references },
          events: { create: [{ kind: "submitted", createdAt: application.submittedAt }] },
        },
      }));
    if (row.score !== null) continue;
    // Scored as a real submission is, through the real scorecard (policy rows, FX table, the
    // account's history), so a rep never decides a seeded application without a scorecard.
    const result = await withPortalDatabase(prisma, () =>
      scoreFor(
        {
          yearsInBusiness: application.yearsInBusiness,
          annualRevenueMinor: Number(application.annualRevenueMinor),
          requestedLimitMinor: Number(application.requestedLimitMinor),
          requestedTermsDays: application.requestedTermsDays,
          currency: application.currency,
          references,
          bankName: application.bankName,
        },
        row.accountId,
      ),
    );
    await prisma.creditApplication.update({
      where: { id: row.id },
      data: {
        score: result.score,
        scoreBreakdown: JSON.parse(JSON.stringify(result)),
        recommendedLimitMinor: BigInt(result.recommendedLimitMinor),
        recommendedTermsDays: result.recommendedTermsDays,
      },
    });
  }
}

/**
 * Runs domain code (which reads through `db()`) against the seed's client, then puts back
 * whatever database the process had. The domain only uses the Prisma client here.
 */
async function withPortalDatabase<T>(prisma: PrismaClient, work: () => Promise<T>): Promise<T> {
  let previous: Database | undefined;
  try {
    previous = currentDatabase();
  } catch {
    previous = undefined;
  }
  if (previous?.prisma === prisma) return work();
  const unavailable = () => Promise.reject(new Error("Plain SQL is not available while seeding"));
  setDatabase({ kind: "postgres", prisma, sql: { exec: unavailable, query: unavailable }, close: async () => {} });
  try {
    return await work();
  } finally {
    setDatabase(previous);
  }
}

/**
 * Invoice delivery: one account on EDI (X12 810 to its trading partner, through the
 * outbound folder) and one Spanish account on email with the PDF. Their invoices are
 * new (current, not yet due) and their paths start before them, so the first job run
 * delivers them. Created once, by account number.
 */
async function seedInvoiceDeliveryAccounts(prisma: PrismaClient, today: Date, repIds: Map<string, string>) {
  const accounts = [
    {
      number: "ACC-1005",
      legalName: "Northwind Retail Group Inc.",
      taxId: "91-4420781",
      country: "US",
      language: "en" as const,
      locale: "en-US",
      timeZone: "America/Chicago",
      currency: "USD",
      city: "Chicago",
      region: "IL",
      postalCode: "60607",
      addressLine1: "1400 W Lake St",
      ownerEmail: "rep1@accounts.example",
      setting: { path: "EDI" as const, ediQualifier: "ZZ", ediInterchangeId: "NORTHWINDRTL", ediGroupId: "NORTHWINDRTL", billingEmails: [] },
    },
    {
      number: "ACC-1006",
      legalName: "Comercializadora del Bajío S.A. de C.V.",
      taxId: "CBA0507148N2",
      country: "MX",
      language: "es" as const,
      locale: "es-MX",
      timeZone: "America/Mexico_City",
      currency: "MXN",
      city: "León",
      region: "GT",
      postalCode: "37000",
      addressLine1: "Blvd. Adolfo López Mateos 2110",
      ownerEmail: "rep2@accounts.example",
      setting: {
        path: "EMAIL" as const,
        ediQualifier: null,
        ediInterchangeId: null,
        ediGroupId: null,
        billingEmails: ["facturas@comercializadora-bajio.example", "cxp@comercializadora-bajio.example"],
      },
    },
  ];
  for (const [index, a] of accounts.entries()) {
    if (await prisma.account.findUnique({ where: { number: a.number } })) continue;
    const account = await prisma.account.create({
      data: {
        number: a.number,
        legalName: a.legalName,
        taxId: a.taxId,
        country: a.country,
        preferredLanguage: a.language,
        locale: a.locale,
        timeZone: a.timeZone,
        currency: a.currency,
        creditLimitMinor: a.currency === "MXN" ? 900_000_00n : 150_000_00n,
        paymentTermsDays: 30,
        addressLine1: a.addressLine1,
        city: a.city,
        region: a.region,
        postalCode: a.postalCode,
        ownerRepId: repIds.get(a.ownerEmail) ?? null,
      },
    });
    await prisma.invoiceDeliverySetting.create({ data: { accountId: account.id, ...a.setting, effectiveFrom: utcDay(today, -30) } });
    for (let i = 0; i < 2; i++) {
      const issuedOn = utcDay(today, -2 - i);
      const picked = [PRODUCTS[(index * 2 + i) % PRODUCTS.length], PRODUCTS[(index * 2 + i + 3) % PRODUCTS.length]];
      const lines = picked.map((product, n) => {
        const unit = Math.round(product.price * (a.currency === "MXN" ? 17 : 1));
        const quantity = 4 + n * 6 + i;
        return {
          lineNo: n + 1,
          sku: product.sku,
          description: product[a.language],
          quantity,
          unitPriceMinor: BigInt(unit),
          amountMinor: BigInt(unit * quantity),
        };
      });
      const total = lines.reduce((sum, l) => sum + l.amountMinor, 0n);
      await prisma.invoice.create({
        data: {
          number: `${a.number.replace("ACC-", "")}-${202601 + i}`,
          accountId: account.id,
          poNumber: `PO-${a.number.slice(4)}-${8100 + i}`,
          currency: a.currency,
          issuedOn,
          dueOn: utcDay(issuedOn, 30),
          totalMinor: total,
          balanceMinor: total,
          lines: { create: lines },
        },
      });
    }
  }
}

/**
 * Pacific Coast's timeline holds one of every kind of event an auditor reads (contacts,
 * notes, a chat, a credit decision and a limit change, a dunning step, disputes,
 * promises, an order held and released, the account's credit hold placed and lifted,
 * write-offs proposed, approved, rejected and posted, a final demand letter and an agency
 * referral). The written-off invoice is one of its own, fully written off, so the
 * account's balance, aging and worklist rank stay as the ledger seed made them. Added
 * once: the posted write-off's number marks it done.
 */
async function seedAccountTimeline(prisma: PrismaClient, today: Date, repIds: Map<string, string>) {
  const WRITE_OFF_NUMBER = "WO-1004-SEED01";
  if (await prisma.adjustment.findUnique({ where: { number: WRITE_OFF_NUMBER } })) return;
  const pacific = await prisma.account.findUnique({ where: { number: "ACC-1004" } });
  const senior = repIds.get("senior@accounts.example");
  const rep1 = repIds.get("rep1@accounts.example");
  const customer = await prisma.user.findUnique({ where: { email: "billing@pacificcoast.example" } });
  if (!pacific || !senior || !rep1 || !customer) return;
  const at = (daysAgo: number, hour = 15) => new Date(utcDay(today, -daysAgo).getTime() + hour * 3_600_000);
  const accountId = pacific.id;

  const application = await prisma.creditApplication.create({
    data: {
      number: "CA-2026-1004",
      accountId,
      applicantUserId: customer.id,
      applicantName: customer.name,
      applicantEmail: customer.email,
      language: "en",
      status: "APPROVED",
      currentStep: 5,
      companyName: pacific.legalName,
      country: pacific.country,
      currency: pacific.currency,
      requestedLimitMinor: pacific.creditLimitMinor,
      requestedTermsDays: pacific.paymentTermsDays,
      approvedLimitMinor: pacific.creditLimitMinor,
      approvedTermsDays: pacific.paymentTermsDays,
      signatureName: customer.name,
      signedAt: at(42),
      submittedAt: at(42),
      decidedById: senior,
      decidedAt: at(41),
      createdAt: at(42),
      events: {
        create: [
          { kind: "submitted", actorId: customer.id, createdAt: at(42) },
          { kind: "approved", actorId: senior, createdAt: at(41) },
        ],
      },
    },
  });
  const audit = (row: { actorId: string | null; entity: string; entityId: string; action: string; before?: object; after?: object; createdAt: Date }) =>
    prisma.auditLog.create({ data: { accountId, ...row } });
  await audit({
    actorId: customer.id,
    entity: "CreditApplication",
    entityId: application.id,
    action: "submitted",
    after: { status: "SUBMITTED" },
    createdAt: at(42),
  });
  await audit({
    actorId: senior,
    entity: "CreditApplication",
    entityId: application.id,
    action: "approved",
    before: { status: "SUBMITTED" },
    after: { status: "APPROVED", limitMinor: Number(pacific.creditLimitMinor), termsDays: pacific.paymentTermsDays },
    createdAt: at(41),
  });
  await audit({
    actorId: senior,
    entity: "Account",
    entityId: accountId,
    action: "credit_limit_changed",
    before: { creditLimitMinor: 60_000_00, paymentTermsDays: pacific.paymentTermsDays },
    after: { creditLimitMinor: Number(pacific.creditLimitMinor), paymentTermsDays: pacific.paymentTermsDays },
    createdAt: at(40),
  });

  await prisma.conversation.create({
    data: {
      channel: "CHAT",
      topic: "PAYMENT",
      language: "en",
      status: "CLOSED",
      accountId,
      customerUserId: customer.id,
      assignedRepId: senior,
      assignedAt: at(35),
      closedAt: at(35, 16),
      disposition: "resolved",
      createdAt: at(35),
      messages: {
        create: [
          { authorKind: "CUSTOMER", authorId: customer.id, body: "When is our next statement due?", createdAt: at(35) },
          { authorKind: "REP", authorId: senior, body: "Your statement goes out on the first; the past-due invoices are due now.", createdAt: at(35, 16) },
        ],
      },
    },
  });

  // The invoice the write-off closes: issued and due long ago, reminded, then written off in full.
  const writtenOffMinor = 180_00n;
  const invoice = await prisma.invoice.create({
    data: {
      number: "1004-209001",
      accountId,
      currency: pacific.currency,
      issuedOn: utcDay(today, -75),
      dueOn: utcDay(today, -45),
      totalMinor: writtenOffMinor,
      balanceMinor: 0n,
      status: "PAID",
      lines: {
        create: [{ lineNo: 1, sku: "SVC-RESTOCK", description: "Restocking fee", quantity: 1, unitPriceMinor: writtenOffMinor, amountMinor: writtenOffMinor }],
      },
    },
  });
  await prisma.dunningNotice.create({
    data: {
      invoiceId: invoice.id,
      accountId,
      step: "past_due_15",
      outcome: "SENT",
      amountMinor: writtenOffMinor,
      currency: pacific.currency,
      createdAt: at(30),
    },
  });

  const order = await prisma.order.create({
    data: {
      number: "SO-1004-5900",
      accountId,
      currency: pacific.currency,
      amountMinor: 2_400_00n,
      status: "SHIPPED",
      holdReason: "PAST_DUE",
      heldAt: at(28),
      releasedAt: at(26),
      releasedById: senior,
      releaseNote: "Customer wired the past-due amount for this order's job.",
      placedAt: at(28),
      createdAt: at(28),
    },
  });
  await audit({
    actorId: senior,
    entity: "Order",
    entityId: order.id,
    action: "hold_released",
    before: { status: "ON_HOLD", holdReason: "PAST_DUE" },
    after: { status: "RELEASED" },
    createdAt: at(26),
  });
  await audit({
    actorId: null,
    entity: "Account",
    entityId: accountId,
    action: "credit_hold_placed",
    before: { status: "ACTIVE" },
    after: { status: "CREDIT_HOLD", reason: "past_due_over_threshold", pastDueMinor: 25_000_00, currency: pacific.currency },
    createdAt: at(25),
  });
  await audit({
    actorId: null,
    entity: "Account",
    entityId: accountId,
    action: "credit_hold_lifted",
    before: { status: "CREDIT_HOLD", reason: "past_due_over_threshold" },
    after: { status: "ACTIVE" },
    createdAt: at(24),
  });

  await prisma.accountNote.create({
    data: { accountId, authorId: senior, body: "Owner says a large project payment lands next month.", createdAt: at(18) },
  });

  // Above a Rep I's write-off authority: proposed, approved by the Senior, then posted.
  const adjustment = await prisma.adjustment.create({
    data: {
      number: WRITE_OFF_NUMBER,
      accountId,
      invoiceId: invoice.id,
      kind: "WRITE_OFF",
      amountMinor: writtenOffMinor,
      currency: pacific.currency,
      reason: "Restocking fee waived; not collectable",
      status: "POSTED",
      requestedById: rep1,
      approvedById: senior,
      postedAt: at(14, 16),
      createdAt: at(14, 16),
    },
  });
  await prisma.writeOffRequest.create({
    data: {
      accountId,
      invoiceId: invoice.id,
      amountMinor: writtenOffMinor,
      currency: pacific.currency,
      reason: "Restocking fee waived; not collectable",
      status: "APPROVED",
      requiredLevel: "SENIOR",
      requestedById: rep1,
      decidedById: senior,
      decidedAt: at(14, 16),
      decisionNote: "Agreed with sales.",
      adjustmentId: adjustment.id,
      createdAt: at(15),
    },
  });
  const open = await prisma.invoice.findFirst({ where: { accountId, status: { in: ["OPEN", "PARTIALLY_PAID"] } }, orderBy: { dueOn: "asc" } });
  if (open) {
    await prisma.writeOffRequest.create({
      data: {
        accountId,
        invoiceId: open.id,
        amountMinor: 500_00n,
        currency: pacific.currency,
        reason: "Customer claims a short shipment",
        status: "REJECTED",
        requiredLevel: "SENIOR",
        requestedById: rep1,
        decidedById: senior,
        decidedAt: at(11),
        decisionNote: "Open a dispute instead.",
        createdAt: at(12),
      },
    });
  }

  // The letter and the referral go through the collections domain, so the letter is a real PDF.
  const seniorUser = await prisma.user.findUniqueOrThrow({ where: { id: senior } });
  await withPortalDatabase(prisma, async () => {
    const letter = await generateFinalDemand({ ...seniorUser, account: null }, accountId, today);
    if (letter.ok) {
      await referToAgency(
        { ...seniorUser, account: null },
        { accountId, agencyName: "Western Recovery Partners", reason: "No payment after the final demand." },
      );
    }
  });
}

/**
 * My day, watch signals and periodic reviews: their policy rows, a review schedule for every
 * account (Acme's and Pacific Coast's reviews fall due now), and on Acme — rep1's account —
 * a promise that broke yesterday and an address change its AP clerk reported. With the
 * seeded held order and the new company's application, rep1's day then shows each kind.
 */
async function seedMyDay(prisma: PrismaClient, today: Date) {
  const policy: Record<string, unknown> = {
    "watch.utilizationPercent": 90,
    "watch.daysToPayInvoices": 6,
    "watch.daysToPayWorseningDays": 7,
    "watch.largeOrderPercentOfLimit": 15,
    "watch.lowHeadroomPercent": 10,
    "watch.lookbackDays": 30,
    "credit.reviewIntervalDays": { high: 90, medium: 180, low: 365 },
    "credit.reviewRaiseUtilizationPercent": 80,
    "credit.reviewRaisePercent": 25,
  };
  for (const [key, value] of Object.entries(policy)) {
    await prisma.policySetting.upsert({ where: { key }, create: { key, value: value as object }, update: {} });
  }
  const schedule: Record<string, { riskClass: string; offsetDays: number }> = {
    "ACC-1001": { riskClass: "medium", offsetDays: -1 },
    "ACC-1002": { riskClass: "high", offsetDays: 45 },
    "ACC-1003": { riskClass: "low", offsetDays: 200 },
    "ACC-1004": { riskClass: "high", offsetDays: -3 },
  };
  for (const [number, s] of Object.entries(schedule)) {
    const account = await prisma.account.findUnique({ where: { number } });
    if (!account) continue;
    await prisma.creditReviewSchedule.upsert({
      where: { accountId: account.id },
      create: { accountId: account.id, riskClass: s.riskClass, nextReviewOn: utcDay(today, s.offsetDays) },
      update: {},
    });
  }
  const acme = await prisma.account.findUnique({ where: { number: "ACC-1001" } });
  const pat = await prisma.user.findUnique({ where: { email: "ap@acme-industrial.example" } });
  if (!acme || !pat) return;
  if ((await prisma.promiseToPay.count({ where: { accountId: acme.id, status: "BROKEN" } })) === 0) {
    const invoice = await prisma.invoice.findFirst({
      where: { accountId: acme.id, status: { in: ["OPEN", "PARTIALLY_PAID"] }, balanceMinor: { gt: 0 }, dueOn: { lt: utcDay(today) } },
      orderBy: { dueOn: "asc" },
    });
    if (invoice) {
      await prisma.promiseToPay.create({
        data: {
          accountId: acme.id,
          amountMinor: invoice.balanceMinor,
          currency: acme.currency,
          promisedFor: utcDay(today, -5),
          status: "BROKEN",
          resolvedAt: utcDay(today, -1),
          byCustomer: true,
          createdById: pat.id,
          createdAt: utcDay(today, -12),
          invoices: { create: [{ invoiceId: invoice.id }] },
        },
      });
    }
  }
  if ((await prisma.accountChangeReport.count({ where: { accountId: acme.id } })) === 0) {
    await prisma.accountChangeReport.create({
      data: {
        accountId: acme.id,
        kind: "address",
        details: "We moved: 2200 Commerce Street, Houston, TX 77002.",
        effectiveOn: utcDay(today, 10),
        reportedById: pat.id,
        createdAt: utcDay(today, -1),
      },
    });
  }
}

/**
 * The demo team's capacities are their own choices (they differ per rep), so they stay as
 * seeded rather than following the team default (`chat.defaultCapacity`). Idempotent.
 */
async function seedChatCapacityChoices(prisma: PrismaClient) {
  await prisma.user.updateMany({ where: { role: { in: ["REP", "MANAGER"] }, chatCapacityChosenAt: null }, data: { chatCapacityChosenAt: new Date() } });
}
