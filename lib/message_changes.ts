// Messages that change after they are sent: edits (by their author, within EDIT_WINDOW_S) and
// deletions (by their author, or a room's owner or admin), each stored at the next seq and told
// to everyone who may see the message; and an edited message's earlier texts.
import type { BlockList } from "./blocks.ts";
import type { Conversations } from "./conversations.ts";
import { AppError } from "./errors.ts";
import type { Limiter } from "./limits.ts";
import { type Ack, checkText, toAudience } from "./messages.ts";
import { isOneEmoji } from "./emoji.ts";
import type { Events } from "./realtime/broker.ts";
import { MAX_REACTIONS } from "./wire.ts";
import type { EarlierText, MessageRow, Store, StoredMessage, User } from "./store/types.ts";

export type EditInput = { clientId: string; messageId: number; text: string };
export type DeleteInput = { clientId: string; messageId: number };
export type ReactInput = { clientId: string; messageId: number; emoji: string; on: boolean };

const noSuchMessage = () => new AppError(404, "not_found", "No such message.");
const ackOf = (clientId: string, row: MessageRow, at: number): Ack => ({
  type: "ack",
  clientId,
  id: row.id,
  seq: row.seq,
  at,
  conversationId: row.conversationId,
});

export function createMessageChanges(deps: {
  store: Store;
  events: Events;
  blocks: BlockList;
  conversations: Conversations;
  /** The sends limiter: a change counts as a message. */
  sends: Limiter;
  editWindowS: number;
}) {
  const { store, events, blocks, conversations } = deps;

  /**
   * The message if the user may see it now: they are in its conversation and, in the Lobby or
   * a room, did not block its sender. Anything else is not found (ids do not leak).
   */
  async function visible(user: User, messageId: number): Promise<MessageRow> {
    const row = await store.messages.find(messageId);
    if (!row) throw noSuchMessage();
    const audience = await conversations.audienceFor(user, row.conversationId).catch(() => {
      throw noSuchMessage();
    });
    if (audience.kind !== "direct" && blocks.hiddenFrom(row.senderId).has(user.id)) {
      throw noSuchMessage();
    }
    return row;
  }

  async function paced(user: User) {
    const wait = await deps.sends.take(String(user.id));
    if (wait) {
      throw new AppError(429, "rate_limited", `Slow down: try again in ${wait} s.`, undefined, {
        "Retry-After": String(wait),
      });
    }
  }

  /** Tells the message's readers of the change, as its first sending reached them. */
  async function publish(user: User, row: MessageRow, frame: Parameters<Events["toUser"]>[1]) {
    const audience = await conversations.audienceFor(user, row.conversationId);
    toAudience(events, audience, frame, row.seq, [...blocks.hiddenFrom(row.senderId)]);
  }

  function stored(result: StoredMessage | "deleted" | null): StoredMessage {
    if (result === null) throw noSuchMessage();
    if (result === "deleted") {
      throw new AppError(403, "not_allowed", "This message was deleted: it cannot be edited.");
    }
    return result;
  }

  return {
    /** The author replaces the text of their message; everyone who sees it learns at once. */
    async edit(user: User, input: EditInput, acknowledge: (ack: Ack) => void): Promise<void> {
      const text = checkText(input.text);
      const row = await visible(user, input.messageId);
      if (row.senderId !== user.id) {
        throw new AppError(403, "not_allowed", "You can edit only your own messages.");
      }
      if (row.deleted) stored("deleted");
      if (Date.now() - row.at > deps.editWindowS * 1000) {
        throw new AppError(
          403,
          "not_allowed",
          `A message can be edited for ${windowText(deps.editWindowS)} after it was sent.`,
        );
      }
      const by = { userId: user.id, clientId: input.clientId };
      // The same text again changes nothing: it is acknowledged as the message stands.
      if (row.text === text) return acknowledge(ackOf(input.clientId, row, row.editedAt ?? row.at));
      await paced(user);
      const { message, duplicate } = stored(
        await store.messages.edit(row.id, text, Date.now(), by),
      );
      acknowledge(ackOf(input.clientId, message, message.editedAt ?? message.at));
      if (duplicate || message.deleted) return;
      await publish(user, message, {
        type: "message_edited",
        conversationId: message.conversationId,
        messageId: message.id,
        seq: message.seq,
        text: message.text,
        editedAt: message.editedAt!,
      });
    },

    /**
     * The author deletes their message (a room's owner or admin anyone's in their room): it
     * becomes a tombstone, its text and earlier versions gone, for everyone at once.
     */
    async remove(user: User, input: DeleteInput, acknowledge: (ack: Ack) => void): Promise<void> {
      const row = await visible(user, input.messageId);
      if (row.senderId !== user.id && !(await runsRoomOf(user, row))) {
        throw new AppError(403, "not_allowed", "You can delete only your own messages.");
      }
      await paced(user);
      const now = Date.now();
      const result = await store.messages.remove(row.id, now, {
        userId: user.id,
        clientId: input.clientId,
      });
      if (!result) throw noSuchMessage();
      const { message, duplicate } = result;
      acknowledge(ackOf(input.clientId, message, now));
      if (duplicate) return;
      await publish(user, message, {
        type: "message_deleted",
        conversationId: message.conversationId,
        messageId: message.id,
        seq: message.seq,
      });
    },

    /**
     * Someone who sees the message adds (`on`) or takes back their reaction; everyone who sees
     * both the message and them learns at once. Not on a deleted message, not across a block
     * in a direct conversation, at most MAX_REACTIONS different emoji per message.
     */
    async react(user: User, input: ReactInput, acknowledge: (ack: Ack) => void): Promise<void> {
      if (!isOneEmoji(input.emoji)) {
        throw new AppError(400, "invalid_input", "A reaction is one emoji.");
      }
      const row = await visible(user, input.messageId);
      if (row.deleted) {
        throw new AppError(
          403,
          "not_allowed",
          "This message was deleted: it cannot be reacted to.",
        );
      }
      if (blocks.between(user.id, row.senderId) && row.senderId !== user.id) {
        const audience = await conversations.audienceFor(user, row.conversationId);
        if (audience.kind === "direct") {
          throw new AppError(403, "blocked", "You cannot react to this message.");
        }
      }
      await paced(user);
      const now = Date.now();
      const by = { userId: user.id, clientId: input.clientId };
      const result = await store.messages.react(
        row.id,
        user.id,
        input.emoji,
        input.on,
        now,
        by,
        MAX_REACTIONS,
      );
      if (result === "too_many") {
        throw new AppError(
          409,
          "too_many_reactions",
          `A message holds at most ${MAX_REACTIONS} different reactions.`,
        );
      }
      const { message, duplicate } = stored(result === "deleted" ? null : result);
      acknowledge(ackOf(input.clientId, message, now));
      if (duplicate) return;
      const audience = await conversations.audienceFor(user, message.conversationId);
      const except = [...blocks.hiddenFrom(message.senderId), ...blocks.hiddenFrom(user.id)];
      toAudience(
        events,
        audience,
        {
          type: "reaction",
          conversationId: message.conversationId,
          messageId: message.id,
          seq: message.seq,
          emoji: input.emoji,
          user: { id: user.id, username: user.username },
          on: input.on,
        },
        message.seq,
        except,
      );
    },

    /** An edited message's earlier texts, oldest first, for whoever may see the message. */
    async earlierTexts(user: User, messageId: number): Promise<EarlierText[]> {
      const row = await visible(user, messageId);
      return row.deleted ? [] : await store.messages.earlierTexts(row.id);
    },
  };

  async function runsRoomOf(user: User, row: MessageRow): Promise<boolean> {
    const member = await store.rooms.member(row.conversationId, user.id);
    return member?.role === "owner" || member?.role === "admin";
  }
}

/** 86400 → "24 hours", 600 → "10 minutes". */
function windowText(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "1 minute" : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

export type MessageChanges = ReturnType<typeof createMessageChanges>;
