import { Prisma } from "../../generated/prisma/client";
import { isLanguage, type Language } from "../../i18n/config";
import { translatorFor } from "../../i18n/i18n.server";
import { db } from "../../utils/db.server";

export function conversationLanguage(language: string): Language {
  return isLanguage(language) ? language : "en";
}

/** A system message in `language`, written inside `tx`. */
export async function systemMessage(
  tx: Prisma.TransactionClient,
  conversationId: string,
  language: Language,
  key: string,
  values: Record<string, unknown> = {},
) {
  const t = await translatorFor(language);
  return tx.message.create({ data: { conversationId, authorKind: "SYSTEM", body: t(`chat:system.${key}`, values) } });
}

/** Adds a system message in the conversation's (the customer's) language. */
export async function addSystemMessage(conversationId: string, key: string, values: Record<string, unknown> = {}) {
  const conversation = await db().conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { language: true } });
  return db().$transaction((tx) => systemMessage(tx, conversationId, conversationLanguage(conversation.language), key, values));
}
