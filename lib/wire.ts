// The zod-free half of the wire protocol: types, limits and the event reducer.
// lib/protocol.ts re-exports all of it with the schemas; the browser bundle imports this
// half directly so that it does not carry zod.

/** The Lobby, the one conversation everyone is in (the first migration creates it with this id). */
export const LOBBY_ID = 1;
export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_MESSAGE_CHARS = 4000;
export const MAX_ROOM_NAME_CHARS = 64;
export const MAX_ROOM_TOPIC_CHARS = 256;
export const REPLAY_CAP = 1000;
/** Messages in one page of history, unless a client asks for another number. */
export const HISTORY_PAGE = 50;
/** Unread counts stop here and show as "1000+": counting further costs for nothing. */
export const UNREAD_CAP = 1000;
/** Clients repeat "typing" at most this often while someone types; the server drops more. */
export const TYPING_EVERY_MS = 2_000;
/** A "typing" indicator shows this long after the last repeat: one late repeat, not more,
 * so that it is gone a few seconds after the typer stops (or clears the text). */
export const TYPING_SHOWN_MS = 3_500;

/** Close codes the server uses besides the standard ones (1001 going away, 1003 binary, 1009 too big). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  TOO_BIG: 1009,
  SESSION_ENDED: 4001, // logout or password change: log in again
  TOO_SLOW: 4002, // the client stopped reading: reconnect and resume
} as const;

// ---- server → client ----

export type UserView = { id: number; username: string };
export type FriendView = UserView & { online: boolean; lastSeenAt: number | null };
export type FriendsView = {
  friends: FriendView[];
  incoming: UserView[];
  outgoing: UserView[];
  blocked: UserView[];
};
export type MessageView = {
  id: number;
  /** The message's place on the event sequence: resume with `?after=` the highest seq seen. */
  seq: number;
  conversationId: number;
  sender: UserView;
  text: string;
  at: number;
  clientId: string;
  /** It mentions you (by name, or with @room): shown highlighted, counted apart. */
  mentioned?: true;
  /** When its text was last edited (absent if never): shown as "edited", its history readable. */
  editedAt?: number;
  /** It was deleted: shown as "message deleted"; its text is empty. */
  deleted?: true;
  /** Its reactions as you see them: each emoji with who reacted, in order. Absent if none. */
  reactions?: ReactionView[];
  /** The message it replies to, as that one is now (its first QUOTE_CHARS characters). */
  replyTo?: QuoteView;
};
export type QuoteView = { id: number; sender: UserView; snippet: string; deleted?: true };
/** How much of a replied-to message a reply quotes, in characters. */
export const QUOTE_CHARS = 200;
export type ReactionView = { emoji: string; users: UserView[] };
/** Different emoji one message may hold. */
export const MAX_REACTIONS = 20;
/** An earlier version of an edited message's text, and when it was written. */
export type EarlierText = { text: string; at: number };
export type RoomRole = "owner" | "admin" | "member";
export type RoomVisibility = "private" | "public";
/** A room as one of its members sees it: with their own role. */
export type RoomSummary = {
  name: string;
  topic: string;
  visibility: RoomVisibility;
  role: RoomRole;
};
export type ConversationView = {
  id: number;
  kind: "lobby" | "direct" | "room";
  /** For a direct conversation, the other member. */
  with: UserView | null;
  /** For a room, what its members see of it (absent otherwise). */
  room?: RoomSummary;
  lastReadId: number;
  unread: number;
  /** Of the unread, those that mention you. */
  mentions: number;
  latest: MessageView | null;
  /**
   * For a direct conversation, how far the other member has read it (a read receipt), when
   * both of you send read receipts and neither blocked the other; absent otherwise.
   */
  seen?: SeenView;
};
/** How far someone has read a conversation, and when they got there. */
export type SeenView = { lastReadId: number; at: number };
/** A room's member; `presence` only for the viewer's friends (presence is for friends only). */
export type RoomMemberView = UserView & {
  role: RoomRole;
  joinedAt: number;
  presence?: { online: boolean; lastSeenAt: number | null };
};
/** A room as the directory and the room routes show it. */
export type RoomView = {
  id: number;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  memberCount: number;
  /** The viewer's role; null when they are not a member (a public room seen from outside). */
  role: RoomRole | null;
};
export type Snapshot = {
  me: UserView & { appearOffline: boolean; sendReceipts: boolean };
  conversations: ConversationView[];
} & FriendsView;

