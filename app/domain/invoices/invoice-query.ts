import { z } from "zod";
import { calendarDay, freeText } from "../../utils/forms";
import { SUPPORTED_CURRENCIES } from "../money/money";

export const INVOICE_FILTER_STATUSES = ["open", "pastDue", "paid", "disputed"] as const;
export const INVOICE_SORTS = ["issuedOn", "dueOn", "number", "balance"] as const;
export const PAGE_SIZE = 25;

const isoDay = calendarDay();

/** Query-string filters: anything unreadable is dropped rather than failing the page. */
export const invoiceListQuery = z.object({
  status: z.enum(INVOICE_FILTER_STATUSES).optional().catch(undefined),
  currency: z.enum(SUPPORTED_CURRENCIES).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  q: freeText()
    .trim()
    .max(60)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v : undefined)),
  sort: z.enum(INVOICE_SORTS).default("dueOn").catch("dueOn"),
  dir: z.enum(["asc", "desc"]).default("desc").catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;

export function parseInvoiceListQuery(params: URLSearchParams): InvoiceListQuery {
  return invoiceListQuery.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
}
