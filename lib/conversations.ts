// Conversations: the Lobby and direct messages. Persist, then acknowledge, then
// broadcast the stored row — one serialised frame for every recipient.
import type { Bus } from "./bus.ts";
import { AppError } from "./errors.ts";
import type { BlockList } from "./friendships.ts";
import type { Logger } from "./log.ts";
import type { Presence } from "./presence.ts";
import {
  type ConversationView,
  type ErrorCode,
  MAX_MESSAGE_CHARS,
  type MessageView,
  REPLAY_CAP,
  type ServerFrame,
  type Snapshot,
} from "./protocol.ts";
import { createRateLimiter } from "./rate_limits.ts";
import type { ConversationRow, MessageRow, Store, User } from "./store/types.ts";
import { LOBBY_ID } from "./wire.ts";

const UNREAD_CAP = 1000; // counts above this show as "1000+": counting further costs for nothing
const TYPING_EVERY_MS = 2_000; // clients repeat "typing" at most this often; more is dropped

export type SendInput = { clientId: string; conversationId: number; text: string };
export type Ack = Extract<ServerFrame, { type: "ack" }>;
export type SendResult =
  | {
    ok: true;
    ack: Ack; /** Delivers the stored message; absent for a repeat. */
    deliver?: () => void;
  }
  | { ok: false; code: ErrorCode; message: string };

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    sender: { id: row.senderId, username: row.senderName },
    text: row.text,
    at: row.at,
    clientId: row.clientId,
  };
}

const ackOf = (row: MessageRow): Ack => ({
  type: "ack",
  clientId: row.clientId,
  id: row.id,
  at: row.at,
  conversationId: row.conversationId,
});

// Control characters other than tab and line breaks, and lone surrogates, are refused, not stored.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function textProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return "A message cannot be empty.";
  if ([...trimmed].length > MAX_MESSAGE_CHARS) {
    return `A message holds at most ${MAX_MESSAGE_CHARS} characters.`;
  }
  if (!trimmed.isWellFormed()) return "The text holds a broken character (a lone surrogate).";
  if (FORBIDDEN.test(trimmed)) return "The text holds control characters.";
  return undefined;
}

