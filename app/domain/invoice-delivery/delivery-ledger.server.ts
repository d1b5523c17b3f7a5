/**
 * What reps see and do with invoice delivery: an account's path and its ledger (the 360),
 * changing the path, re-sending a document, and the failures across a rep's accounts
 * (`deliveryFailuresFor`, for the My day page).
 */
import { db } from "../../utils/db.server";
import { CLAIM_TRANSACTION } from "../../utils/transactions.server";
import { recordAudit } from "../audit/audit.server";
import { claimFor, deliverClaimed } from "./deliver.server";
import { deliverySettingsSchema, DELIVERY_PATHS, type DeliveryPath } from "./delivery-schemas";
import { ediTargetNames } from "./edi-transport.server";

export type DeliverySettingsView = {
  path: DeliveryPath;
  billingEmails: string[];
  ediQualifier: string | null;
  ediInterchangeId: string | null;
  ediGroupId: string | null;
  ediTarget: string;
};

export async function deliverySettingsOf(accountId: string): Promise<DeliverySettingsView> {
  const row = await db().invoiceDeliverySetting.findUnique({ where: { accountId } });
  return {
    path: row?.path ?? "PORTAL",
    billingEmails: row?.billingEmails ?? [],
    ediQualifier: row?.ediQualifier ?? null,
    ediInterchangeId: row?.ediInterchangeId ?? null,
    ediGroupId: row?.ediGroupId ?? null,
    ediTarget: row?.ediTarget ?? "folder",
  };
}

const LEDGER_SIZE = 30;

