// The chat page's keyboard shortcuts, listed in the "Keyboard shortcuts" dialog (`?`).
import { byRecency } from "../../components/friends/ConversationList.tsx";
import type { ChatStore } from "./store.ts";

export const SHORTCUTS: [keys: string, what: string][] = [
  ["?", "Show these shortcuts"],
  ["Alt+↑ / Alt+↓", "Previous / next conversation"],
  ["Alt+Shift+↑ / Alt+Shift+↓", "Previous / next unread conversation"],
  ["/", "Search messages"],
  ["Ctrl+K / ⌘+K", "Go to a conversation by name"],
  ["↑ / ↓ in the messages", "Previous / next message, with its full date"],
  ["Home / End in the messages", "First / last message"],
  ["Enter, → or Shift+F10 on a message", "Its actions: React, Reply, Edit, Delete"],
  ["↑ in the empty message box", "Edit your last message"],
  ["Escape", "Mark the conversation as read"],
  ["Enter / Shift+Enter", "Send / new line"],
];

const typingInto = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest("input, textarea, [contenteditable]") !== null;

/** Moves `step` conversations along the list, or to the next one with unread messages. */
function move(store: ChatStore, step: 1 | -1, unreadOnly: boolean) {
  const list = byRecency(store.snapshot.value?.conversations ?? []);
  const at = list.findIndex((c) => c.id === store.activeId.value);
  for (let i = 1; i < list.length; i++) {
    const next = list[(((at + step * i) % list.length) + list.length) % list.length];
    if (!unreadOnly || next.unread > 0) return void store.open(next.id);
  }
}

/** Handles one keydown on the page; true when it was a shortcut. */
export function shortcut(store: ChatStore, e: KeyboardEvent): boolean {
  if (store.dialog.value) return false; // a dialog has the keyboard
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
    store.dialog.value = "switcher";
  } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    move(store, e.key === "ArrowUp" ? -1 : 1, e.shiftKey);
  } else if (e.key === "?" && !typingInto(e.target)) {
    store.dialog.value = "shortcuts";
  } else if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInto(e.target)) {
    store.dialog.value = "search";
  } else return false;
  e.preventDefault();
  return true;
}
