import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type TestPortal } from "../support/portal";

let portal: TestPortal;
const sockets: Socket[] = [];
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await portal?.close();
});

function open(cookie?: string) {
  const socket = connect(portal.url, { transports: ["websocket"], extraHeaders: cookie ? { Cookie: cookie } : {}, reconnection: false });
  sockets.push(socket);
  return socket;
}

describe("socket connection", () => {
  it("refuses a socket without a session", async () => {
    const socket = open();
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("refuses a forged session cookie", async () => {
    const socket = open("__session=eyJzZXNzaW9uSWQiOiJ4In0%3D.forged");
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("authenticates from the session cookie and answers the health event", async () => {
    const browser = await portal.signedIn("ap@acme-industrial.example");
    const socket = open(browser.cookieHeader());
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", resolve);
      socket.on("connect_error", reject);
    });
    const reply = await socket.emitWithAck("system:health");
    const user = await portal.db.user.findUniqueOrThrow({ where: { email: "ap@acme-industrial.example" } });
    expect(reply.data.ok).toBe(true);
    expect(reply.data.user).toEqual({ id: user.id, role: "CUSTOMER" });
  });
});
