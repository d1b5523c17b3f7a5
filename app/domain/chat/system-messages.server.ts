import { Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import type { StoredEvent, StoredEventValue } from "../../i18n/stored-event";
import { db } from "../../utils/db.server";

export function conversationLanguage(language: string): Language {
  return isLanguage(language) ? language : "en";
}

/**
 * A system line, written inside `tx`. It is stored as data (`event`: its key and values),
 * so the customer and the rep each read it in their own language; `body` keeps it in
 * the conversation's language for transcripts and anything that reads text only.
 */
export async function systemMessage(
  tx: Prisma.TransactionClient,
  conversationId: string,
  language: Language,
  key: string,
  values: Record<string, StoredEventValue> = {},
  options: { internal?: boolean } = {},
) {
  const t = await translatorFor(language);
  const event: StoredEvent = { code: `chat:system.${key}`, values };
  return tx.message.create({
    data: { conversationId, authorKind: "SYSTEM", internal: options.internal ?? false, body: t(event.code, values), event },
  });
}

/** Adds a system line to a conversation (its text copy in the conversation's language). */
export async function addSystemMessage(conversationId: string, key: string, values: Record<string, StoredEventValue> = {}) {
  const conversation = await db().conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { language: true } });
  return db().$transaction((tx) => systemMessage(tx, conversationId, conversationLanguage(conversation.language), key, values));
}
