/**
 * A small SMTP server on loopback that keeps what it is sent: the portal's real mail
 * path (nodemailer over SMTP_URL) delivers to it, so a test reads a reset or welcome
 * link from the mail the recipient would get — the outbox page never shows one.
 *
 * In-process (integration tests): `startMailCatcher()`; its `messages` fill as mail
 * arrives. For the browser tests (`tests/support/e2e-server.ts`), `dir` also writes each
 * message there as JSON, which the Playwright specs read (`tests/e2e/support.ts`).
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export type CaughtMail = { from: string; to: string[]; subject: string; text: string; receivedAt: number };

export type MailCatcher = {
  url: string;
  messages: CaughtMail[];
  /** The newest mail to `to` whose subject or text matches, waiting briefly for it to arrive. */
  waitFor(to: string, match?: RegExp, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
};

export async function startMailCatcher(options: { dir?: string; port?: number } = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  if (options.dir) fs.mkdirSync(options.dir, { recursive: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = "";
    let inData = false;
    let from = "";
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 mail-catcher ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          const raw = buffer.slice(0, end).replace(/^\.\./gm, ".");
          buffer = buffer.slice(end + 5);
          inData = false;
          const mail = { from, to, ...parseMessage(raw), receivedAt: Date.now() };
          messages.push(mail);
          if (options.dir) fs.writeFileSync(path.join(options.dir, `${Date.now()}-${messages.length}.json`), JSON.stringify(mail));
          reply("250 OK: kept");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 mail-catcher");
        else if (verb === "MAIL") {
          from = addressIn(line);
          to = [];
          reply("250 OK");
        } else if (verb === "RCPT") {
          to.push(addressIn(line));
          reply("250 OK");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "QUIT") {
          reply("221 Bye");
          socket.end();
        } else if (verb === "RSET" || verb === "NOOP") reply("250 OK");
        else reply("502 Command not implemented");
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(recipient, match, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = [...messages].reverse().find((m) => m.to.includes(recipient.toLowerCase()) && (!match || match.test(m.subject) || match.test(m.text)));
        if (found) return found;
        if (Date.now() > until) throw new Error(`No mail to ${recipient}${match ? ` matching ${match}` : ""} (got ${messages.length} in all)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a reset or welcome link's path and query from a mail body. */
export function resetPathIn(text: string): string {
  const found = text.match(/https?:\/\/[^\s]+\/reset-password\?token=[\w-]+/)?.[0];
  if (!found) throw new Error(`No reset link in: ${text}`);
  const url = new URL(found);
  return url.pathname + url.search;
}

function addressIn(line: string): string {
  return (line.match(/<([^>]*)>/)?.[1] ?? line.split(":")[1] ?? "").trim().toLowerCase();
}

/** A single-part text message as nodemailer writes one: headers, then a (transfer-encoded) body. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => head.match(new RegExp(`^${name}:\\s*(.*)$`, "im"))?.[1] ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text =
    encoding === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : encoding === "quoted-printable" ? quotedPrintable(body) : body;
  return { subject: encodedWords(header("Subject")), text: text.replace(/\r\n/g, "\n") };
}

function quotedPrintable(body: string): string {
  const bytes: number[] = [];
  const soft = body.replace(/=\r\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function encodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, kind: string, data: string) =>
      kind.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : quotedPrintable(data.replace(/_/g, " ")),
    );
}
