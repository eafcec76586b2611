// A direct conversation chosen before the server has named it. A friend without one yet needs a
// round trip (POST /api/conversations) to get it; until the answer the page shows it under a
// stand-in id, so that what is typed and sent from the click on belongs to it, never to the
// conversation shown before. Once the server names it, the draft and the messages move there.
import type { PendingMessage } from "./state.ts";

/** The stand-in id of the direct conversation with a friend: below zero, where no real id is. */
export const standInId = (friendId: number) => -friendId;

export const isStandIn = (conversationId: number) => conversationId < 0;

export const friendOf = (standIn: number) => -standIn;

/** The pending messages, with those of conversation `from` moved to `to`. */
export function movePending(pending: PendingMessage[], from: number, to: number) {
  if (!pending.some((p) => p.conversationId === from)) return pending;
  return pending.map((p) => (p.conversationId === from ? { ...p, conversationId: to } : p));
}

/** The stand-in ids that pending messages wait on (left by a page reloaded before the answer). */
export const standInsOf = (pending: PendingMessage[]): number[] => [
  ...new Set(pending.map((p) => p.conversationId).filter(isStandIn)),
];
