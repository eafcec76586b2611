// A modal dialog on the native <dialog>: the page behind is inert, Escape closes it, and
// focus goes back where it was.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Dialog(
  props: { title: string; onClose: () => void; children: ComponentChildren },
) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="dialog-title" onClose={props.onClose}>
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
