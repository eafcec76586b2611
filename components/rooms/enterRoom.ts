// A room just made or joined opens with the composer focused: the dialog's opener, where focus
// would go back, may be in a drawer that opening the room closes (and makes inert).
import type { ChatStore } from "../../islands/chat/store.ts";

export function enterRoom(store: ChatStore, roomId: number) {
  void store.open(roomId);
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>("main.conversation .composer textarea")?.focus()
  );
}
