/**
 * One document as an ANSI X12 810 (version 004010) in its own interchange, built with
 * node-x12, which writes the trailers (SE count, GE, IEA) from what it holds, so counts
 * and control numbers always match their headers. ISA13 = GS06 = the interchange's
 * control number; there is one transaction set per interchange, so ST02 is 0001.
 * A credit memo is an 810 with BIG07 "CR" and REF*OI naming the invoice it credits.
 */
import { X12Interchange } from "node-x12";
import { minorUnitDigits } from "../money/money";

export type X12Party = { qualifier: string; interchangeId: string; groupId: string };

export type X12Document = {
  kind: "INVOICE" | "CREDIT_MEMO";
  number: string;
  issuedOn: Date;
  dueOn: Date | null;
  termsDays: number | null;
  poNumber: string | null;
  originalInvoiceNumber: string | null;
  currency: string;
  totalMinor: number;
  seller: { name: string };
  buyer: {
    name: string;
    accountNumber: string;
    addressLine1: string | null;
    city: string | null;
    region: string | null;
    postalCode: string | null;
    country: string;
  };
  lines: { lineNo: number; sku: string; description: string; quantity: number; unitPriceMinor: number; amountMinor: number }[];
};

export class X12DocumentError extends Error {}

export const X12_DELIMITERS = { element: "*", segment: "~", subElement: ">" } as const;

/** X12's basic character set: accents dropped (Ibéricas → Ibericas), our delimiters and anything else unprintable removed. */
export function x12Text(value: string, max: number): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9 !"&'()+,\-./:;?=%@[\]_{}\\|<#$]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);
}

const pad = (value: string, length: number) => value.padEnd(length, " ").slice(0, length);
const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");

/** Minor units as X12 "N2" (implied two decimals), whatever the currency's own digits. */
export function asN2(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return String(digits <= 2 ? amountMinor * 10 ** (2 - digits) : Math.round(amountMinor / 10 ** (digits - 2)));
}

/** Minor units as an X12 "R" decimal (IT104 unit price): 1250 USD → "12.50". */
function asDecimal(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, "0");
  return `${sign}${whole}.${fraction}`;
}

export function build810(input: { document: X12Document; sender: X12Party; receiver: X12Party; controlNumber: number; at: Date; usage: "P" | "T" }): string {
  const { document: doc, sender, receiver, controlNumber, at, usage } = input;
  if (controlNumber < 1 || controlNumber > 999_999_999) throw new X12DocumentError(`control number ${controlNumber} is outside ISA13's nine digits`);
  // An invoice without lines (an ERP import, a manual invoice) goes as one line for its total.
  const lines = doc.lines.length
    ? doc.lines
    : [
        {
          lineNo: 1,
          sku: doc.kind === "CREDIT_MEMO" ? "CREDIT" : "INVOICE",
          description: doc.number,
          quantity: 1,
          unitPriceMinor: doc.totalMinor,
          amountMinor: doc.totalMinor,
        },
      ];
  const linesTotal = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  if (linesTotal !== doc.totalMinor)
    throw new X12DocumentError(`the lines of ${doc.number} add up to ${linesTotal} but its total is ${doc.totalMinor} (minor units): TDS must equal the lines`);
  for (const l of lines)
    if (l.quantity * l.unitPriceMinor !== l.amountMinor)
      throw new X12DocumentError(`line ${l.lineNo} of ${doc.number}: quantity × unit price is not the line amount`);

  const control = String(controlNumber).padStart(9, "0");
  const interchange = new X12Interchange({
    elementDelimiter: X12_DELIMITERS.element,
    segmentTerminator: X12_DELIMITERS.segment,
    subElementDelimiter: X12_DELIMITERS.subElement,
    endOfLine: "\n",
    format: true,
  });
  const hhmm = at.toISOString().slice(11, 16).replace(":", "");
  interchange.setHeader([
    "00",
    pad("", 10),
    "00",
    pad("", 10),
    sender.qualifier,
    pad(sender.interchangeId, 15),
    receiver.qualifier,
    pad(receiver.interchangeId, 15),
    day(at).slice(2),
    hhmm,
    "U",
    "00401",
    control,
    "0",
    usage,
    X12_DELIMITERS.subElement,
  ]);
  const group = interchange.addFunctionalGroup();
  group.setHeader(["IN", sender.groupId, receiver.groupId, day(at), hhmm, String(controlNumber), "X", "004010"]);
  const set = group.addTransaction();
  set.setHeader(["810", "0001"]);
  set.addSegment("BIG", [day(doc.issuedOn), x12Text(doc.number, 22), "", x12Text(doc.poNumber ?? "", 22), "", "", doc.kind === "CREDIT_MEMO" ? "CR" : "DI"]);
  if (doc.originalInvoiceNumber) set.addSegment("REF", ["OI", x12Text(doc.originalInvoiceNumber, 30)]);
  set.addSegment("CUR", ["SE", doc.currency]);
  set.addSegment("N1", ["SE", x12Text(doc.seller.name, 60)]);
  set.addSegment("N1", ["BT", x12Text(doc.buyer.name, 60), "91", x12Text(doc.buyer.accountNumber, 80)]);
  if (doc.buyer.addressLine1) set.addSegment("N3", [x12Text(doc.buyer.addressLine1, 55)]);
  if (doc.buyer.city)
    set.addSegment("N4", [x12Text(doc.buyer.city, 30), x12Text(doc.buyer.region ?? "", 2), x12Text(doc.buyer.postalCode ?? "", 15), doc.buyer.country]);
  if (doc.kind === "INVOICE" && doc.dueOn && doc.termsDays !== null) set.addSegment("ITD", ["01", "3", "", "", "", day(doc.dueOn), String(doc.termsDays)]);
  for (const l of lines) {
    set.addSegment("IT1", [String(l.lineNo), String(l.quantity), "EA", asDecimal(l.unitPriceMinor, doc.currency), "", "VP", x12Text(l.sku, 48) || "ITEM"]);
    const description = x12Text(l.description, 80);
    if (description) set.addSegment("PID", ["F", "", "", "", description]);
  }
  set.addSegment("TDS", [asN2(linesTotal, doc.currency)]);
  set.addSegment("CTT", [String(lines.length)]);
  return interchange.toString();
}
