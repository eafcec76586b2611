// Unread, as the page shows it: the read position to send, the tab's total, the drawer's dot.
import type { ClientFrame } from "../../lib/protocol.ts";
import type { Snapshot } from "../../lib/wire.ts";

/** The read position to send for the open conversation, or null when it is read already. */
export function readToSend(
  snapshot: Snapshot | null,
  activeId: number,
): Extract<ClientFrame, { type: "read" }> | null {
  const conversation = snapshot?.conversations.find((c) => c.id === activeId);
  const latest = conversation?.latest;
  if (!conversation || !latest || latest.id <= conversation.lastReadId) return null;
  return { type: "read", conversationId: conversation.id, messageId: latest.id };
}

export const unreadTotal = (snapshot: Snapshot | null): number =>
  snapshot?.conversations.reduce((sum, c) => sum + c.unread, 0) ?? 0;

/** Whether the drawer hides something new: unread elsewhere, or a friend request. */
export function newElsewhere(snapshot: Snapshot | null, activeId: number): boolean {
  if (!snapshot) return false;
  return snapshot.incoming.length > 0 ||
    snapshot.conversations.some((c) => c.id !== activeId && c.unread > 0);
}
