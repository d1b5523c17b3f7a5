import type { Socket } from "socket.io-client";

// Event payloads differ per event; the tests read the fields they assert on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Resolves once the socket is connected; rejects with the server's refusal. */
export function connected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
}

/** The next `event` on `socket` whose payload passes `test`, recorded from now on. */
export function next<T = Any>(socket: Socket, event: string, test: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const handler = (payload: T) => {
      if (!test(payload)) return;
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}
