// "Keyboard shortcuts", opened with `?`.
import { SHORTCUTS } from "../../islands/chat/shortcuts.ts";
import { Dialog } from "../Dialog.tsx";

export function ShortcutsDialog(props: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={props.onClose}>
      <dl class="shortcuts">
        {SHORTCUTS.map(([keys, what]) => [<dt key={keys}>{keys}</dt>, <dd key={what}>{what}</dd>])}
      </dl>
    </Dialog>
  );
}
