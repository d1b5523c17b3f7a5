/**
 * A short-lived cache for what is worked out from a whole account's ledger — totals per
 * currency, aging, where each page of a sorted list starts — which every invoice-list
 * page needs and which costs a scan of the account's invoices.
 * Callers put the account's `ledgerVersion` in the key (triggers move it on every write,
 * from any process), so a write on another server process is never served stale; this
 * process's own writes also clear the account's entries at once. Pages of rows are never
 * cached. Kept on globalThis so the server and the app bundle share it.
 */
const TTL_MS = 3_000;
const MAX_ENTRIES = 2_000;
const KEY = Symbol.for("portal.ledgerCache");

type Entry = { at: number; value: Promise<unknown> };
type Holder = { [KEY]?: Map<string, Entry> };

function store(): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** `ttlMs`: longer for what only the account's ledger version (in the key) decides; the default suits what also moves with time. */
export function cachedForAccount<T>(accountId: string, key: string, compute: () => Promise<T>, { ttlMs = TTL_MS, now = Date.now() } = {}): Promise<T> {
  const map = store();
  const id = `${accountId}\u0000${key}`;
  const hit = map.get(id);
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = compute();
  map.set(id, { at: now, value });
  value.catch(() => map.delete(id));
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
  return value;
}

export function invalidateAccount(accountId: string) {
  const prefix = `${accountId}\u0000`;
  for (const id of store().keys()) if (id.startsWith(prefix)) store().delete(id);
}
