// A modal dialog on the native <dialog>: the page behind is inert, Tab goes round inside it,
// Escape closes it, and focus goes back where it was.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Dialog(
  props: { title: string; onClose: () => void; children: ComponentChildren },
) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const shown = dialog.current;
    shown?.showModal();
    // Taken away without Escape or Close (a room created, say): closing gives focus back too.
    return () => shown?.open && shown.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="dialog-title"
      onClose={props.onClose}
      onKeyDown={keepTabInside}
    >
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

const FOCUSABLE = "button:not(:disabled), input:not(:disabled), select, textarea, a[href]";

/**
 * Tab from the last field goes round to the first, Shift+Tab from the first to the last: a
 * modal <dialog> alone lets focus leave for the browser's own controls.
 */
function keepTabInside(e: KeyboardEvent) {
  if (e.key !== "Tab") return;
  const inside = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(FOCUSABLE)]
    .filter((el) =>
      el.checkVisibility() && !(el instanceof HTMLInputElement && isUncheckedRadio(el))
    );
  const [first, last] = [inside[0], inside.at(-1)];
  if (!first || !last) return;
  const edge = e.shiftKey ? first : last;
  if (document.activeElement !== edge) return;
  e.preventDefault();
  (e.shiftKey ? last : first).focus();
}

/** A radio group is one Tab stop, its checked button. */
const isUncheckedRadio = (el: HTMLInputElement) => el.type === "radio" && !el.checked;