export type ServerFrame =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "message"; message: MessageView }
  | { type: "ack"; clientId: string; id: number; seq: number; at: number; conversationId: number }
  /** A message's text was edited (by its author): replace it where it shows. */
  | {
    type: "message_edited";
    conversationId: number;
    messageId: number;
    seq: number;
    text: string;
    editedAt: number;
  }
  /** A message was deleted (by its author, or a room's owner or admin): show a tombstone. */
  | { type: "message_deleted"; conversationId: number; messageId: number; seq: number }
  /** Someone added (`on`) or took back their reaction with this emoji. */
  | {
    type: "reaction";
    conversationId: number;
    messageId: number;
    seq: number;
    emoji: string;
    user: UserView;
    on: boolean;
  }
  | { type: "caught_up"; seq: number }
  | { type: "resync" }
  | { type: "friends"; friends: FriendsView }
  | { type: "presence"; userId: number; online: boolean; lastSeenAt: number | null }
  | { type: "conversation"; conversation: ConversationView }
  | {
    type: "read";
    conversationId: number;
    lastReadId: number;
    unread: number;
    mentions: number;
  }
  /** `stopped`: they cleared what they were typing: take the indicator away now. */
  | { type: "typing"; conversationId: number; user: UserView; stopped?: true }
  | { type: "status"; appearOffline: boolean }
  /**
   * A read receipt: the other member of a direct conversation has read it up to `lastReadId`.
   * Sent, and replayed on resume, while both of you send read receipts.
   */
  | { type: "receipt"; conversationId: number; seq: number; lastReadId: number; at: number }
  /** Your "Send read receipts" setting, on every tab (conversation frames follow). */
  | { type: "receipts_setting"; sendReceipts: boolean }
  /**
   * You are in this room now (you created or joined it, or were invited), on every tab. Load
   * its latest history: messages from other instances may have come before this frame.
   */
  | { type: "room_joined"; conversation: ConversationView }
  /** You are no longer in this room: you left it (on some tab), were removed, or it was deleted. */
  | { type: "room_left"; conversationId: number; reason: "left" | "removed" | "deleted" }
  | { type: "room_updated"; conversationId: number; name: string; topic: string }
  /** Someone (you too) joined, left or was removed from a room of yours, or changed role. */
  | {
    type: "room_member";
    conversationId: number;
    change: "joined" | "left" | "removed" | "role";
    member: RoomMemberView;
  }
  | { type: "pong" }
  /** `retryAfterS` (with rate_limited): how long to wait before trying again. */
  | { type: "error"; code: ErrorCode; message: string; clientId?: string; retryAfterS?: number };

/** What a resuming client is replayed, in order of seq. */
export type Replayed = Extract<ServerFrame, { type: "message" | "receipt" }>;
export const seqOf = (frame: Replayed) => frame.type === "message" ? frame.message.seq : frame.seq;

/** Every error code the server answers with, over HTTP (`error.code`) and on the socket. */
export type ErrorCode =
  // bad input
  | "invalid_json"
  | "invalid_frame"
  | "invalid_input"
  | "invalid_text"
  | "unsupported_media_type"
  | "too_large"
  | "bad_request"
  | "bad_query"
  // who you are and where you come from
  | "unauthenticated"
  | "invalid_credentials"
  | "username_taken"
  | "forbidden_origin"
  | "upgrade_required"
  // limits
  | "rate_limited"
  | "too_many_sockets"
  | "busy"
  // the domain's refusals
  | "not_found"
  | "no_such_user"
  | "cannot_befriend_self"
  | "already_friends"
  | "request_pending"
  | "no_request"
  | "not_friends"
  | "not_blocked"
  | "blocked"
  | "not_allowed"
  | "already_member"
  | "room_full"
  | "too_many_rooms"
  | "too_many_rooms_created"
  | "too_many_reactions"
  // our side
  | "store_failed"
  | "internal";

