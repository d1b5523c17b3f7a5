import { minorUnitDigits } from "../domain/money/money";

/**
 * CSV separators per locale, as each locale's spreadsheet opens a CSV by double-click:
 * Excel set up for Spain uses ";" between fields and "," for decimals (a "." decimal is
 * read as a date or a thousands mark there); Mexico's and the US's Excel use "," and ".".
 * Dates stay ISO (2026-12-01), which every Excel reads as a date. Numbers carry no
 * grouping marks. Every CSV the portal writes (statements, dashboard tables) goes through here.
 */
const CSV_MARKS: Record<string, { field: string; decimal: string }> = {
  "es-ES": { field: ";", decimal: "," },
};

export type CsvValue = string | number | null;

export function csvWriter(locale: string) {
  const { field, decimal } = CSV_MARKS[locale] ?? { field: ",", decimal: "." };
  const needsQuotes = new RegExp(`["${field}\n\r]`);
  const cell = (v: CsvValue) => {
    const s = v === null ? "" : String(v);
    // A leading = + - @ would run as a formula in a spreadsheet: quoted, it stays text.
    return needsQuotes.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  /** Digits from an integer scaled by 10^places (no float), with the locale's decimal mark. */
  const scaled = (value: number, places: number) => {
    const abs = String(Math.abs(value)).padStart(places + 1, "0");
    const text = places ? `${abs.slice(0, -places)}${decimal}${abs.slice(-places)}` : abs;
    return value < 0 ? `-${text}` : text;
  };
  return {
    /** An amount in minor units, written with the currency's decimals. */
    amount: (minor: number, currency: string) => scaled(minor, minorUnitDigits(currency)),
    /** A measured figure (a rate, a number of days) rounded to `places` decimals. */
    decimal: (value: number, places: number) => scaled(Math.round(value * 10 ** places), places),
    /** The file: a byte-order mark so Excel reads UTF-8, CRLF line ends. */
    document: (rows: CsvValue[][]) => "\uFEFF" + rows.map((r) => r.map(cell).join(field)).join("\r\n") + "\r\n",
  };
}
