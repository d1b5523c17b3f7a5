/**
 * The outcome of a 360 form, carried on the redirect back (`?saved=…` or `?error=…&field=…`)
 * so the forms work without JavaScript. Only this app's own translation keys are shown.
 */
const KEY = /^(collections|common|delivery):[A-Za-z0-9_.]{1,80}$/;
const FIELD = /^[A-Za-z]{1,30}$/;

export type Notice = { saved: string | null; error: string | null; field: string | null };

export function noticeFrom(params: URLSearchParams): Notice {
  const saved = params.get("saved");
  const error = params.get("error");
  const field = params.get("field");
  return { saved: saved && KEY.test(saved) ? saved : null, error: error && KEY.test(error) ? error : null, field: field && FIELD.test(field) ? field : null };
}

export function noticeQuery(notice: { saved?: string; error?: string; field?: string }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(notice)) if (v) params.set(k, v);
  return params.toString();
}