/**
 * Applies one event to a snapshot, as every client does. The server promises:
 * a snapshot plus every event since equals a fresh snapshot.
 */
export function applyEvent(snapshot: Snapshot, frame: ServerFrame): Snapshot {
  switch (frame.type) {
    case "friends":
      return { ...snapshot, ...frame.friends };
    case "presence":
      return {
        ...snapshot,
        friends: snapshot.friends.map((friend) =>
          friend.id === frame.userId
            ? { ...friend, online: frame.online, lastSeenAt: frame.lastSeenAt }
            : friend
        ),
      };
    case "conversation":
      // A new direct conversation, or a fresh view of one (after a block changed what it
      // shows). A room comes only with room_joined: a late view does not bring back one left.
      if (frame.conversation.kind === "room") return replaced(snapshot, frame.conversation);
      return withConversation(snapshot, frame.conversation);
    case "room_joined":
      return withConversation(snapshot, frame.conversation);
    case "room_left":
      return {
        ...snapshot,
        conversations: snapshot.conversations.filter((c) => c.id !== frame.conversationId),
      };
    case "room_updated":
      return inRoom(snapshot, frame.conversationId, (room) => ({
        ...room,
        name: frame.name,
        topic: frame.topic,
      }));
    case "room_member":
      if (frame.change !== "role" || frame.member.id !== snapshot.me.id) return snapshot;
      return inRoom(
        snapshot,
        frame.conversationId,
        (room) => ({ ...room, role: frame.member.role }),
      );
    case "message_edited": {
      const edited = withLatest(
        snapshot,
        frame.conversationId,
        frame.messageId,
        frame.seq,
        (m) => ({
          ...m,
          text: frame.text,
          editedAt: frame.editedAt,
        }),
      );
      return withQuote(edited, frame, (q) => ({ ...q, snippet: quoteOf(frame.text) }));
    }
    case "message_deleted": {
      const deleted = withLatest(
        snapshot,
        frame.conversationId,
        frame.messageId,
        frame.seq,
        (m) => {
          const { editedAt: _, reactions: __, ...rest } = m;
          return { ...rest, text: "", deleted: true };
        },
      );
      return withQuote(deleted, frame, (q) => ({ ...q, snippet: "", deleted: true }));
    }
    case "reaction":
      return withLatest(snapshot, frame.conversationId, frame.messageId, frame.seq, (m) => {
        const { reactions, ...rest } = m;
        return { ...rest, ...reactionsAfter(reactions, frame) };
      });
    case "message": {
      const { message } = frame;
      return {
        ...snapshot,
        conversations: snapshot.conversations.map((c) => {
          if (c.id !== message.conversationId) return c;
          // A message seen before comes again as it is now (replayed after a change to it).
          if (c.latest?.id === message.id) {
            return message.seq > c.latest.seq ? { ...c, latest: message } : c;
          }
          if (c.latest && c.latest.id > message.id) return c;
          const fromOther = message.sender.id !== snapshot.me.id && message.id > c.lastReadId;
          if (!fromOther) return { ...c, latest: message };
          const mentions = c.mentions + (message.mentioned ? 1 : 0);
          return { ...c, latest: message, unread: c.unread + 1, mentions };
        }),
      };
    }
    case "read":
      return {
        ...snapshot,
        conversations: snapshot.conversations.map((c) =>
          c.id === frame.conversationId
            ? {
              ...c,
              lastReadId: frame.lastReadId,
              unread: frame.unread,
              mentions: frame.mentions,
            }
            : c
        ),
      };
    case "status":
      return { ...snapshot, me: { ...snapshot.me, appearOffline: frame.appearOffline } };
    case "receipts_setting":
      return { ...snapshot, me: { ...snapshot.me, sendReceipts: frame.sendReceipts } };
    case "receipt":
      return {
        ...snapshot,
        conversations: snapshot.conversations.map((c) =>
          c.id === frame.conversationId && frame.lastReadId > (c.seen?.lastReadId ?? 0)
            ? { ...c, seen: { lastReadId: frame.lastReadId, at: frame.at } }
            : c
        ),
      };
    case "snapshot":
    case "ack":
    case "caught_up":
    case "resync":
    case "typing":
    case "pong":
    case "error":
      return snapshot;
    default: {
      // A frame type added to ServerFrame is a type error here until it has its case; a frame
      // this client does not know (from a newer server) changes nothing.
      const _unknown: never = frame;
      return snapshot;
    }
  }
}

