/**
 * The browser tests' server: the production start (`server/index.ts`, as `npm start`)
 * with its mail delivered over SMTP to a catcher on loopback that writes each message
 * to `$E2E_MAIL_DIR` — so a spec reads a reset or welcome link from the mail itself,
 * as the customer would, while staff still see the redacted copies at /outbox.
 */
import { startMailCatcher } from "./mail-catcher";

const dir = process.env.E2E_MAIL_DIR;
if (!dir) throw new Error("E2E_MAIL_DIR is not set");
const catcher = await startMailCatcher({ dir });
process.env.SMTP_URL = catcher.url;
await import("../../server/index");
