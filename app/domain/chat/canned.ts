/**
 * Canned responses carry `{{customerName}}`, `{{invoiceNumber}}`, `{{amount}}`. The
 * values are plain text (the amount already formatted in the account's currency for
 * the conversation's language); unknown placeholders are left out, never shown raw.
 */
export type CannedValues = { customerName: string; invoiceNumber: string; amount: string };

export function fillPlaceholders(body: string, values: CannedValues): string {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => (key in values ? values[key as keyof CannedValues] : ""));
}