/** A message's reactions once one is added or taken back (absent when none are left). */
export function reactionsAfter(
  reactions: ReactionView[] | undefined,
  change: { emoji: string; user: UserView; on: boolean },
): { reactions?: ReactionView[] } {
  const list = reactions ?? [];
  const at = list.findIndex((r) => r.emoji === change.emoji);
  const others = at < 0 ? [] : list[at].users.filter((u) => u.id !== change.user.id);
  const users = change.on ? [...others, change.user] : others;
  const next = at < 0
    ? (change.on ? [...list, { emoji: change.emoji, users }] : list)
    : users.length
    ? list.with(at, { emoji: change.emoji, users })
    : list.filter((_, i) => i !== at);
  return next.length ? { reactions: next } : {};
}

/** How a reply quotes a text: its first QUOTE_CHARS characters (code points, as SQL counts). */
export const quoteOf = (text: string) => [...text].slice(0, QUOTE_CHARS).join("");

/** Changes the quote in a conversation's latest message, if it replies to the changed one. */
function withQuote(
  snapshot: Snapshot,
  frame: { conversationId: number; messageId: number },
  change: (quote: QuoteView) => QuoteView,
): Snapshot {
  return {
    ...snapshot,
    conversations: snapshot.conversations.map((c) =>
      c.id === frame.conversationId && c.latest?.replyTo?.id === frame.messageId
        ? { ...c, latest: { ...c.latest, replyTo: change(c.latest.replyTo) } }
        : c
    ),
  };
}

/** Changes a conversation's latest message, if it is that one and the change is newer. */
function withLatest(
  snapshot: Snapshot,
  conversationId: number,
  messageId: number,
  seq: number,
  change: (message: MessageView) => MessageView,
): Snapshot {
  return {
    ...snapshot,
    conversations: snapshot.conversations.map((c) =>
      c.id === conversationId && c.latest?.id === messageId && c.latest.seq < seq
        ? { ...c, latest: { ...change(c.latest), seq } }
        : c
    ),
  };
}

/** Adds the conversation, or replaces the one with its id where it stands. */
function withConversation(snapshot: Snapshot, conversation: ConversationView): Snapshot {
  const known = snapshot.conversations.some((c) => c.id === conversation.id);
  if (!known) return { ...snapshot, conversations: [...snapshot.conversations, conversation] };
  return replaced(snapshot, conversation);
}

function replaced(snapshot: Snapshot, conversation: ConversationView): Snapshot {
  return {
    ...snapshot,
    conversations: snapshot.conversations.map((c) => c.id === conversation.id ? conversation : c),
  };
}

function inRoom(
  snapshot: Snapshot,
  conversationId: number,
  change: (room: RoomSummary) => RoomSummary,
): Snapshot {
  return {
    ...snapshot,
    conversations: snapshot.conversations.map((c) =>
      c.id === conversationId && c.room ? { ...c, room: change(c.room) } : c
    ),
  };
}