/** The 360's delivery panel: the path, the targets a rep may choose, the newest deliveries with their last interchange. */
export async function accountDeliveryOverview(accountId: string) {
  const [settings, deliveries] = await Promise.all([
    deliverySettingsOf(accountId),
    db().invoiceDelivery.findMany({ where: { accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: LEDGER_SIZE }),
  ]);
  const interchanges = await db().ediInterchange.findMany({
    where: { deliveryId: { in: deliveries.map((d) => d.id) } },
    orderBy: { controlNumber: "desc" },
    select: { deliveryId: true, controlNumber: true, ackStatus: true, ackNote: true },
  });
  return {
    settings,
    targets: ediTargetNames(),
    deliveries: deliveries.map((d) => {
      const last = interchanges.find((i) => i.deliveryId === d.id) ?? null;
      return {
        id: d.id,
        documentKind: d.documentKind,
        documentId: d.documentId,
        documentNumber: d.documentNumber,
        path: d.path,
        status: d.status,
        attempts: d.attempts,
        lastErrorCode: d.lastErrorCode,
        lastError: d.lastError,
        nextAttemptAt: d.status === "RETRYING" ? d.nextAttemptAt.toISOString() : null,
        sentAt: d.sentAt?.toISOString() ?? null,
        controlNumber: last?.controlNumber ?? null,
        ackNote: last?.ackNote ?? null,
      };
    }),
  };
}

export type DeliveryFormResult = { ok: true; changed: boolean } | { ok: false; errors: Record<string, string> };

/** A rep sets the path. Documents created from now on go out on it; bad input changes nothing. */
export async function changeDeliveryPath(input: { accountId: string; actorId: string; form: FormData }, now = new Date()): Promise<DeliveryFormResult> {
  const fields = Object.fromEntries([...input.form.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  if (!(DELIVERY_PATHS as readonly string[]).includes(fields.path ?? "")) return { ok: false, errors: { path: "delivery:errors.path" } };
  const parsed = deliverySettingsSchema.safeParse({ ...fields, ediTarget: fields.ediTarget || "folder" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = issue.message.startsWith("delivery:") ? issue.message : "delivery:errors.checkFields";
    return { ok: false, errors: { [String(issue.path[0] ?? "form")]: message } };
  }
  const value = parsed.data;
  if (value.path === "EDI" && !ediTargetNames().includes(value.ediTarget)) return { ok: false, errors: { ediTarget: "delivery:errors.ediTarget" } };
  const account = await db().account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!account) return { ok: false, errors: { form: "delivery:errors.notFound" } };
  const next = {
    path: value.path,
    billingEmails: value.path === "EMAIL" ? value.billingEmails : [],
    ediQualifier: value.path === "EDI" ? value.ediQualifier : null,
    ediInterchangeId: value.path === "EDI" ? value.ediInterchangeId : null,
    ediGroupId: value.path === "EDI" ? value.ediGroupId : null,
    ediTarget: value.path === "EDI" ? value.ediTarget : "folder",
  };
  return db().$transaction(async (tx) => {
    const before = await tx.invoiceDeliverySetting.findUnique({ where: { accountId: input.accountId } });
    const same =
      before &&
      before.path === next.path &&
      before.billingEmails.join(",") === next.billingEmails.join(",") &&
      before.ediQualifier === next.ediQualifier &&
      before.ediInterchangeId === next.ediInterchangeId &&
      before.ediGroupId === next.ediGroupId &&
      before.ediTarget === next.ediTarget;
    if (same) return { ok: true as const, changed: false };
    // A new path applies to documents from now on; the same path with new details keeps its start.
    const effectiveFrom = before && before.path === next.path ? before.effectiveFrom : now;
    await tx.invoiceDeliverySetting.upsert({
      where: { accountId: input.accountId },
      create: { accountId: input.accountId, ...next, effectiveFrom, updatedById: input.actorId },
      update: { ...next, effectiveFrom, updatedById: input.actorId },
    });
    await recordAudit(
      {
        actorId: input.actorId,
        accountId: input.accountId,
        entity: "InvoiceDeliverySetting",
        entityId: input.accountId,
        action: "delivery_path_changed",
        before,
        after: next,
      },
      tx,
    );
    return { ok: true as const, changed: true };
  }, CLAIM_TRANSACTION);
}

export type ResendResult =
  { ok: true; status: "sent" | "retrying" | "failed" | "queued" } | { ok: false; error: "delivery:errors.resendStale" | "delivery:errors.notFound" };

/**
 * A rep sends a document again on its path (an EDI re-send is a new interchange with a
 * new control number). The form carries the attempts the rep saw: a double click or a
 * resent form finds the count moved and re-sends nothing more.
 */
export async function resendDelivery(
  input: { accountId: string; deliveryId: string; seenAttempts: number; actorId: string },
  now = new Date(),
): Promise<ResendResult> {
  const claim = claimFor(now);
  const queued = await db().$transaction(async (tx) => {
    const updated = await tx.invoiceDelivery.updateMany({
      where: { id: input.deliveryId, accountId: input.accountId, attempts: input.seenAttempts, status: { in: ["FAILED", "RETRYING", "SENT", "ACCEPTED"] } },
      data: { status: "QUEUED", nextAttemptAt: now, ...claim },
    });
    if (updated.count !== 1) return false;
    await recordAudit(
      {
        actorId: input.actorId,
        accountId: input.accountId,
        entity: "InvoiceDelivery",
        entityId: input.deliveryId,
        action: "delivery_resent",
        after: { attempts: input.seenAttempts },
      },
      tx,
    );
    return true;
  }, CLAIM_TRANSACTION);
  if (!queued) {
    const exists = await db().invoiceDelivery.count({ where: { id: input.deliveryId, accountId: input.accountId } });
    return { ok: false, error: exists ? "delivery:errors.resendStale" : "delivery:errors.notFound" };
  }
  const outcome = await deliverClaimed(input.deliveryId, claim.claimToken, now);
  return { ok: true, status: outcome === "lost" ? "queued" : outcome };
}

export type DeliveryFailure = {
  id: string;
  account: { id: string; number: string; legalName: string };
  documentKind: "INVOICE" | "CREDIT_MEMO";
  documentNumber: string;
  path: DeliveryPath;
  status: "FAILED" | "RETRYING";
  attempts: number;
  lastErrorCode: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
};

/**
 * Deliveries that did not get through on the accounts a rep owns: given up (FAILED, a
 * 997 rejection included) first, then those still retrying; newest first within each.
 */
export async function deliveryFailuresFor(repId: string, limit = 50): Promise<DeliveryFailure[]> {
  const accounts = await db().account.findMany({ where: { ownerRepId: repId }, select: { id: true, number: true, legalName: true } });
  if (!accounts.length) return [];
  const rows = await db().invoiceDelivery.findMany({
    where: { accountId: { in: accounts.map((a) => a.id) }, status: { in: ["FAILED", "RETRYING"] } },
    orderBy: [{ status: "asc" }, { updatedAt: "desc" }],
    take: limit,
  });
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return rows
    .map((r) => ({
      id: r.id,
      account: byId.get(r.accountId)!,
      documentKind: r.documentKind,
      documentNumber: r.documentNumber,
      path: r.path,
      status: r.status as "FAILED" | "RETRYING",
      attempts: r.attempts,
      lastErrorCode: r.lastErrorCode,
      lastError: r.lastError,
      nextAttemptAt: r.status === "RETRYING" ? r.nextAttemptAt.toISOString() : null,
      updatedAt: r.updatedAt.toISOString(),
    }))
    .sort((a, b) => (a.status === b.status ? 0 : a.status === "FAILED" ? -1 : 1));
}
