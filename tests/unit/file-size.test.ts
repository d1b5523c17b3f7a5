import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Files a reader takes in at one sitting: over 300 lines, a file in app/ or server/ says at its
// top why it is longer (a comment starting "Longer than 300 lines because" in its first five
// lines), or it is split by job. Generated code is not ours to split.
const LIMIT = 300;
const REASON = /^\s*(\/\/|\/\*+|\*)\s*Longer than 300 lines because/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("file size", () => {
  it(`keeps every .ts/.tsx file in app/ and server/ within ${LIMIT} lines, or says why at its top`, () => {
    const oversized = ["app", "server"].flatMap((dir) =>
      sources(path.resolve(dir)).flatMap((file) => {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        if (lines.at(-1) === "") lines.pop();
        if (lines.length <= LIMIT || lines.slice(0, 5).some((line) => REASON.test(line))) return [];
        return [`${path.relative(process.cwd(), file)}: ${lines.length} lines`];
      }),
    );
    expect(oversized).toEqual([]);
  });
});
