import type { MouseEvent } from "react";
import { useNavigate } from "react-router";

/**
 * For a table whose every row links somewhere: the rows render plain `<a href>`, and one
 * click handler on the table turns a click the browser would follow in this tab into a
 * client-side navigation, as a `<Link>` does. A `<Link>` per row ran seven router hooks
 * per row on every server render (half a millisecond of each invoice list page, measured
 * with npm run bench:invoices); without scripts the anchors work as they are.
 */
export function useRowLinks(): (event: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  return (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.target instanceof Element ? event.target.closest("a") : null;
    if (!anchor || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== window.location.origin) return;
    event.preventDefault();
    void navigate(url.pathname + url.search + url.hash);
  };
}
