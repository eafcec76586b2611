// Conversations: the Lobby, direct messages and rooms — who they reach, how each reader sees
// them (unread count, latest message), opening a direct one, reading (with read receipts in
// direct ones) and typing. Joining and leaving rooms is lib/rooms.ts.
import type { BlockList } from "./blocks.ts";
import { AppError } from "./errors.ts";
import { receiptFrame, toMessageView } from "./messages.ts";
import type { Events } from "./realtime/broker.ts";
import { createRateLimiter } from "./rate_limits.ts";
import type { ConversationRow, Receipt, Store, User } from "./store/types.ts";
import { type ConversationView, type Snapshot, TYPING_EVERY_MS, UNREAD_CAP } from "./wire.ts";

/** Who a conversation's messages go to, as sending needs to know it. */
export type Audience =
  | { kind: "lobby" }
  | { kind: "direct"; members: [User, User] }
  /** A room's members: its topic's subscribers (see lib/realtime/hub.ts). */
  | { kind: "room"; id: number };

/** The Lobby and direct conversations never change members, so they are cached; rooms are not. */
const AUDIENCES_CACHED = 100_000;
const notFound = () => new AppError(404, "not_found", "No such conversation.");

export function createConversations(deps: { store: Store; events: Events; blocks: BlockList }) {
  const { store, events, blocks } = deps;
  const typingLimiter = createRateLimiter({ limit: 1, windowMs: TYPING_EVERY_MS });
  const stopLimiter = createRateLimiter({ limit: 1, windowMs: TYPING_EVERY_MS });
  const audiences = new Map<number, Audience>();

  async function view(reader: number, row: ConversationRow): Promise<ConversationView> {
    let lastReadId = await store.reads.position(reader, row.id);
    if (lastReadId === null) {
      // A newcomer starts with the Lobby read: its whole past is not "unread" to them (a room's
      // members start so in the store).
      lastReadId = row.kind === "direct"
        ? 0
        : await store.reads.markRead(reader, row.id, await store.messages.maxId());
    }
    const [latest, unread, mentions, seen] = await Promise.all([
      store.messages.latest(reader, row.id),
      store.reads.unreadCount(reader, row.id, lastReadId, UNREAD_CAP),
      store.reads.mentionCount(reader, row.id, lastReadId, UNREAD_CAP),
      row.kind === "direct" ? store.reads.receiptFor(reader, row.id) : null,
    ]);
    return {
      id: row.id,
      kind: row.kind,
      with: row.with,
      ...(row.room ? { room: row.room } : {}),
      lastReadId,
      unread,
      mentions,
      latest: latest && toMessageView(latest),
      ...(seen ? { seen: { lastReadId: seen.lastReadId, at: seen.at } } : {}),
    };
  }

  /** Tells both members of a direct conversation (of `userId`'s, as `row`) how it looks now. */
  async function refreshBothSides(userId: number, row: ConversationRow): Promise<void> {
    events.toUser(userId, { type: "conversation", conversation: await view(userId, row) });
    const theirs = await store.conversations.findFor(row.with!.id, row.id);
    if (theirs) {
      events.toUser(row.with!.id, {
        type: "conversation",
        conversation: await view(row.with!.id, theirs),
      });
    }
  }

  /** Tells the other member of a direct conversation how far the reader got, if they may know. */
  async function tellReceipt(reader: User, other: User, receipt: Receipt): Promise<void> {
    if (blocks.between(reader.id, other.id)) return;
    const [readerSends, otherSends] = await Promise.all([
      store.users.sendsReceipts(reader.id),
      store.users.sendsReceipts(other.id),
    ]);
    if (readerSends && otherSends) events.toUsers([other.id], receiptFrame(receipt), receipt.seq);
  }

  async function find(user: User, conversationId: number): Promise<ConversationRow> {
    const row = await store.conversations.findFor(user.id, conversationId);
    if (!row) throw notFound();
    return row;
  }

  /** Everyone of a kind the user is in that others share: the Lobby and their rooms. */
  async function shared(userId: number): Promise<ConversationRow[]> {
    return (await store.conversations.listFor(userId)).filter((row) => row.kind !== "direct");
  }

  return {
    view,
    find,

    /**
     * Who a message in a conversation the user is in goes to; a conversation they are not in
     * (a room they left too) is not found.
     */
    async audienceFor(user: User, conversationId: number): Promise<Audience> {
      const known = audiences.get(conversationId);
      if (known?.kind === "lobby") return known;
      if (known?.kind === "direct") {
        if (known.members.some((m) => m.id === user.id)) return known;
        throw notFound();
      }
      const row = await find(user, conversationId);
      if (row.kind === "room") return { kind: "room", id: row.id };
      const audience: Audience = row.kind === "lobby"
        ? { kind: "lobby" }
        : { kind: "direct", members: [{ id: user.id, username: user.username }, row.with!] };
      if (audiences.size >= AUDIENCES_CACHED) audiences.clear();
      audiences.set(conversationId, audience);
      return audience;
    },

    async snapshot(user: User): Promise<Pick<Snapshot, "me" | "conversations">> {
      const [fields, sendReceipts, rows] = await Promise.all([
        store.users.presenceFields(user.id),
        store.users.sendsReceipts(user.id),
        store.conversations.listFor(user.id),
      ]);
      const conversations = await Promise.all(rows.map((row) => view(user.id, row)));
      const me = { ...user, appearOffline: fields.appearOffline, sendReceipts };
      return { me, conversations };
    },

    /**
     * Tells the user's sockets how the Lobby and their rooms look now (after a block changed
     * what they show).
     */
    async refreshShared(userId: number): Promise<void> {
      for (const row of await shared(userId)) {
        events.toUser(userId, { type: "conversation", conversation: await view(userId, row) });
      }
    },

    /** Tells both members of a's direct conversation with b, if any, how it looks to each. */
    async refreshDirect(a: number, b: number): Promise<void> {
      const row = (await store.conversations.listFor(a)).find((c) => c.with?.id === b);
      if (row) await refreshBothSides(a, row);
    },

    async markRead(user: User, conversationId: number, messageId: number): Promise<void> {
      const row = await find(user, conversationId);
      const upTo = Math.min(messageId, await store.messages.maxId());
      let lastReadId: number;
      if (row.kind === "direct") {
        const read = await store.reads.readDirect(user.id, conversationId, upTo, Date.now());
        lastReadId = read.lastReadId;
        if (read.receipt) await tellReceipt(user, row.with!, read.receipt);
      } else lastReadId = await store.reads.markRead(user.id, conversationId, upTo);
      const [unread, mentions] = await Promise.all([
        store.reads.unreadCount(user.id, conversationId, lastReadId, UNREAD_CAP),
        store.reads.mentionCount(user.id, conversationId, lastReadId, UNREAD_CAP),
      ]);
      events.toUser(user.id, { type: "read", conversationId, lastReadId, unread, mentions });
    },

    /**
     * Turns the user's read receipts on or off, both ways: while off, nobody learns how far they
     * read, and they learn it of nobody. Every tab of theirs learns the setting, and both
     * sides of each of their direct conversations get it as it now looks.
     */
    async setSendReceipts(user: User, on: boolean): Promise<void> {
      const before = await store.users.sendsReceipts(user.id);
      await store.users.setSendsReceipts(user.id, on);
      events.toUser(user.id, { type: "receipts_setting", sendReceipts: on });
      if (before === on) return;
      for (const row of await store.conversations.listFor(user.id)) {
        if (row.kind === "direct") await refreshBothSides(user.id, row);
      }
    },

    /**
     * Tells the others someone is typing, or (`stopped`) that they cleared it; repeats within
     * TYPING_EVERY_MS are dropped. Never across a block, either way.
     */
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
      const hidden = [...blocks.eitherWay(user.id), user.id];
      if (conversation.kind === "lobby") events.toEveryone(frame, undefined, hidden);
      else if (conversation.kind === "room") {
        events.toConversation(conversationId, frame, undefined, hidden);
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
