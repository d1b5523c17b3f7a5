/** The dispute thread: messages and internal notes (the customer never sees those), and a rep's reply that emails the customer. */
import { db } from "../../utils/db.server";
import { recordAudit } from "../audit/audit.server";
import { storeUploadsFor, type CheckedUpload } from "../files/stored-files.server";
import type { Actor } from "./dispute-numbers.server";
import { notifyCustomer } from "./dispute-notices.server";
import { isUniqueViolation } from "../payments/unique-violation";

const REQUEST_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Adds a message (with its files) to the thread. With a `requestKey` from the reply form it
 * is added once: a reload that resends the post, a double click or two identical posts at
 * once find the first message (looked up in the transaction, backed by the unique index)
 * and store nothing more — their uploaded copies are removed.
 */
export async function addMessage(input: {
  disputeId: string;
  authorId: string;
  body: string;
  internal: boolean;
  files: CheckedUpload[];
  accountId: string;
  requestKey?: string | null;
}): Promise<{ added: boolean }> {
  // Scoped to the dispute, so a key sent to another thread never reaches this one's message.
  const requestKey = input.requestKey && REQUEST_KEY.test(input.requestKey) ? `${input.disputeId}_${input.requestKey}` : null;
  try {
    const added = await storeUploadsFor(input.files, (files) =>
      db().$transaction(async (tx) => {
        if (requestKey && (await tx.disputeMessage.findUnique({ where: { requestKey }, select: { id: true } }))) return null;
        const message = await tx.disputeMessage.create({
          data: { disputeId: input.disputeId, authorId: input.authorId, body: input.body, internal: input.internal, requestKey },
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
    return { added: added === true };
  } catch (error) {
    // The same form, sent while the first was being written: the first one's message stands.
    if (requestKey && isUniqueViolation(error)) return { added: false };
    throw error;
  }
}

export async function replyToCustomer(input: { disputeId: string; actor: Actor; body: string; files: CheckedUpload[] }) {
  const d = await db().dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
  await addMessage({ disputeId: d.id, authorId: input.actor.id, body: input.body, internal: false, files: input.files, accountId: d.accountId });
  await notifyCustomer(d.id, "dispute_reply", { message: input.body });
}
