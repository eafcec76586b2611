// What can be done to one message: Edit and Delete, in a small toolbar that shows on hover and
// while the message (or the toolbar) has the focus. From a focused message, Enter or → moves
// into the toolbar, ←/→ go along it, Escape goes back to the message. Deleting asks first.
import { useRef, useState } from "preact/hooks";

export function MessageActions(
  props: { canEdit: boolean; onEdit: () => void; onDelete: () => void; what: string },
) {
  const [confirming, setConfirming] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const focusFirst = () =>
    requestAnimationFrame(() => bar.current?.querySelector<HTMLElement>("button")?.focus());
  function onKeyDown(e: KeyboardEvent) {
    const buttons = [...bar.current!.querySelectorAll<HTMLElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    const move = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (move) {
      e.preventDefault();
      e.stopPropagation();
      return buttons[(at + move + buttons.length) % buttons.length]?.focus();
    }
    if (e.key === "Escape" || e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      e.stopPropagation();
      setConfirming(false);
      bar.current?.closest<HTMLElement>(".message")?.focus();
    }
  }
  return (
    <div
      ref={bar}
      class={confirming ? "message-actions confirming" : "message-actions"}
      role="toolbar"
      aria-label={`Actions for ${props.what}`}
      onKeyDown={onKeyDown}
    >
      {confirming
        ? (
          <>
            <span class="confirm-text">Delete this message?</span>
            <button
              type="button"
              tabIndex={-1}
              class="danger"
              onClick={() => {
                setConfirming(false);
                props.onDelete();
              }}
            >
              Delete
            </button>
            <button type="button" tabIndex={-1} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        )
        : (
          <>
            {props.canEdit && (
              <button type="button" tabIndex={-1} onClick={props.onEdit}>Edit</button>
            )}
            <button
              type="button"
              tabIndex={-1}
              onClick={() => {
                setConfirming(true);
                focusFirst();
              }}
            >
              Delete…
            </button>
          </>
        )}
    </div>
  );
}

/** The message's text in an editor: Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function MessageEditor(
  props: { text: string; onSave: (text: string) => void; onCancel: () => void },
) {
  const [text, setText] = useState(props.text);
  const save = () => (text.trim() ? props.onSave(text) : undefined);
  return (
    <form
      class="message-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label class="sr-only" for="message-editor-input">Edit message</label>
      <textarea
        id="message-editor-input"
        value={text}
        rows={2}
        ref={(el) => {
          if (!el || el.dataset.focused) return;
          el.dataset.focused = "1"; // once, when it appears, with the caret at the end
          el.focus();
          el.setSelectionRange(el.value.length, el.value.length);
        }}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          e.stopPropagation(); // the log's arrow keys and Escape are not for the editor
          if (e.key === "Escape") return props.onCancel();
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <div class="message-editor-buttons">
        <button type="submit" class="primary">Save</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
