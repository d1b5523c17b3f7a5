/**
 * The server `npm run bench` measures: the production portal (`createPortalServer`, as
 * `npm start` builds it) plus one bare route on the same HTTP server, `POST /__bench/bare`,
 * which reads the body and answers 200 before Express, React Router or the database — the
 * baseline the Stripe webhook figures stand next to. Settings come from the environment,
 * as for `npm start`; it prints `READY <port>` once listening.
 */
import type http from "node:http";
import { parseEnv } from "../../app/utils/config.server";
import { createPortalServer } from "../../server/app";

const BARE_PATH = "/__bench/bare";

const server = await createPortalServer({ env: parseEnv(process.env), mode: "production" });
const portal = server.httpServer.listeners("request") as http.RequestListener[];
server.httpServer.removeAllListeners("request");
server.httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url !== BARE_PATH) {
    for (const listener of portal) listener(req, res);
    return;
  }
  req.resume();
  req.once("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"received":true}');
  });
});
const { port } = await server.listen();
console.log(`READY ${port}`);
process.once("SIGTERM", () => {
  void server.close().finally(() => process.exit(0));
});
