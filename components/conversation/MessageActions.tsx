// What can be done to one message: React, Edit and Delete, in a small toolbar that shows on
// hover and while the message (or the toolbar) has the focus. From a focused message, Enter or
// → moves into the toolbar, ←/→ go along it, Escape goes back to the message. Deleting asks
// first; React opens a row of common emoji and a field for any other.
import { useRef, useState } from "preact/hooks";
import { COMMON_EMOJI, isOneEmoji } from "../../lib/emoji.ts";

export function MessageActions(
  props: {
    canEdit: boolean;
    canDelete: boolean;
    onEdit: () => void;
    onDelete: () => void;
    onReply: () => void;
    /** Adds (`on`) or takes back the reader's reaction. */
    onReact: (emoji: string, on: boolean) => void;
    /** The emoji the reader has reacted with already. */
    mine: readonly string[];
    what: string;
    /** Opened by its message's "⋯" button or context menu: shown until closed. */
    open?: boolean;
    onClose?: () => void;
  },
) {
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const focusFirst = () =>
    requestAnimationFrame(() => bar.current?.querySelector<HTMLElement>("button")?.focus());
  function onKeyDown(e: KeyboardEvent) {
    if (e.target instanceof HTMLInputElement && e.key !== "Escape") return; // typing an emoji
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
      setPicking(false);
      props.onClose?.();
      bar.current?.closest<HTMLElement>(".message")?.focus();
    }
  }
  return (
    <div
      ref={bar}
      // Open (asking, or picking), it stays shown even while the focus moves inside it.
      class={confirming || picking || props.open ? "message-actions open" : "message-actions"}
      role="toolbar"
      aria-label={`Actions for ${props.what}`}
      onKeyDown={onKeyDown}
    >
      {picking
        ? (
          <EmojiPicker
            mine={props.mine}
            onPick={(emoji, on) => {
              setPicking(false);
              props.onReact(emoji, on);
              bar.current?.closest<HTMLElement>(".message")?.focus();
            }}
          />
        )
        : confirming
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
            <button
              type="button"
              tabIndex={-1}
              aria-label="React"
              onClick={() => {
                setPicking(true);
                focusFirst();
              }}
            >
              ☺ React
            </button>
            <button type="button" tabIndex={-1} onClick={props.onReply}>Reply</button>
            {props.canEdit && (
              <button type="button" tabIndex={-1} onClick={props.onEdit}>Edit</button>
            )}
            {props.canDelete && (
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
            )}
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

/** Common emoji, pressed when the reader used one already, and a field for any other. */
function EmojiPicker(
  props: { mine: readonly string[]; onPick: (emoji: string, on: boolean) => void },
) {
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState("");
  return (
    <>
      {COMMON_EMOJI.map((emoji) => {
        const pressed = props.mine.includes(emoji);
        return (
          <button
            key={emoji}
            type="button"
            tabIndex={-1}
            class="emoji"
            aria-pressed={pressed}
            onClick={() => props.onPick(emoji, !pressed)}
          >
            {emoji}
          </button>
        );
      })}
      <form
        class="emoji-other"
        onSubmit={(e) => {
          e.preventDefault();
          const emoji = typed.trim();
          if (!isOneEmoji(emoji)) return setProblem("Type one emoji.");
          props.onPick(emoji, !props.mine.includes(emoji));
        }}
      >
        <input
          aria-label="Other emoji"
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "emoji-problem" : undefined}
          placeholder="other"
          size={5}
          value={typed}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            setProblem("");
          }}
        />
        {problem && <span id="emoji-problem" class="field-error" role="alert">{problem}</span>}
      </form>
    </>
  );
}

/** Under a message: each emoji with how many reacted; pressing one toggles the reader's. */
export function Reactions(
  props: {
    reactions: { emoji: string; users: { id: number; username: string }[] }[];
    meId: number;
    onReact?: (emoji: string, on: boolean) => void;
  },
) {
  return (
    <ul class="reactions" aria-label="Reactions">
      {props.reactions.map((r) => {
        const mine = r.users.some((u) => u.id === props.meId);
        const who = r.users.map((u) => (u.id === props.meId ? "you" : u.username)).join(", ");
        return (
          <li key={r.emoji}>
            <button
              type="button"
              tabIndex={-1}
              class={mine ? "reaction mine" : "reaction"}
              aria-pressed={mine}
              aria-label={`${r.emoji} ${r.users.length}: ${who}`}
              title={who}
              disabled={!props.onReact}
              onClick={() => props.onReact?.(r.emoji, !mine)}
            >
              <span aria-hidden="true">{r.emoji} {r.users.length}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
