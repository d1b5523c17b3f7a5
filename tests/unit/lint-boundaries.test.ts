import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The import boundaries are only worth having if breaking one fails `npm run lint` (and so
// `npm test`). Each probe is linted with the project's own eslint.config.js as if it were a
// file at that path — the config picks its rules by path, exactly as `eslint .` does — so
// nothing is written into the tree while other tests read it.
const root = path.resolve(".");
const eslint = new ESLint({ cwd: root });
const probes = new Map<string, string>();

function writeProbe(relative: string, source: string): string {
  const file = path.join(root, relative);
  probes.set(file, source);
  return file;
}

async function boundaryErrors(file: string): Promise<string[]> {
  const [result] = await eslint.lintText(probes.get(file)!, { filePath: file, warnIgnored: true });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports" && m.severity === 2).map((m) => m.message);
}

describe("import boundaries (eslint.config.js)", () => {
  const tag = `${process.pid}-${Date.now()}`;

  it("refuses React Router, React and server/ under app/domain/", async () => {
    const file = writeProbe(
      `app/domain/money/zz-lint-probe-${tag}.ts`,
      [
        'import { redirect } from "react-router";',
        'import { useState } from "react";',
        'import { getEnv } from "../../../server/env";',
        'import type { ServerToClient } from "../../../server/chat/events";',
        "export const probe = [redirect, useState, getEnv] as const;",
        "export type Probe = ServerToClient;",
        "",
      ].join("\n"),
    );
    const errors = await boundaryErrors(file);
    expect(errors).toHaveLength(4);
    expect(errors.some((m) => m.includes("'react-router'"))).toBe(true);
    expect(errors.some((m) => m.includes("'react'"))).toBe(true);
    expect(errors.some((m) => m.includes("server/env"))).toBe(true);
    expect(errors.some((m) => m.includes("server/chat/events"))).toBe(true);
  });

  it("refuses @react-router/* under app/domain/ too", async () => {
    const file = writeProbe(
      `app/domain/money/zz-lint-probe-rr-${tag}.ts`,
      'import { createRequestHandler } from "@react-router/express";\nexport const probe = createRequestHandler;\n',
    );
    expect(await boundaryErrors(file)).toHaveLength(1);
  });

  it("refuses server/ in routes and components", async () => {
    const route = writeProbe(`app/routes/zz-lint-probe-${tag}.tsx`, 'import { getEnv } from "../../server/env";\nexport const probe = getEnv;\n');
    const component = writeProbe(`app/components/zz-lint-probe-${tag}.tsx`, 'import { getEnv } from "../../server/env";\nexport const probe = getEnv;\n');
    expect(await boundaryErrors(route)).toHaveLength(1);
    expect(await boundaryErrors(component)).toHaveLength(1);
  });

  it("refuses server/ anywhere else under app/", async () => {
    const file = writeProbe(`app/utils/zz-lint-probe-${tag}.ts`, 'import { getEnv } from "../../server/env";\nexport const probe = getEnv;\n');
    expect(await boundaryErrors(file)).toHaveLength(1);
  });

  it("lets the domain import plain libraries and its own modules", async () => {
    const file = writeProbe(
      `app/domain/money/zz-lint-probe-ok-${tag}.ts`,
      'import { z } from "zod";\nimport { formatMoney } from "./money";\nexport const probe = [z, formatMoney] as const;\n',
    );
    expect(await boundaryErrors(file)).toEqual([]);
  });

  it("lets server/ import the app", async () => {
    const file = writeProbe(`server/zz-lint-probe-${tag}.ts`, 'import { openDatabase } from "../app/utils/db.server";\nexport const probe = openDatabase;\n');
    expect(await boundaryErrors(file)).toEqual([]);
  });
});

describe("markup as a string (eslint.config.js)", () => {
  const tag = `${process.pid}-${Date.now()}`;
  const rule = async (file: string) => {
    const [result] = await eslint.lintText(probes.get(file)!, { filePath: file, warnIgnored: true });
    expect(result.messages.filter((m) => m.fatal)).toEqual([]);
    return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  };

  it("refuses dangerouslySetInnerHTML with anything but the markup tag's Markup", async () => {
    const raw = writeProbe(
      `app/components/zz-lint-probe-raw-${tag}.tsx`,
      "export function Probe({ note }: { note: string }) {\n  return <p dangerouslySetInnerHTML={{ __html: `<b>${note}</b>` }} />;\n}\n",
    );
    expect(await rule(raw)).toEqual([expect.stringContaining("markup tag")]);
    const escaped = writeProbe(
      `app/components/zz-lint-probe-markup-${tag}.tsx`,
      'import { markup } from "./markup";\nexport function Probe({ note }: { note: string }) {\n  return <p dangerouslySetInnerHTML={{ __html: markup`<b>${note}</b>`.html }} />;\n}\n',
    );
    expect(await rule(escaped)).toEqual([]);
  });
});
