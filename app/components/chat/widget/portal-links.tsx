/**
 * Links to this portal in the team's messages (a pay link, a dispute) become clickable;
 * everything else stays plain text, so nobody can slip a look-alike link into the chat.
 */
export function PortalLinks({ text }: { text: string }) {
  const origin = typeof window === "undefined" ? null : window.location.origin;
  if (!origin) return <>{text}</>;
  return (
    <>
      {text.split(/(https?:\/\/[^\s]+)/).map((part, i) => {
        if (i % 2 === 0) return part;
        let url: URL | null = null;
        try {
          url = new URL(part);
        } catch {
          // Not a URL after all: plain text.
        }
        return url && url.origin === origin ? (
          <a key={i} href={url.pathname + url.search}>
            {part}
          </a>
        ) : (
          part
        );
      })}
    </>
  );
}
