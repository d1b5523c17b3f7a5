/**
 * Reads an X12 file back with x12-parser — a different package from node-x12, which the
 * portal writes with — and checks the envelope and the 810's own arithmetic the way a
 * partner's translator would: control numbers match their trailers, SE counts its
 * segments, CTT counts the IT1 lines, TDS equals the lines.
 */
import { Readable } from "node:stream";
import { X12parser } from "x12-parser";

export type Segment = { name: string } & Record<string, string>;

export async function readX12(text: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new X12parser();
    parser.on("error", reject);
    Readable.from([Buffer.from(text, "ascii")])
      .pipe(parser)
      .on("data", (segment: Segment) => segments.push(segment))
      .on("end", resolve)
      .on("error", reject);
  });
  return segments;
}

export type Read810 = {
  controlNumber: number;
  receiver: string;
  kind: string;
  number: string;
  lines: { quantity: number; unitPrice: number; sku: string }[];
  linesTotalCents: number;
  tdsCents: number;
  bt: Segment | undefined;
  segments: Segment[];
};

/** One interchange, one group, one 810: every structural rule checked, the figures returned. */
export async function read810(text: string): Promise<Read810> {
  const segments = await readX12(text);
  const names = segments.map((s) => s.name);
  const one = (name: string) => {
    const found = segments.filter((s) => s.name === name);
    if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
    return found[0];
  };
  const isa = one("ISA");
  const iea = one("IEA");
  const gs = one("GS");
  const ge = one("GE");
  const st = one("ST");
  const se = one("SE");
  if (names[0] !== "ISA" || names.at(-1) !== "IEA") throw new Error("the interchange is not enclosed in ISA … IEA");
  if (iea["2"] !== isa["13"] || iea["1"] !== "1") throw new Error(`IEA ${iea["1"]}/${iea["2"]} does not close ISA ${isa["13"]}`);
  if (ge["2"] !== gs["6"] || ge["1"] !== "1") throw new Error(`GE ${ge["1"]}/${ge["2"]} does not close GS ${gs["6"]}`);
  if (Number(gs["6"]) !== Number(isa["13"])) throw new Error("GS06 and ISA13 differ");
  if (st["1"] !== "810" || se["2"] !== st["2"]) throw new Error("SE02 does not close ST02 of an 810");
  const setLength = names.indexOf("SE") - names.indexOf("ST") + 1;
  if (Number(se["1"]) !== setLength) throw new Error(`SE01 says ${se["1"]} segments, the set has ${setLength}`);
  if (isa["13"].length !== 9) throw new Error("ISA13 is not nine digits");
  const big = one("BIG");
  const it1 = segments.filter((s) => s.name === "IT1");
  const ctt = one("CTT");
  if (Number(ctt["1"]) !== it1.length) throw new Error(`CTT01 says ${ctt["1"]} lines, there are ${it1.length}`);
  const lines = it1.map((s) => ({ quantity: Number(s["2"]), unitPrice: Number(s["4"]), sku: s["7"] }));
  const linesTotalCents = lines.reduce((sum, l) => sum + Math.round(l.quantity * l.unitPrice * 100), 0);
  const tdsCents = Number(one("TDS")["1"]);
  if (tdsCents !== linesTotalCents) throw new Error(`TDS ${tdsCents} is not the lines' ${linesTotalCents}`);
  return {
    controlNumber: Number(isa["13"]),
    receiver: isa["8"].trim(),
    kind: big["7"],
    number: big["2"],
    lines,
    linesTotalCents,
    tdsCents,
    bt: segments.find((s) => s.name === "N1" && s["1"] === "BT"),
    segments,
  };
}
