/** The dispute thread: messages and internal notes (the customer never sees those), and a rep's reply that emails the customer. */
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { storeUploadsFor, type CheckedUpload } from "../files/stored-files.server";
import type { Actor } from "./dispute-numbers.server";
import { notifyCustomer } from "./dispute-notices.server";

export async function addMessage(input: { disputeId: string; authorId: string; body: string; internal: boolean; files: CheckedUpload[]; accountId: string }) {
  await storeUploadsFor(input.files, (files) =>
    db().$transaction(async (tx) => {
      const message = await tx.disputeMessage.create({
        data: { disputeId: input.disputeId, authorId: input.authorId, body: input.body, internal: input.internal },
      });
      for (const f of files) await tx.disputeAttachment.create({ data: { disputeId: input.disputeId, messageId: message.id, ...f } });
      await recordAudit(
        {
          actorId: input.authorId,
          accountId: input.accountId,
          entity: "Dispute",
          entityId: input.disputeId,
          action: input.internal ? "dispute_note" : "dispute_message",
          after: { messageId: message.id },
        },
        tx,
      );
      return true;
    }),
  );
}

export async function replyToCustomer(input: { disputeId: string; actor: Actor; body: string; files: CheckedUpload[] }) {
  const d = await db().dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
  await addMessage({ disputeId: d.id, authorId: input.actor.id, body: input.body, internal: false, files: input.files, accountId: d.accountId });
  await notifyCustomer(d.id, "dispute_reply", { message: input.body });
}
