// Conversations: the Lobby and direct messages — who is in them, how each reader sees them
// (unread count, latest message), opening a direct one, reading and typing.
import type { BlockList } from "./blocks.ts";
import { AppError } from "./errors.ts";
import { toMessageView } from "./messages.ts";
import type { Events } from "./realtime/broker.ts";
import { createRateLimiter } from "./rate_limits.ts";
import type { ConversationMembers, ConversationRow, Store, User } from "./store/types.ts";
import {
  type ConversationView,
  LOBBY_ID,
  type Snapshot,
  TYPING_EVERY_MS,
  UNREAD_CAP,
} from "./wire.ts";

/** Members of a conversation never change (the Lobby is everyone), so they are cached. */
const MEMBERS_CACHED = 100_000;

export function createConversations(deps: { store: Store; events: Events; blocks: BlockList }) {
  const { store, events, blocks } = deps;
  const typingLimiter = createRateLimiter({ limit: 1, windowMs: TYPING_EVERY_MS });
  const stopLimiter = createRateLimiter({ limit: 1, windowMs: TYPING_EVERY_MS });
  const members = new Map<number, ConversationMembers>();

  async function view(reader: number, row: ConversationRow): Promise<ConversationView> {
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
      ...(row.room ? { room: row.room } : {}),
      lastReadId,
      unread,
      latest: latest && toMessageView(latest),
    };
  }

  async function find(user: User, conversationId: number): Promise<ConversationRow> {
    const row = await store.conversations.findFor(user.id, conversationId);
    if (!row) throw new AppError(404, "not_found", "No such conversation.");
    return row;
  }

  return {
    view,
    find,

    /** Who may read a conversation the user is in; a conversation they are not in is not found. */
    async membersFor(user: User, conversationId: number): Promise<ConversationMembers> {
      let found = members.get(conversationId);
      if (!found) {
        const row = await store.conversations.members(conversationId);
        if (!row) throw new AppError(404, "not_found", "No such conversation.");
        if (members.size >= MEMBERS_CACHED) members.clear();
        members.set(conversationId, found = row);
      }
      if (found.kind !== "lobby" && !found.members.some((m) => m.id === user.id)) {
        throw new AppError(404, "not_found", "No such conversation.");
      }
      return found;
    },

    async snapshot(user: User): Promise<Pick<Snapshot, "me" | "conversations">> {
      const [fields, rows] = await Promise.all([
        store.users.presenceFields(user.id),
        store.conversations.listFor(user.id),
      ]);
      const conversations = await Promise.all(rows.map((row) => view(user.id, row)));
      return { me: { ...user, appearOffline: fields.appearOffline }, conversations };
    },

    /** Tells the user's sockets how the Lobby looks now (after a block changed what it shows). */
    async refreshLobby(userId: number): Promise<void> {
      const lobby = await view(userId, { id: LOBBY_ID, kind: "lobby", with: null, room: null });
      events.toUser(userId, { type: "conversation", conversation: lobby });
    },

    async markRead(user: User, conversationId: number, messageId: number): Promise<void> {
      await find(user, conversationId);
      const lastReadId = await store.reads.markRead(
        user.id,
        conversationId,
        Math.min(messageId, await store.messages.maxId()),
      );
      const unread = await store.reads.unreadCount(user.id, conversationId, lastReadId, UNREAD_CAP);
      events.toUser(user.id, { type: "read", conversationId, lastReadId, unread });
    },

    /** Tells the others someone is typing; repeats within TYPING_EVERY_MS are dropped. */
    /** Tells the others someone is typing, or (`stopped`) that they cleared it. */
    async typing(user: User, conversationId: number, stopped?: true): Promise<void> {
      const key = `${user.id}:${conversationId}`;
      // A stop is limited on its own; after one, typing again is announced at once.
      if (stopped ? stopLimiter.take(key) : typingLimiter.take(key)) return;
      if (stopped) typingLimiter.clear(key);
      const conversation = await find(user, conversationId);
      const frame = {
        type: "typing",
        conversationId,
        user: { id: user.id, username: user.username },
        ...(stopped ? { stopped } : {}),
      } as const;
      if (conversation.kind === "lobby") {
        events.toEveryone(frame, undefined, [...blocks.eitherWay(user.id), user.id]);
      } else if (!blocks.between(user.id, conversation.with!.id)) {
        events.toUser(conversation.with!.id, frame);
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
          const conversation = await view(member.id, {
            id,
            kind: "direct",
            with: other,
            room: null,
          });
          events.toUser(member.id, { type: "conversation", conversation });
        }
      }
      return view(user.id, { id, kind: "direct", with: friend, room: null });
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
