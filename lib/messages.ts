// Messages: where one goes. `send` reads top-down — check, store, acknowledge, publish —
// and `missed` is what a reconnecting client gets back.
import type { BlockList } from "./blocks.ts";
import type { Audience, Conversations } from "./conversations.ts";
import type { Friendships } from "./friendships.ts";
import { AppError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { Mentioned, Mentions } from "./mentions.ts";
import type { Events } from "./realtime/broker.ts";
import type { Limiter } from "./limits.ts";
import type { MessageRow, Quote, Receipt, Store, User } from "./store/types.ts";
import {
  MAX_MESSAGE_CHARS,
  type MessageView,
  quoteOf,
  REPLAY_CAP,
  type Replayed,
  seqOf,
  type ServerFrame,
} from "./wire.ts";

export type SendInput = {
  clientId: string;
  conversationId: number;
  text: string;
  replyTo?: number;
};
export type Ack = Extract<ServerFrame, { type: "ack" }>;

/** A receipt as the other member is told it. */
export const receiptFrame = (receipt: Receipt): Extract<ServerFrame, { type: "receipt" }> => ({
  type: "receipt",
  conversationId: receipt.conversationId,
  seq: receipt.seq,
  lastReadId: receipt.lastReadId,
  at: receipt.at,
});

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    seq: row.seq,
    conversationId: row.conversationId,
    sender: { id: row.senderId, username: row.senderName },
    text: row.text,
    at: row.at,
    clientId: row.clientId,
    ...(row.mentioned ? { mentioned: true } : {}),
    ...(row.editedAt !== undefined ? { editedAt: row.editedAt } : {}),
    ...(row.deleted ? { deleted: true } : {}),
    ...(row.reactions?.length ? { reactions: row.reactions } : {}),
    ...(row.replyTo
      ? {
        replyTo: {
          id: row.replyTo.id,
          sender: row.replyTo.sender,
          snippet: row.replyTo.snippet,
          ...(row.replyTo.deleted ? { deleted: true as const } : {}),
        },
      }
      : {}),
  };
}

const ackOf = (row: MessageRow): Ack => ({
  type: "ack",
  clientId: row.clientId,
  id: row.id,
  seq: row.seq,
  at: row.at,
  conversationId: row.conversationId,
});

// Control characters other than tab and line breaks, and lone surrogates, are refused, not stored.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The text as it will be stored (trimmed), or an AppError saying what is wrong with it. */
export function checkText(text: string): string {
  const trimmed = text.trim();
  const refuse = (message: string) => new AppError(400, "invalid_text", message);
  if (trimmed.length === 0) throw refuse("A message cannot be empty.");
  if (trimmed.length > MAX_MESSAGE_CHARS && [...trimmed].length > MAX_MESSAGE_CHARS) {
    throw refuse(`A message holds at most ${MAX_MESSAGE_CHARS} characters.`);
  }
  if (!trimmed.isWellFormed()) {
    throw refuse("The text holds a broken character (a lone surrogate).");
  }
  if (FORBIDDEN.test(trimmed)) throw refuse("The text holds control characters.");
  return trimmed;
}

/**
 * Hands a frame about a message to its conversation's readers: the Lobby's or a room's, but
 * `except` (those who blocked its sender, say), or both members of a direct one.
 */
export function toAudience(
  events: Events,
  audience: Audience,
  frame: ServerFrame,
  seq: number | undefined,
  except: readonly number[] = [],
): void {
  const skip = except.length ? except : undefined;
  if (audience.kind === "direct") {
    const ids = audience.members.map((m) => m.id).filter((id) => !except.includes(id));
    events.toUsers(ids, frame, seq);
  } else if (audience.kind === "lobby") events.toEveryone(frame, seq, skip);
  else events.toConversation(audience.id, frame, seq, skip);
}

