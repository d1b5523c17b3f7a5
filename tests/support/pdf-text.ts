import zlib from "node:zlib";

/** The text a PDF shows: its content streams inflated, the strings of its text operators decoded. */
export function pdfText(bytes: Buffer): string {
  const raw = bytes.toString("latin1");
  let out = "";
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = zlib.inflateSync(Buffer.from(m[1], "latin1")).toString("latin1");
    } catch {
      continue;
    }
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]) : [op[2]];
      out += parts.map((h) => Buffer.from(h, "hex").toString("latin1")).join("") + "\n";
    }
  }
  return out.replace(/\s+/g, " ");
}
