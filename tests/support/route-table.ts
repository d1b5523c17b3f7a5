/**
 * The portal's routes as app/routes.ts declares them, read when the test runs, with
 * real ids to put into their parameters: one set from Acme's account (the customer
 * the tests sign in as) and one from another account, for cross-account probes.
 */
import fs from "node:fs";
import path from "node:path";
import type { RouteConfigEntry } from "@react-router/dev/routes";
import type { PrismaClient } from "../../app/utils/db.server";

export type PortalRoute = { path: string; file: string; hasAction: boolean; hasLoader: boolean; hasPage: boolean };

// app/routes.ts builds its table from the files in app/routes/ (flatRoutes), which asks
// the React Router build where the app lives; outside a build the test says so.
(globalThis as { __reactRouterAppDirectory?: string }).__reactRouterAppDirectory = path.resolve("app");
const config: RouteConfigEntry[] = await (await import("../../app/routes")).default;

/**
 * Every route that answers a URL, with its full path ("rep/credit/accounts/:accountId"):
 * the leaves of the table. Layout routes answer no URL of their own; their loaders run
 * with every page below them, which is where the probes reach them.
 */
export const routeTable: RouteEntry[] = leaves(config, "", []);

/** A route that answers a URL: its full path, route id, file, and the layout files around it (outermost first). */
export type RouteEntry = { path: string; id: string; file: string; layouts: string[] };

function leaves(entries: RouteConfigEntry[], parent: string, layouts: string[]): RouteEntry[] {
  return entries.flatMap((entry) => {
    const full = [parent, entry.path ?? ""].filter(Boolean).join("/");
    if (entry.children?.length) return leaves(entry.children, full, [...layouts, entry.file]);
    return [{ path: full, id: entry.id ?? entry.file.replace(/\.[jt]sx?$/, ""), file: entry.file, layouts }];
  });
}

export function portalRoutes(): PortalRoute[] {
  return routeTable.map((r) => {
    const source = fs.readFileSync(path.resolve("app", r.file), "utf8");
    return {
      path: r.path,
      file: r.file,
      hasAction: /export (async )?function action\b/.test(source),
      hasLoader: /export (async )?function loader\b/.test(source),
      hasPage: /export default function\b/.test(source),
    };
  });
}

export type Ids = Record<string, string>;

/** Ids for every route parameter, all belonging to one account (staff-only ones from anywhere). */
export async function idsOf(db: PrismaClient, accountNumber: string): Promise<Ids> {
  const account = await db.account.findUniqueOrThrow({ where: { number: accountNumber } });
  const where = { accountId: account.id };
  const invoice = await db.invoice.findFirst({ where, orderBy: { number: "asc" } });
  const payment = await db.payment.findFirst({ where });
  const dispute = await db.dispute.findFirst({ where });
  const attachment = dispute ? await db.disputeAttachment.findFirst({ where: { disputeId: dispute.id } }) : null;
  const application = await db.creditApplication.findFirst({ where, orderBy: { createdAt: "desc" } });
  const document = application ? await db.applicationDocument.findFirst({ where: { applicationId: application.id } }) : null;
  const conversation = await db.conversation.findFirst({ where });
  const memo = await db.adjustment.findFirst({ where: { ...where, kind: "CREDIT_MEMO", status: "POSTED" } });
  const missing = "missing-id-0000";
  return {
    accountId: account.id,
    invoiceId: invoice?.id ?? missing,
    paymentId: payment?.id ?? missing,
    disputeId: dispute?.id ?? missing,
    attachmentId: attachment?.id ?? missing,
    applicationId: application?.id ?? missing,
    documentId: document?.id ?? missing,
    conversationId: conversation?.id ?? missing,
    memoId: memo?.id ?? missing,
    sessionId: payment?.checkoutSessionId ?? missing,
  };
}

/** A route path with its parameters filled in; the catch-all becomes an unknown page. */
export function urlOf(routePath: string, ids: Ids): string {
  if (routePath === "*") return "/no-such-page";
  return (
    "/" +
    routePath
      .split("/")
      .map((part) => (part.startsWith(":") ? encodeURIComponent(ids[part.slice(1)] ?? "missing-id-0000") : part))
      .join("/")
  );
}

/** Row counts of the tables an action writes to; equal before and after means nothing was written. */
export async function rowCounts(db: PrismaClient) {
  const [
    payments,
    allocations,
    disputes,
    disputeMessages,
    promises,
    applications,
    documents,
    notes,
    conversations,
    messages,
    adjustments,
    audit,
    outbox,
    users,
  ] = await Promise.all([
    db.payment.count(),
    db.paymentAllocation.count(),
    db.dispute.count(),
    db.disputeMessage.count(),
    db.promiseToPay.count(),
    db.creditApplication.count(),
    db.applicationDocument.count(),
    db.accountNote.count(),
    db.conversation.count(),
    db.message.count(),
    db.adjustment.count(),
    db.auditLog.count(),
    db.outboxEmail.count(),
    db.user.count(),
  ]);
  return {
    payments,
    allocations,
    disputes,
    disputeMessages,
    promises,
    applications,
    documents,
    notes,
    conversations,
    messages,
    adjustments,
    audit,
    outbox,
    users,
  };
}
