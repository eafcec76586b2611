// The `@` picker: typing `@` in the composer offers who can be mentioned, as a listbox the
// textarea drives (aria-activedescendant): ↑/↓ choose, Enter or Tab inserts, Escape closes,
// and a click inserts too. Focus never leaves the textarea.
import { useEffect, useState } from "preact/hooks";
import type { JSX } from "preact";
import * as api from "../../islands/chat/api.ts";
import { insertMention, type MentionOption, mentionOptions } from "../../islands/chat/mentions.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import { mentionAt } from "../../lib/mention_syntax.ts";

type Open = { start: number; caret: number; query: string };

/** What the composer needs from the picker: its state, its keys, and the textarea's ARIA. */
export function useMentionPicker(
  store: ChatStore,
  conversationId: number,
  setText: (text: string) => void,
  input: { current: HTMLTextAreaElement | null },
) {
  const [open, setOpen] = useState<Open | null>(null);
  const [active, setActive] = useState(0);
  /** Where an Escape closed the picker: it stays closed for that `@`. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const snapshot = store.snapshot.value;
  const conversation = snapshot?.conversations.find((c) => c.id === conversationId);
  const isRoom = conversation?.kind === "room";
  const list = store.members.value;
  const members = isRoom && list?.conversationId === conversationId ? list.members : null;
  useEffect(() => { // the room's members, the first time an `@` needs them
    if (!open || !isRoom || members) return;
    void api.roomMembers(conversationId).then((found) => {
      if (found.ok && store.members.value?.conversationId !== conversationId) {
        store.members.value = { conversationId, members: found.value };
      }
    });
  }, [open !== null, isRoom, conversationId, members === null]);
  useEffect(() => setOpen(null), [conversationId]);

  const options: MentionOption[] = open && store.me.value
    ? mentionOptions({
      query: open.query,
      conversation,
      me: store.me.value,
      members,
      friends: snapshot?.friends ?? [],
      messages: store.messages.value.get(conversationId) ?? [],
    })
    : [];
  const shown = open !== null && options.length > 0;
  const current = Math.min(active, Math.max(options.length - 1, 0));

  /** Looks at the text before the caret: is it in a partial mention? */
  function follow(textarea: HTMLTextAreaElement) {
    const caret = textarea.selectionStart ?? 0;
    const at = textarea.selectionEnd === caret ? mentionAt(textarea.value, caret) : null;
    if (!at || at.start === dismissed) {
      if (!at) setDismissed(null);
      return setOpen(null);
    }
    if (open?.start !== at.start || open.query !== at.query) setActive(0);
    setOpen({ start: at.start, caret, query: at.query });
  }

  function choose(option: MentionOption) {
    const textarea = input.current;
    if (!open || !textarea) return;
    const next = insertMention(textarea.value, open.start, open.caret, option.name);
    setText(next.text);
    setOpen(null);
    requestAnimationFrame(() => {
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
    });
  }

  /** Handles the picker's keys; true when the key was its own. */
  function onKey(e: KeyboardEvent): boolean {
    // Only bare keys: Shift+Tab still moves the focus back, Alt+↑/↓ still change conversation.
    if (!shown || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return false;
    const move = (by: number) => setActive((current + by + options.length) % options.length);
    if (e.key === "ArrowDown") move(1);
    else if (e.key === "ArrowUp") move(-1);
    else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey) choose(options[current]);
    else if (e.key === "Escape") {
      setDismissed(open!.start);
      setOpen(null);
    } else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  const optionId = (i: number) => `mention-option-${i}`;
  const textareaProps: JSX.HTMLAttributes<HTMLTextAreaElement> = {
    "aria-autocomplete": "list",
    "aria-controls": shown ? "mention-list" : undefined,
    "aria-activedescendant": shown ? optionId(current) : undefined,
  };
  const picker = (
    <>
      {shown && (
        <ul id="mention-list" class="mention-list" role="listbox" aria-label="Mention">
          {options.map((option, i) => (
            <li
              key={option.name}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              class={i === current ? "active" : undefined}
              onMouseDown={(e) => e.preventDefault()} // the textarea keeps the focus
              onClick={() => choose(option)}
            >
              <span class="mention-name">@{option.name}</span>
              {option.note && <span class="muted">{` — ${option.note}`}</span>}
            </li>
          ))}
        </ul>
      )}
      <p class="sr-only" aria-live="polite">
        {shown
          ? `${options.length} to mention: up and down to choose, Enter to insert, Escape to close.`
          : ""}
      </p>
    </>
  );
  return { follow, onKey, textareaProps, picker, shown, close: () => setOpen(null) };
}
