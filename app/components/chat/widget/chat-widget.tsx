import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ChatThread } from "./chat-thread";
import { STORAGE_KEY } from "./use-customer-chat";

/** The floating chat on every portal page for a signed-in customer (the account is known from the session). */
export function ChatWidget() {
  const { t } = useTranslation("chat");
  const [open, setOpen] = useState(false);
  const [everOpened, setEverOpened] = useState(false);
  const [mounted, setMounted] = useState(false);
  // The button that was pressed disappears when the panel opens (and the panel when it is
  // minimized): focus follows, so a keyboard user is not sent back to the top of the page.
  const [focusAfter, setFocusAfter] = useState<"panel" | "launcher" | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusAfter === "panel") headingRef.current?.focus();
    if (focusAfter === "launcher") launcherRef.current?.focus();
  }, [focusAfter, open]);
  useEffect(() => {
    setMounted(true);
    if (window.localStorage.getItem(STORAGE_KEY)) {
      setOpen(true);
      setEverOpened(true);
    }
  }, []);
  if (!mounted) return null;
  return (
    <aside className="chat-widget" aria-label={t("widget.title")}>
      {everOpened ? (
        // Minimizing hides the panel but keeps the connection and the conversation.
        <div className="chat-panel panel" hidden={!open}>
          <div className="chat-panel-head">
            <h2 ref={headingRef} tabIndex={-1}>
              {t("widget.title")}
            </h2>
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setOpen(false);
                setFocusAfter("launcher");
              }}
            >
              {t("widget.minimize")}
            </button>
          </div>
          <ChatThread mode="customer" />
        </div>
      ) : null}
      <button
        type="button"
        className="button primary chat-launcher"
        aria-expanded={open}
        ref={launcherRef}
        onClick={() => {
          setOpen(true);
          setEverOpened(true);
          setFocusAfter("panel");
        }}
        hidden={open}
      >
        {t("widget.open")}
      </button>
    </aside>
  );
}
