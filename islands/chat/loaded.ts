// The messages loaded per conversation: merged by id, a live one added where history is loaded.
import type { MessageView } from "../../lib/wire.ts";

/** Merges messages by id, in id order; a repeated id keeps the newer copy. */
export function mergeById(existing: MessageView[], incoming: MessageView[]): MessageView[] {
  if (incoming.length === 1 && (!existing.length || existing.at(-1)!.id < incoming[0].id)) {
    return [...existing, incoming[0]]; // the usual case: one new message at the end
  }
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export function withMessages(
  loaded: Map<number, MessageView[]>,
  conversationId: number,
  list: MessageView[],
): Map<number, MessageView[]> {
  return new Map(loaded).set(conversationId, mergeById(loaded.get(conversationId) ?? [], list));
}

export function withoutConversation(loaded: Map<number, MessageView[]>, conversationId: number) {
  if (!loaded.has(conversationId)) return loaded;
  const rest = new Map(loaded);
  rest.delete(conversationId);
  return rest;
}

/** A live message joins its conversation only if that one is loaded; else history brings it. */
export function withLoadedMessage(
  loaded: Map<number, MessageView[]>,
  message: MessageView,
): Map<number, MessageView[]> {
  if (!loaded.has(message.conversationId)) return loaded;
  return withMessages(loaded, message.conversationId, [message]);
}
