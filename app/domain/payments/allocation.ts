/**
 * How a received payment is spread over invoices — pure, so the rule is tested at its
 * edges. Invoices are served oldest due date first; each gets at most what the
 * customer chose for it and never more than its current balance. Whatever cannot be
 * applied (an invoice was paid meanwhile) stays unapplied for a rep to place.
 */
export type OpenInvoice = { id: string; dueOn: Date; balanceMinor: number };
export type Intended = { invoiceId: string; amountMinor: number };
export type Allocation = { invoiceId: string; amountMinor: number };

export function allocatePayment(receivedMinor: number, intended: Intended[], invoices: OpenInvoice[]): { allocations: Allocation[]; unappliedMinor: number } {
  const wanted = new Map<string, number>();
  for (const i of intended) wanted.set(i.invoiceId, (wanted.get(i.invoiceId) ?? 0) + i.amountMinor);
  const ordered = [...invoices].filter((inv) => wanted.has(inv.id)).sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime() || a.id.localeCompare(b.id));
  let left = receivedMinor;
  const allocations: Allocation[] = [];
  for (const inv of ordered) {
    if (left <= 0) break;
    const amount = Math.min(left, wanted.get(inv.id)!, Math.max(0, inv.balanceMinor));
    if (amount <= 0) continue;
    allocations.push({ invoiceId: inv.id, amountMinor: amount });
    left -= amount;
  }
  return { allocations, unappliedMinor: left };
}

/** Oldest first across every given open invoice: a lump sum a rep applies. */
export function allocateLumpSum(receivedMinor: number, invoices: OpenInvoice[]): { allocations: Allocation[]; unappliedMinor: number } {
  return allocatePayment(
    receivedMinor,
    invoices.map((inv) => ({ invoiceId: inv.id, amountMinor: inv.balanceMinor })),
    invoices,
  );
}

export function invoiceStatusFor(totalMinor: number, balanceMinor: number): "OPEN" | "PARTIALLY_PAID" | "PAID" {
  if (balanceMinor <= 0) return "PAID";
  if (balanceMinor < totalMinor) return "PARTIALLY_PAID";
  return "OPEN";
}
