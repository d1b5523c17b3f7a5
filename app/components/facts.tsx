import { Fragment, type ReactNode } from "react";

export type Fact = { term: ReactNode; value: ReactNode; testId?: string };

/**
 * A term/value list (`<dl class="facts">`): labels a screen reader reads with their
 * values. Entries that are null or false are left out, so callers can write
 * `cond && { … }` for facts that only sometimes apply.
 */
export function Facts({ items, className }: { items: (Fact | null | false | undefined | "" | 0)[]; className?: string }) {
  return (
    <dl className={className ? `facts ${className}` : "facts"}>
      {items
        .filter((item): item is Fact => Boolean(item))
        .map((item, i) => (
          <Fragment key={i}>
            <dt>{item.term}</dt>
            <dd data-testid={item.testId}>{item.value}</dd>
          </Fragment>
        ))}
    </dl>
  );
}
