// The messages loaded per conversation: merged by id, a live one added where history is loaded.
import { type MessageView, reactionsAfter, type UserView } from "../../lib/wire.ts";

/**
 * Merges messages by id, in id order; of two copies of one message the one changed last (the
 * higher seq) wins, so a page of history read before an edit cannot undo it.
 */
export function mergeById(existing: MessageView[], incoming: MessageView[]): MessageView[] {
  if (incoming.length === 1 && (!existing.length || existing.at(-1)!.id < incoming[0].id)) {
    return [...existing, incoming[0]]; // the usual case: one new message at the end
  }
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const m of incoming) {
    const known = byId.get(m.id);
    if (!known || known.seq <= m.seq) byId.set(m.id, m);
  }
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

/** A loaded message changed (edited, deleted): the change applies if it is newer than the copy. */
export function withChangedMessage(
  loaded: Map<number, MessageView[]>,
  conversationId: number,
  messageId: number,
  seq: number,
  change: (message: MessageView) => MessageView,
): Map<number, MessageView[]> {
  const list = loaded.get(conversationId);
  const at = list?.findIndex((m) => m.id === messageId) ?? -1;
  if (!list || at < 0 || list[at].seq >= seq) return loaded;
  return new Map(loaded).set(conversationId, list.with(at, { ...change(list[at]), seq }));
}

/** A message as it shows once edited, or once deleted (a tombstone without its text). */
export const edited = (text: string, editedAt: number) => (m: MessageView): MessageView => ({
  ...m,
  text,
  editedAt,
});
export const tombstone = (m: MessageView): MessageView => {
  const { editedAt: _, reactions: __, ...rest } = m;
  return { ...rest, text: "", deleted: true };
};

/** A message once someone's reaction is added or taken back. */
export const reacted =
  (change: { emoji: string; user: UserView; on: boolean }) => (m: MessageView): MessageView => {
    const { reactions, ...rest } = m;
    return { ...rest, ...reactionsAfter(reactions, change) };
  };

/** Replies to a message that changed quote it as it is now. */
export function withQuotesOf(
  loaded: Map<number, MessageView[]>,
  conversationId: number,
  messageId: number,
  snippet: string | null,
): Map<number, MessageView[]> {
  const list = loaded.get(conversationId);
  if (!list?.some((m) => m.replyTo?.id === messageId)) return loaded;
  return new Map(loaded).set(
    conversationId,
    list.map((m) =>
      m.replyTo?.id === messageId
        ? {
          ...m,
          replyTo: snippet === null
            ? { ...m.replyTo, snippet: "", deleted: true }
            : { ...m.replyTo, snippet },
        }
        : m
    ),
  );
}
