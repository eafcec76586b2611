// A menu behind a button, as the friend "⋯" menu works: opening it (or a confirmation in it)
// focuses its first button, the arrow keys go round its buttons, Escape closes it and gives
// focus back to the button.
import { useEffect, useRef, useState } from "preact/hooks";

export function useMenu<S extends string>() {
  const [step, setStep] = useState<S | "closed">("closed");
  const toggle = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (step !== "closed") box.current?.querySelector<HTMLElement>("button, select")?.focus();
  }, [step]);
  const close = () => {
    setStep("closed");
    toggle.current?.focus();
  };
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.stopPropagation(); // closes the menu only, not the panel it is in
      return close();
    }
    const move = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (!move || !box.current) return;
    e.preventDefault();
    const buttons = [...box.current.querySelectorAll<HTMLElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    buttons[(at + move + buttons.length) % buttons.length]?.focus();
  }
  return { step, setStep, close, toggle, box, onKeyDown };
}