export function createMessages(deps: {
  store: Store;
  events: Events;
  blocks: BlockList;
  conversations: Conversations;
  mentions: Mentions;
  friendships: Pick<Friendships, "areFriends">;
  log: Logger;
  /** How often one user may send (keyed by user id). */
  sends: Limiter;
}) {
  const { store, events, blocks, conversations, mentions, friendships, log } = deps;
  const { sends } = deps;

  /** Anyone may talk in the Lobby, a member in a room; a direct message needs a friend. */
  async function mayMessage(user: User, audience: Audience): Promise<void> {
    if (audience.kind !== "direct") return;
    const other = audience.members.find((m) => m.id !== user.id)!;
    // Both are kept in memory (friendships once known), so the usual send needs no query.
    if (blocks.between(user.id, other.id)) {
      throw new AppError(403, "blocked", `You cannot message ${other.username}.`);
    }
    if (!(await friendships.areFriends(user.id, other.id))) {
      throw new AppError(403, "not_friends", `You and ${other.username} are not friends.`);
    }
  }

  async function save(
    user: User,
    input: SendInput,
    text: string,
    mentioned: Mentioned,
    quote: Quote | undefined,
    queued?: () => void,
  ) {
    try {
      const stored = store.messages.insert({
        conversationId: input.conversationId,
        senderId: user.id,
        senderName: user.username,
        clientId: input.clientId,
        text,
        at: Date.now(),
        ...(mentioned.ids.length ? { mentions: mentioned.ids } : {}),
        ...(quote ? { replyTo: quote.id } : {}),
      });
      queued?.();
      return await stored;
    } catch (error) {
      log.error("message.store_failed", { user: user.username }, error);
      throw new AppError(
        500,
        "store_failed",
        "The message could not be saved; it was not sent. Retry.",
      );
    }
  }

  /**
   * Everyone allowed to see the stored row gets the same frame, encoded once: in the Lobby and
   * in rooms not those who blocked the sender. Those it mentions get it marked `mentioned`
   * instead — in a room through the room's topic, so that it reaches only who is in the room
   * when it is delivered, like the plain frame.
   */
  function publish(row: MessageRow, audience: Audience, mentioned: Mentioned): void {
    const view = toMessageView(row);
    const frame: ServerFrame = { type: "message", message: view };
    const hidden = blocks.hiddenFrom(row.senderId);
    // Again now: someone may have blocked the sender, or been blocked, since the send began.
    const named = mentioned.ids.filter((id) => !blocks.between(row.senderId, id));
    if (!named.length) return toAudience(events, audience, frame, row.seq, [...hidden]);
    const marked: ServerFrame = { type: "message", message: { ...view, mentioned: true } };
    toAudience(events, audience, frame, row.seq, [...hidden, ...named]);
    if (audience.kind === "room") events.toConversation(audience.id, marked, row.seq, [], named);
    else events.toUsers(named, marked, row.seq);
  }

  /** The message a reply quotes: in the same conversation, seen by the sender, not deleted. */
  async function quoted(user: User, input: SendInput): Promise<Quote> {
    const original = await store.messages.find(input.replyTo!);
    const hidden = original && blocks.hiddenFrom(original.senderId).has(user.id);
    if (!original || original.conversationId !== input.conversationId || hidden) {
      throw new AppError(404, "not_found", "The message you reply to is not there.");
    }
    if (original.deleted) {
      throw new AppError(403, "not_allowed", "This message was deleted: it cannot be replied to.");
    }
    return {
      id: original.id,
      sender: { id: original.senderId, username: original.senderName },
      snippet: quoteOf(original.text),
    };
  }

  return {
    /**
     * The user sends a message: checked, stored once per clientId, acknowledged to the sender,
     * then published to everyone who may see it. A refused retry of a message stored before
     * gets its first acknowledgement, whatever changed since. `queued` is called once the
     * message waits in the store's queue for its commit: the store keeps the order in which
     * messages were queued, so a caller handling one client's frames in order may go on then.
     */
    async send(
      user: User,
      input: SendInput,
      acknowledge: (ack: Ack) => void,
      queued?: () => void,
    ): Promise<void> {
      try {
        const text = checkText(input.text);
        const audience = await conversations.audienceFor(user, input.conversationId);
        await mayMessage(user, audience);
        const wait = await sends.take(String(user.id));
        if (wait) {
          throw new AppError(429, "rate_limited", `Slow down: try again in ${wait} s.`, undefined, {
            "Retry-After": String(wait),
          });
        }
        const mentioned = await mentions.resolve(user, audience, text);
        const quote = input.replyTo === undefined ? undefined : await quoted(user, input);
        const stored = await save(user, input, text, mentioned, quote, queued);
        const { duplicate } = stored;
        const message = duplicate || !quote
          ? stored.message
          : { ...stored.message, replyTo: quote };
        acknowledge(ackOf(message));
        if (!duplicate) publish(message, audience, mentioned);
      } catch (error) {
        if (!(error instanceof AppError) || error.code === "store_failed") throw error;
        const earlier = await store.messages.findByClientId(user.id, input.clientId);
        if (!earlier) throw error;
        acknowledge(ackOf(earlier));
      }
    },

    /**
     * What the user missed after `afterSeq` — messages (as they are now) and read receipts — by
     * seq, or null when more than the cap: resync.
     */
    async missed(user: User, afterSeq: number): Promise<Replayed[] | null> {
      afterSeq = Math.min(afterSeq, await store.messages.lastSeq()); // a seq from the future would hide what comes next
      const [rows, receipts] = await Promise.all([
        store.messages.after(user.id, afterSeq, REPLAY_CAP + 1),
        store.reads.receiptsAfter(user.id, afterSeq, REPLAY_CAP + 1),
      ]);
      if (rows.length + receipts.length > REPLAY_CAP) return null;
      const frames: Replayed[] = [
        ...rows.map((row) => ({ type: "message" as const, message: toMessageView(row) })),
        ...receipts.map(receiptFrame),
      ];
      return frames.sort((a, b) => seqOf(a) - seqOf(b));
    },

    /** A page of a conversation's history before `beforeId`, oldest first. */
    async history(user: User, conversationId: number, beforeId: number, limit: number) {
      await conversations.find(user, conversationId);
      const rows = await store.messages.history(user.id, conversationId, beforeId, limit);
      return rows.map(toMessageView);
    },

    /** A page of a conversation's history after `afterId`, oldest first. */
    async newer(user: User, conversationId: number, afterId: number, limit: number) {
      await conversations.find(user, conversationId);
      const rows = await store.messages.newer(user.id, conversationId, afterId, limit + 1);
      return { messages: rows.slice(0, limit).map(toMessageView), hasNewer: rows.length > limit };
    },

    /**
     * The page around a message (a search result, a reply's original): it, up to half a page
     * before and after, oldest first, and whether there is more on either side.
     */
    async around(user: User, conversationId: number, messageId: number, limit: number) {
      await conversations.find(user, conversationId);
      const half = Math.max(1, Math.floor(limit / 2));
      const [before, after] = await Promise.all([
        store.messages.history(user.id, conversationId, messageId + 1, half + 1),
        store.messages.newer(user.id, conversationId, messageId, half + 1),
      ]);
      return {
        messages: [...before.slice(-half), ...after.slice(0, half)].map(toMessageView),
        hasMore: before.length > half,
        hasNewer: after.length > half,
      };
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
