import type { ReactNode } from "react";

type Tone = "success" | "status" | "warning" | "error";

const STYLE: Record<Tone, { className: string; role: "status" | "alert" }> = {
  success: { className: "alert success", role: "status" },
  status: { className: "alert", role: "status" },
  warning: { className: "alert warn", role: "status" },
  // Errors interrupt (role=alert); outcomes are announced politely (role=status).
  error: { className: "alert error", role: "alert" },
};

/**
 * The result and error messages at the top of a form or page, already translated by the
 * caller. Each tone renders only when given, in a fixed order: outcome first, then error.
 */
export function FormAlerts(props: Partial<Record<Tone, ReactNode>> & { testIds?: Partial<Record<Tone, string>> }) {
  const tones = (["success", "status", "warning", "error"] as const).filter(
    (tone) => props[tone] !== undefined && props[tone] !== null && props[tone] !== false && props[tone] !== "",
  );
  if (tones.length === 0) return null;
  return (
    <>
      {tones.map((tone) => (
        <div key={tone} className={STYLE[tone].className} role={STYLE[tone].role} data-testid={props.testIds?.[tone]}>
          {props[tone]}
        </div>
      ))}
    </>
  );
}
