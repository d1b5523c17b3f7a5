/** Watch signals of the rep's accounts. A signal has no natural end, so it leaves when a rep marks it reviewed on the account 360. */
import { openSignals } from "../../watch/signals.server";
import type { WatchSignal } from "../../watch/signals";
import { defineSource } from "../items";

type Row = WatchSignal & { accountId: string };

export const watchSignals = defineSource<Row>({
  kind: "watch_signal",
  async load(ctx) {
    const signals = await openSignals([...ctx.accounts.keys()], ctx.now);
    return [...signals].flatMap(([accountId, list]) => list.map((s) => ({ ...s, accountId })));
  },
  // openSignals leaves reviewed ones out; what it returns is open by definition.
  done: () => false,
  toItem: (row, ctx) => ({
    kind: "watch_signal",
    key: `watch_signal:${row.accountId}:${row.key}`,
    account: ctx.accounts.get(row.accountId) ?? null,
    title: { key: `watch:kinds.${row.kind}`, values: {} },
    detail: row.why,
    dueAt: row.firedAt,
    href: `/rep/accounts/${row.accountId}#signals`,
    waitedHours: null,
    clears: null,
    reassign: { target: "account", id: row.accountId },
  }),
});
