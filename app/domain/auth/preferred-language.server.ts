import type { Language } from "../../i18n/config";
import { db } from "../../utils/db.server";

/** A signed-in person's language lives on their profile, so it follows them to any device. */
export async function setPreferredLanguage(userId: string, language: Language): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { preferredLanguage: language } });
}
