/** The contact log and account notes: what a collector records, in a few keystrokes. */
import { z } from "zod";
import { db } from "../../utils/db.server";
import { calendarDay, freeText } from "../../utils/forms";
import { isoDay } from "./policy.server";

import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "./codes";

const contactSchema = z.object({
  channel: z.enum(CONTACT_CHANNELS, { error: "collections:contacts.errors.channel" }),
  outcome: z.enum(CONTACT_OUTCOMES, { error: "collections:contacts.errors.outcome" }),
  followUpOn: z
    .string()
    .trim()
    .refine((v) => v === "" || calendarDay().safeParse(v).success, { error: "collections:contacts.errors.followUpOn" })
    .optional()
    .default(""),
  note: freeText().trim().max(2000, { error: "collections:contacts.errors.noteTooLong" }).optional().default(""),
});

export type ContactResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

export async function logContact(input: { accountId: string; repId: string; form: FormData; now?: Date }): Promise<ContactResult> {
  const now = input.now ?? new Date();
  const parsed = contactSchema.safeParse(Object.fromEntries(["channel", "outcome", "followUpOn", "note"].map((k) => [k, input.form.get(k) ?? undefined])));
  if (!parsed.success) {
    return { ok: false, errors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message])) };
  }
  const { channel, outcome, followUpOn, note } = parsed.data;
  if (followUpOn && (followUpOn < isoDay(now, -1) || followUpOn > isoDay(now, 366)))
    return { ok: false, errors: { followUpOn: "collections:contacts.errors.followUpRange" } };
  const account = await db().account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!account) return { ok: false, errors: { form: "collections:errors.noAccount" } };
  const row = await db().collectionContact.create({
    data: {
      accountId: input.accountId,
      repId: input.repId,
      channel,
      outcome,
      followUpOn: followUpOn ? new Date(`${followUpOn}T00:00:00Z`) : null,
      note: note || null,
      createdAt: now,
    },
  });
  return { ok: true, id: row.id };
}

export async function contactsOf(accountId: string, take = 50) {
  const rows = await db().collectionContact.findMany({ where: { accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  const reps = await repNames(rows.map((r) => r.repId));
  return rows.map((r) => ({ ...r, repName: r.repId ? (reps.get(r.repId) ?? null) : null }));
}

export async function repNames(ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

const noteSchema = z.object({
  body: freeText().trim().min(1, { error: "collections:notes.errors.empty" }).max(4000, { error: "collections:notes.errors.tooLong" }),
});

export async function addNote(input: { accountId: string; authorId: string; form: FormData }): Promise<ContactResult> {
  const parsed = noteSchema.safeParse({ body: input.form.get("body") ?? "" });
  if (!parsed.success) return { ok: false, errors: { body: parsed.error.issues[0].message } };
  const account = await db().account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!account) return { ok: false, errors: { form: "collections:errors.noAccount" } };
  const note = await db().accountNote.create({ data: { accountId: input.accountId, authorId: input.authorId, kind: "note", body: parsed.data.body } });
  return { ok: true, id: note.id };
}

/** Notes across every account whose text (or account name/number) holds the words asked for. */
export async function searchNotes(query: string, take = 50) {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  return db().accountNote.findMany({
    where: {
      OR: [
        { body: { contains: q, mode: "insensitive" } },
        { account: { legalName: { contains: q, mode: "insensitive" } } },
        { account: { number: { contains: q, mode: "insensitive" } } },
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { account: { select: { id: true, number: true, legalName: true } }, author: { select: { name: true } } },
  });
}
