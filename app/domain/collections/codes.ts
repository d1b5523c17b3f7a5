/** Collections codes shared by the server and the pages (kept out of .server files so the browser may import them). */
import type { AgingBucket } from "../accounts/aging";

export const CONTACT_CHANNELS = ["PHONE", "EMAIL", "CHAT", "LETTER", "FAX"] as const;
export const CONTACT_OUTCOMES = ["PROMISE", "DISPUTE", "LEFT_MESSAGE", "WRONG_CONTACT", "REFUSED", "PAID"] as const;
export const PAST_DUE_BUCKETS = ["days1to30", "days31to60", "days61to90", "over90"] as const satisfies readonly AgingBucket[];
export const ACCOUNT_TABS = [
  "overview",
  "invoices",
  "payments",
  "disputes",
  "orders",
  "credit",
  "conversations",
  "notes",
  "promises",
  "contacts",
  "audit",
  "timeline",
] as const;
export type AccountTab = (typeof ACCOUNT_TABS)[number];