export function createConversations(deps: {
  store: Store;
  bus: Bus;
  presence: Presence;
  blocks: BlockList;
  log: Logger;
  messagesPer10s: number;
}) {
  const { store, bus, blocks, log } = deps;
  const sends = createRateLimiter({ limit: deps.messagesPer10s, windowMs: 10_000 });
  const typingLimiter = createRateLimiter({ limit: 1, windowMs: TYPING_EVERY_MS });

  async function conversationView(reader: number, row: ConversationRow): Promise<ConversationView> {
    let lastReadId = await store.reads.position(reader, row.id);
    if (lastReadId === null) {
      // A newcomer starts with the Lobby read: its whole past is not "unread" to them.
      lastReadId = row.kind === "lobby"
        ? await store.reads.markRead(reader, row.id, await store.messages.maxId())
        : 0;
    }
    const [latest, unread] = await Promise.all([
      store.messages.latest(reader, row.id),
      store.reads.unreadCount(reader, row.id, lastReadId, UNREAD_CAP),
    ]);
    return {
      id: row.id,
      kind: row.kind,
      with: row.with,
      lastReadId,
      unread,
      latest: latest && toMessageView(latest),
    };
  }

  async function requireConversation(user: User, conversationId: number): Promise<ConversationRow> {
    const row = await store.conversations.findFor(user.id, conversationId);
    if (!row) throw new AppError(404, "not_found", "No such conversation.");
    return row;
  }

  /** Publishes a stored message to every open socket of every member allowed to see it. */
  function deliver(row: MessageRow, other: User | undefined) {
    const frame = JSON.stringify({ type: "message", message: toMessageView(row) });
    if (!other) {
      bus.publishToEveryone(frame, row.id, blocks.hiddenFrom(row.senderId));
    } else {
      bus.publishToUser(row.senderId, frame, row.id);
      bus.publishToUser(other.id, frame, row.id);
    }
  }

  // Who is in a conversation never changes, so it is looked up once.
  const MEMBERS_CACHED = 100_000;
  const members = new Map<number, { kind: "lobby" | "direct"; members: User[] }>();
  async function membersOf(conversationId: number) {
    let found = members.get(conversationId);
    if (!found) {
      const row = await store.conversations.members(conversationId);
      if (!row) return null;
      if (members.size >= MEMBERS_CACHED) members.clear();
      members.set(conversationId, found = row);
    }
    return found;
  }

  return {
    conversationView,

    async snapshot(user: User): Promise<Pick<Snapshot, "me" | "conversations">> {
      const [fields, rows] = await Promise.all([
        store.users.presenceFields(user.id),
        store.conversations.listFor(user.id),
      ]);
      const conversations = await Promise.all(rows.map((row) => conversationView(user.id, row)));
      return { me: { ...user, appearOffline: fields.appearOffline }, conversations };
    },

    async send(user: User, input: SendInput): Promise<SendResult> {
      // Refusals first look for an earlier copy: a retry of a stored message gets the same
      // acknowledgement, whatever changed since (the common path never needs this lookup).
      const refuse = async (code: ErrorCode, message: string): Promise<SendResult> => {
        const existing = await store.messages.findByClientId(user.id, input.clientId);
        return existing ? { ok: true, ack: ackOf(existing) } : { ok: false, code, message };
      };
      const problem = textProblem(input.text);
      if (problem) return refuse("invalid_text", problem);
      const conversation = await membersOf(input.conversationId);
      const isMember = conversation &&
        (conversation.kind === "lobby" || conversation.members.some((m) => m.id === user.id));
      if (!conversation || !isMember) return refuse("not_found", "No such conversation.");
      const other = conversation.members.find((m) => m.id !== user.id);
      if (other) {
        // Blocks are kept in memory; only friendship needs the store (one index probe).
        if (blocks.between(user.id, other.id)) {
          return refuse("blocked", `You cannot message ${other.username}.`);
        }
        if (!(await store.friends.areFriends(user.id, other.id))) {
          return refuse("not_friends", `You and ${other.username} are not friends.`);
        }
      }
      const wait = sends.take(String(user.id));
      if (wait) return refuse("rate_limited", `Slow down: try again in ${wait} s.`);
      let stored;
      try {
        stored = await store.messages.insert({
          conversationId: input.conversationId,
          senderId: user.id,
          senderName: user.username,
          clientId: input.clientId,
          text: input.text.trim(),
          at: Date.now(),
        });
      } catch (error) {
        log.error("message.store_failed", { user: user.username }, error);
        return {
          ok: false,
          code: "store_failed",
          message: "The message could not be saved; it was not sent. Retry.",
        };
      }
      const row = stored.message;
      return {
        ok: true,
        ack: ackOf(row),
        deliver: stored.duplicate ? undefined : () => deliver(row, other),
      };
    },

    /** Messages the user missed after `afterId`, or null when more than the cap: resync. */
    async missed(user: User, afterId: number): Promise<MessageView[] | null> {
      afterId = Math.min(afterId, await store.messages.lastSeq()); // a seq from the future would hide what comes next
      const rows = await store.messages.after(user.id, afterId, REPLAY_CAP + 1);
      return rows.length > REPLAY_CAP ? null : rows.map(toMessageView);
    },

    async history(
      user: User,
      conversationId: number,
      beforeId: number,
      limit: number,
    ): Promise<MessageView[]> {
      await requireConversation(user, conversationId);
      return (await store.messages.history(user.id, conversationId, beforeId, limit)).map(
        toMessageView,
      );
    },

    async markRead(user: User, conversationId: number, messageId: number): Promise<void> {
      const conversation = await store.conversations.findFor(user.id, conversationId);
      if (!conversation) return;
      const lastReadId = await store.reads.markRead(
        user.id,
        conversationId,
        Math.min(messageId, await store.messages.maxId()),
      );
      const unread = await store.reads.unreadCount(user.id, conversationId, lastReadId, UNREAD_CAP);
      bus.publishToUser(
        user.id,
        JSON.stringify({ type: "read", conversationId, lastReadId, unread }),
      );
    },

    async typing(user: User, conversationId: number): Promise<void> {
      if (typingLimiter.take(`${user.id}:${conversationId}`)) return;
      const conversation = await store.conversations.findFor(user.id, conversationId);
      if (!conversation) return;
      const frame = JSON.stringify({
        type: "typing",
        conversationId,
        user: { id: user.id, username: user.username },
      });
      if (conversation.kind === "lobby") {
        const skip = new Set([...blocks.eitherWay(user.id), user.id]);
        bus.publishToEveryone(frame, undefined, skip);
      } else if (!blocks.between(user.id, conversation.with!.id)) {
        bus.publishToUser(conversation.with!.id, frame);
      }
    },

    /** The direct conversation with a friend, created when missing (both sides then learn of it). */
    async openDirect(user: User, friend: User): Promise<ConversationView> {
      const rel = await store.friends.relationship(user.id, friend.id);
      if (rel.aBlockedB || rel.bBlockedA) {
        throw new AppError(403, "blocked", `You cannot message ${friend.username}.`);
      }
      if (!rel.friends) {
        throw new AppError(403, "not_friends", `You and ${friend.username} are not friends.`);
      }
      const { id, created } = await store.conversations.direct(user.id, friend.id, Date.now());
      if (created) {
        for (const [member, other] of [[user, friend], [friend, user]]) {
          const view = await conversationView(member.id, { id, kind: "direct", with: other });
          bus.publishToUser(
            member.id,
            JSON.stringify({ type: "conversation", conversation: view }),
          );
        }
      }
      return conversationView(user.id, { id, kind: "direct", with: friend });
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
export { LOBBY_ID };
