/**
 * Inbound 997 functional acknowledgements: each AK1 names the functional group it
 * answers by its control number (our GS06 = ISA13 = the interchange's control number);
 * AK5 (the 810's own verdict) or else AK9 (the group's) says accepted or rejected. The
 * 997 must come from the partner the interchange went to (its ISA06 = our ISA08), so one
 * partner cannot settle another's invoices. Only the delivery's newest interchange moves
 * the delivery: a late 997 for an interchange a rep has since re-sent changes only that
 * interchange. Applying the same 997 twice changes nothing the second time.
 */
import { X12Parser, type X12Interchange } from "node-x12";
import { db } from "../../utils/db.server";

export type AckOutcome = { controlNumber: number; result: "accepted" | "rejected" | "unknown" | "ignored" };

export class AckFormatError extends Error {}

const ACCEPTING = new Set(["A", "E"]);

function parse(text: string): X12Interchange[] {
  try {
    const parsed = new X12Parser(true).parse(text.trim());
    return "interchanges" in parsed ? parsed.interchanges : [parsed as X12Interchange];
  } catch (error) {
    throw new AckFormatError(error instanceof Error ? error.message : String(error));
  }
}

export async function receiveFunctionalAcknowledgement(text: string, now = new Date()): Promise<AckOutcome[]> {
  const outcomes: AckOutcome[] = [];
  const interchanges = parse(text);
  for (const interchange of interchanges) {
    const from = interchange.header.valueOf(6, "").trim();
    for (const group of interchange.functionalGroups) {
      for (const set of group.transactions) {
        if (set.header.valueOf(1) !== "997") continue;
        let controlNumber: number | null = null;
        let setVerdict: string | null = null;
        let groupVerdict: string | null = null;
        const codes: string[] = [];
        const flush = async () => {
          if (controlNumber === null) return;
          const verdict = setVerdict ?? groupVerdict;
          outcomes.push(await apply(controlNumber, from, verdict, codes.join(" "), now));
        };
        for (const segment of set.segments) {
          if (segment.tag === "AK1") {
            await flush();
            controlNumber = segment.valueOf(1) === "IN" ? Number.parseInt(segment.valueOf(2, "") ?? "", 10) : null;
            if (controlNumber !== null && !Number.isSafeInteger(controlNumber)) controlNumber = null;
            setVerdict = groupVerdict = null;
            codes.length = 0;
          } else if (segment.tag === "AK3" || segment.tag === "AK4") {
            codes.push(segment.elements.map((e) => e.value).join(":"));
          } else if (segment.tag === "AK5") {
            setVerdict = segment.valueOf(1);
            codes.push(
              ...segment.elements
                .slice(1)
                .map((e) => e.value)
                .filter(Boolean)
                .map((c) => `AK5:${c}`),
            );
          } else if (segment.tag === "AK9") {
            groupVerdict = segment.valueOf(1);
          }
        }
        await flush();
      }
    }
  }
  if (!outcomes.length) throw new AckFormatError("no 997 acknowledging an IN (invoice) group");
  return outcomes;
}

async function apply(controlNumber: number, from: string, verdict: string | null, codes: string, now: Date): Promise<AckOutcome> {
  const interchange = await db().ediInterchange.findUnique({ where: { controlNumber } });
  if (!interchange) return { controlNumber, result: "unknown" };
  const setting = await db().invoiceDeliverySetting.findUnique({ where: { accountId: interchange.accountId } });
  if (!setting?.ediInterchangeId || setting.ediInterchangeId.trim() !== from) return { controlNumber, result: "unknown" };
  if (!verdict) return { controlNumber, result: "ignored" };
  const accepted = ACCEPTING.has(verdict);
  const note = `${accepted ? "accepted" : "rejected"} (${verdict})${codes ? ` ${codes}` : ""}`.slice(0, 500);
  await db().$transaction(async (tx) => {
    await tx.ediInterchange.updateMany({
      where: { controlNumber, ackStatus: "PENDING" },
      data: { ackStatus: accepted ? "ACCEPTED" : "REJECTED", ackNote: note, ackedAt: now },
    });
    const newest = await tx.ediInterchange.findFirst({
      where: { deliveryId: interchange.deliveryId },
      orderBy: { controlNumber: "desc" },
      select: { controlNumber: true },
    });
    if (newest?.controlNumber !== controlNumber) return;
    await tx.invoiceDelivery.updateMany({
      where: { id: interchange.deliveryId, status: "SENT" },
      data: accepted
        ? { status: "ACCEPTED", acceptedAt: now }
        : { status: "FAILED", lastErrorCode: "rejected", lastError: `997 from ${from} for control number ${controlNumber}: ${note}` },
    });
  });
  return { controlNumber, result: accepted ? "accepted" : "rejected" };
}
