/** The account timeline for an auditor: CSV and PDF, oldest first, in the reader's language. */
import PDFDocument from "pdfkit";
import { describeStoredEvent } from "../../i18n/stored-event";
import { formatterFor } from "../../i18n/format";
import type { Formatting } from "../../i18n/locale";
import { db } from "../../utils/db.server";
import { describeTimelineEvent } from "./timeline-text";
import { accountTimeline, type TimelineEvent } from "./timeline.server";

type T = (key: string, values?: Record<string, unknown>) => string;

/** An auditor reads everything: up to this many events of each source. */
const EXPORT_LIMIT = 5_000;

export async function timelineForExport(accountId: string) {
  const account = await db().account.findUnique({ where: { id: accountId }, select: { id: true, number: true, legalName: true } });
  if (!account) return null;
  const events = (await accountTimeline(accountId, { take: EXPORT_LIMIT })).reverse();
  return { account, events };
}

type Row = { when: string; source: string; event: string; by: string; detail: string };

function rowsOf(events: TimelineEvent[], t: T, formatting: Formatting): Row[] {
  const f = formatterFor(formatting);
  return events.map((e) => ({
    when: f.dateTime(e.at),
    source: t(`collections:timeline.sources.${e.source}`),
    event: describeTimelineEvent(e, t, f),
    by: e.actor ?? "",
    detail: e.note ? describeStoredEvent(e.note, t, f) : (e.detail ?? ""),
  }));
}

export function timelineCsv(events: TimelineEvent[], t: T, formatting: Formatting): string {
  // Spain's spreadsheets read ";" as the field separator (as the statement CSV does).
  const field = formatting.locale === "es-ES" ? ";" : ",";
  const needsQuotes = new RegExp(`["${field}\n\r]`);
  const cell = (s: string) => (needsQuotes.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = (["when", "source", "event", "by", "detail"] as const).map((c) => t(`collections:timeline.columns.${c}`));
  const lines = rowsOf(events, t, formatting).map((r) => [r.when, r.source, r.event, r.by, r.detail].map(cell).join(field));
  return "\uFEFF" + [head.map(cell).join(field), ...lines].join("\r\n") + "\r\n";
}

export function timelinePdf(account: { number: string; legalName: string }, events: TimelineEvent[], t: T, formatting: Formatting): Promise<Buffer> {
  const f = formatterFor(formatting);
  const title = t("collections:timeline.pdfTitle", { account: `${account.legalName} (${account.number})` });
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER", margin: 50, info: { Title: title, Author: "Customer Accounts" } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica-Bold").fontSize(16).text(title);
    doc
      .font("Helvetica")
      .fontSize(9)
      .text(t("collections:timeline.pdfGenerated", { date: f.dateTime(new Date()) }));
    doc.moveDown();
    const columns = [
      { key: "when", x: 50, width: 95 },
      { key: "source", x: 150, width: 65 },
      { key: "event", x: 220, width: 200 },
      { key: "by", x: 425, width: 70 },
      { key: "detail", x: 500, width: 62 },
    ] as const;
    const line = (cells: Record<string, string>, bold: boolean) => {
      if (doc.y > 700) doc.addPage();
      const y = doc.y;
      doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8);
      let bottom = y;
      for (const c of columns) {
        doc.text(cells[c.key] ?? "", c.x, y, { width: c.width });
        bottom = Math.max(bottom, doc.y);
      }
      doc.x = 50;
      doc.y = bottom + 3;
    };
    line(Object.fromEntries(columns.map((c) => [c.key, t(`collections:timeline.columns.${c.key}`)])), true);
    if (events.length === 0) doc.font("Helvetica").fontSize(9).text(t("collections:timeline.empty"), 50);
    for (const r of rowsOf(events, t, formatting)) line(r, false);
    doc.end();
  });
}
