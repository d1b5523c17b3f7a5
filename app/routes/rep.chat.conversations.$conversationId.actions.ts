import { data } from "react-router";
import type { Route } from "./+types/rep.chat.conversations.$conversationId.actions";
import { requireStaff } from "../utils/authorize.server";
import { actOnConversation, conversationActionChoices, conversationActionSchema, type RefusalReason } from "../domain/chat/conversation-actions.server";
import { resolveReader } from "../i18n/i18n.server";
import { fieldErrorsOf } from "../utils/forms";
import { readForm } from "../utils/form-body.server";

/**
 * The rep console's "Act" panel: GET lists what can be acted on in this conversation,
 * POST runs one action. JSON for the console's fetchers; errors are translation keys.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireStaff(request);
  const choices = await conversationActionChoices(user, params.conversationId);
  // Returned, not thrown: the console's fetcher shows the refusal instead of an error page.
  if (!choices.ok) return data({ ok: false as const, error: choices.error }, { status: STATUS[choices.reason], headers: { "Cache-Control": "no-store" } });
  return data(choices, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireStaff(request);
  const parsed = conversationActionSchema.safeParse(actionInput(await readForm(request)));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return data({ ok: false as const, error: fieldErrors.form ?? "chat:actions.errors.checkFields", fieldErrors, level: null }, { status: 400 });
  }
  const { locale } = await resolveReader(request, user);
  const outcome = await actOnConversation(user, params.conversationId, parsed.data, { locale });
  if (!outcome.ok)
    return data(
      { ok: false as const, error: outcome.error, fieldErrors: outcome.fieldErrors ?? {}, level: outcome.level ?? null },
      { status: STATUS[outcome.reason] },
    );
  return data({ ok: true as const, intent: outcome.intent, done: outcome.done });
}

const STATUS: Record<RefusalReason, number> = { invalid: 400, not_found: 404, not_yours: 403, over_authority: 403, conflict: 409 };

/** Form fields (repeated `invoiceId` / `lineId`) into the shape the schema reads. */
function actionInput(form: FormData) {
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const many = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  return {
    intent: one("intent"),
    actionId: one("actionId") || undefined,
    invoiceIds: [...new Set(many("invoiceId"))],
    amount: one("amount") ?? "",
    promisedFor: one("promisedFor"),
    note: one("note"),
    invoiceId: one("invoiceId"),
    reason: one("reason"),
    scope: one("scope") ?? "invoice",
    lineIds: many("lineId"),
    message: one("message"),
    orderId: one("orderId"),
  };
}
