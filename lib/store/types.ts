// The storage contract: a Store is made of small parts, one per noun. Each verb's comment
// says what ANY backend must guarantee; tests/store/contract.ts states the same sentences
// as tests and runs them against every backend.
//
// Every verb returns a promise and reports failure by rejecting it, never by throwing.
import type { Phrase } from "../search_text.ts";

export type User = { id: number; username: string };
export type UserWithPassword = User & { passwordHash: string };
export type PresenceFields = { lastSeenAt: number | null; appearOffline: boolean };
export type FriendRow = User & PresenceFields;

export type SessionRow = {
  tokenHash: Uint8Array;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
};

export type Relationship = {
  friends: boolean;
  /** a asked b, b asked a; a blocked b, b blocked a. */
  aAskedB: boolean;
  bAskedA: boolean;
  aBlockedB: boolean;
  bBlockedA: boolean;
};

export type ConversationKind = "lobby" | "direct" | "room";
/**
 * A conversation as one reader sees it: for a direct one, `with` is the other member; for a
 * room, `room` is what the reader sees of it, their role included.
 */
export type ConversationRow = {
  id: number;
  kind: ConversationKind;
  with: User | null;
  room: RoomOfReader | null;
};
/** Who may read a conversation: everyone (the Lobby) or its listed members. */
export type ConversationMembers = { kind: ConversationKind; members: User[] };

export type RoomVisibility = "private" | "public";
/** A room has one owner while it has members; admins and the owner run it with them. */
export type RoomRole = "owner" | "admin" | "member";
/** A room: a conversation of kind "room" with a name, a topic and members. */
export type RoomRow = {
  id: number;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  /** Who created it; null once that account is gone. */
  createdBy: number | null;
  createdAt: number;
};
export type RoomOfReader = Pick<RoomRow, "name" | "topic" | "visibility"> & { role: RoomRole };
export type RoomMember = User & { role: RoomRole; joinedAt: number };
export type PublicRoom = RoomRow & { memberCount: number };
export type NewRoom = Pick<RoomRow, "name" | "topic" | "visibility"> & { createdBy: number };
/** Limits the store applies atomically with the change they limit; a missing one is no limit. */
export type RoomCaps = {
  /** Rooms one user may have created (and not deleted). */
  createdPerUser?: number;
  /** Rooms one user may be in. */
  roomsPerUser?: number;
  /** Members one room may hold. */
  membersPerRoom?: number;
};
/** What a member leaving (or being removed) did to the room. */
export type Departure = {
  /** False when they were not a member: nothing changed. */
  left: boolean;
  /** The member who became owner, when the owner left. */
  newOwner: RoomMember | null;
  /** The room was left empty, and is gone with its messages. */
  deleted: boolean;
};

export type MessageRow = {
  id: number;
  /** Position on the store's one event sequence: see MessageStore. */
  seq: number;
  conversationId: number;
  senderId: number;
  senderName: string;
  clientId: string;
  text: string;
  at: number;
  /** The reader is mentioned in it (set by the verbs that read for one reader). */
  mentioned?: boolean;
  /** When its text was last edited; absent if never. */
  editedAt?: number;
  /** It was deleted: a tombstone, its text empty (and its earlier versions gone). */
  deleted?: boolean;
  /**
   * Its reactions as the reader sees them (the verbs that read for one reader): each emoji with
   * who reacted, in the order they did, the emoji in the order each was first used. Absent if
   * none.
   */
  reactions?: Reaction[];
  /** The message it replies to, as that one is now: who wrote it and how it begins. */
  replyTo?: Quote;
};
export type Reaction = { emoji: string; users: User[] };
/** A replied-to message as a reply shows it: its first QUOTE_CHARS characters. */
export type Quote = { id: number; sender: User; snippet: string; deleted?: boolean };
export { QUOTE_CHARS } from "../wire.ts";
export type NewMessage =
  & Omit<MessageRow, "id" | "seq" | "mentioned" | "editedAt" | "deleted" | "reactions" | "replyTo">
  & {
    /** The id of the message it replies to (checked by the caller: same conversation). */
    replyTo?: number;
    /** Users it mentions, stored with it in the same step (resolved by the caller). */
    mentions?: readonly number[];
  };
/** The stored message for a send, and whether that clientId had been stored before. */
export type StoredMessage = { message: MessageRow; duplicate: boolean };
/** Who asks for a change to a message, and the id their client gave it (retries repeat it). */
export type ChangeBy = { userId: number; clientId: string };
/** An earlier version of an edited message's text, and when it was written. */
export type EarlierText = { text: string; at: number };

export type UserStore = {
  /**
   * Creates a user; null when the name is taken (names are compared as given: callers
   * normalize). A new user starts with the Lobby read up to its latest message.
   */
  create(username: string, passwordHash: string, now: number): Promise<User | null>;
  findByName(username: string): Promise<UserWithPassword | null>;
  findById(id: number): Promise<UserWithPassword | null>;
  setPasswordHash(userId: number, passwordHash: string): Promise<void>;
  /** Last-seen and appear-offline; for an unknown user, null and false. */
  presenceFields(userId: number): Promise<PresenceFields>;
  setLastSeen(userId: number, at: number): Promise<void>;
  setAppearOffline(userId: number, appearOffline: boolean): Promise<void>;
  /** Whether the user sends read receipts (and so sees others'): true until turned off. */
  sendsReceipts(userId: number): Promise<boolean>;
  setSendsReceipts(userId: number, on: boolean): Promise<void>;
};

export type SessionStore = {
  insert(session: SessionRow): Promise<void>;
  /** The session with this token hash, or null (expiry is the caller's to judge). */
  find(tokenHash: Uint8Array): Promise<SessionRow | null>;
  touch(tokenHash: Uint8Array, lastSeenAt: number): Promise<void>;
  delete(tokenHash: Uint8Array): Promise<void>;
  /** Deletes every session of a user but the one kept; returns the deleted token hashes. */
  deleteAllOf(userId: number, keep?: Uint8Array): Promise<Uint8Array[]>;
};

export type FriendStore = {
  /** The user's friends, by name, each with their presence fields. */
  friendsOf(userId: number): Promise<FriendRow[]>;
  /** Requests others sent the user, oldest first. */
  incoming(userId: number): Promise<User[]>;
  /** Requests the user sent, oldest first. */
  outgoing(userId: number): Promise<User[]>;
  relationship(a: number, b: number): Promise<Relationship>;
  /** Friendship is symmetric: areFriends(a, b) equals areFriends(b, a). */
  areFriends(a: number, b: number): Promise<boolean>;
  /** Records that `from` asked `to`; asking twice is one request. */
  request(from: number, to: number, now: number): Promise<void>;
  /** True when there was such a request. */
  deleteRequest(from: number, to: number): Promise<boolean>;
  /** Makes a and b friends, consuming any requests between them, in one step. */
  befriend(a: number, b: number, now: number): Promise<void>;
  /** Ends a friendship both ways; true when there was one. */
  unfriend(a: number, b: number): Promise<boolean>;
};

export type BlockStore = {
  /** Users the blocker blocked, by name. */
  blockedBy(blocker: number): Promise<User[]>;
  /** Every block, as [blocker, blocked]: loaded once so that delivery needs no query. */
  all(): Promise<[number, number][]>;
  /** a blocks b: ends their friendship and any requests between them, in one step. */
  block(a: number, b: number, now: number): Promise<void>;
  /** True when a had blocked b. */
  unblock(a: number, b: number): Promise<boolean>;
};

export type ConversationStore = {
  /** The direct conversation of a and b (either order), created when missing. */
  direct(a: number, b: number, now: number): Promise<{ id: number; created: boolean }>;
  /** The conversations a user is in (the Lobby first, then by id): rooms only while a member. */
  listFor(userId: number): Promise<ConversationRow[]>;
  /**
   * The conversation if the user is in it, else null: ids of others' conversations do not leak,
   * and a room, public or private, is found only by its members.
   */
  findFor(userId: number, conversationId: number): Promise<ConversationRow | null>;
  /**
   * Its kind and members: none listed for the Lobby, the two of a direct one (they never
   * change), a room's current members in the order they joined; null if there is none.
   */
  members(conversationId: number): Promise<ConversationMembers | null>;
};

/**
 * Rooms and their members. Every change to who is in a room keeps two promises, whatever
 * runs at the same time: a room with members has exactly one owner, and a room without
 * members does not exist. A new member starts with the room read up to its latest message.
 */
export type RoomStore = {
  /**
   * Creates a room with its creator as owner, in one step — unless the creator has already
   * created `createdPerUser` rooms or is in `roomsPerUser`: then nothing is created, and the
   * cap reached comes back. Creations racing each other cannot pass a cap together.
   */
  create(
    room: NewRoom,
    now: number,
    caps?: RoomCaps,
  ): Promise<RoomRow | "too_many_created" | "too_many_rooms">;
  /** The room, whoever asks (callers scope by membership), or null. */
  find(conversationId: number): Promise<RoomRow | null>;
  /** Changes the name and or the topic; the room as now stored, or null when there is none. */
  update(
    conversationId: number,
    changes: { name?: string; topic?: string },
  ): Promise<RoomRow | null>;
  /** Deletes the room with its messages, members and read positions; true when there was one. */
  delete(conversationId: number): Promise<boolean>;
  /**
   * Its members with their roles, in the order they joined; none if no room. `joinedAt` is the
   * time given when they joined, moved just past the last member's if that was later: it
   * strictly increases in joining order within a room, whatever the clock does.
   */
  members(conversationId: number): Promise<RoomMember[]>;
  /** One member, or null when the user is not in the room (or there is no such room). */
  member(conversationId: number, userId: number): Promise<RoomMember | null>;
  /** The ids of the rooms the user is in, ascending. */
  roomIdsOf(userId: number): Promise<number[]>;
  /**
   * Adds a member with a role (admin or member: a room's owner comes from create and from
   * hand-offs only), read up to the room's latest message, unless the room is full or the user
   * is in `roomsPerUser` rooms. Checked and added atomically: joins racing each other cannot
   * pass a cap together.
   */
  add(
    conversationId: number,
    userId: number,
    role: Exclude<RoomRole, "owner">,
    now: number,
    caps?: RoomCaps,
  ): Promise<"added" | "already_member" | "no_room" | "room_full" | "too_many_rooms">;
  /**
   * Makes a member an admin or a plain member; false when they are not a member or are the
   * owner (whose role changes only by leaving).
   */
  setRole(
    conversationId: number,
    userId: number,
    role: Exclude<RoomRole, "owner">,
  ): Promise<boolean>;
  /**
   * The member leaves, or is removed (the same for the room), and their read position goes.
   * When the owner leaves, the longest-standing admin becomes owner, else the longest-standing
   * member; when nobody is left, the room is deleted with its messages. All in one step.
   */
  leave(conversationId: number, userId: number): Promise<Departure>;
  /**
   * Public rooms whose name or topic contains `query` (ignoring the case of ASCII letters;
   * "" matches all), with their member counts, the most members first, then by name; at most
   * `limit`.
   */
  listPublic(query: string, limit: number): Promise<PublicRoom[]>;
  /** Rooms the user created that still exist. */
  countCreatedBy(userId: number): Promise<number>;
  /** Rooms the user is in. */
  countJoinedBy(userId: number): Promise<number>;
  /** Members of the room (0 when there is none). */
  countMembers(conversationId: number): Promise<number>;
};

/**
 * Messages, and the store's one event sequence. Every change a client must learn gets a `seq`
 * strictly greater than that of every change committed before it; a seq becomes visible only
 * after every lower seq has been committed; `after(reader, seq)` replays them in order. The
 * changes are new messages, edits, deletions and reactions (each moves its message to a new
 * seq) and read receipts in direct conversations (ReadStore.readDirect).
 */
export type MessageStore = {
  /**
   * Stores a message once per (sender, clientId), with its mentions, in one step: a repeated
   * clientId returns the first message, marked duplicate, and stores no mentions. Resolves
   * once committed.
   */
  insert(message: NewMessage): Promise<StoredMessage>;
  findByClientId(senderId: number, clientId: string): Promise<MessageRow | null>;
  /**
   * Up to `limit` messages with id below `beforeId`, oldest first. History hides Lobby and
   * room messages from senders the reader blocked (direct history stays); `latest`, `after`
   * and unread counts hide the same. Each row read for a reader says whether it mentions
   * them (`mentioned`) and carries its reactions, without those (in the Lobby and rooms) of
   * users the reader blocked.
   */
  history(
    readerId: number,
    conversationId: number,
    beforeId: number,
    limit: number,
  ): Promise<MessageRow[]>;
  /** Up to `limit` messages with id above `afterId`, oldest first, hidden as history hides. */
  newer(
    readerId: number,
    conversationId: number,
    afterId: number,
    limit: number,
  ): Promise<MessageRow[]>;
  /**
   * Up to `limit` messages with seq above `afterSeq` in the conversations the reader is in now,
   * by seq: a room's only while they are a member. A message edited or deleted since is among
   * them, as it is now, at the seq of its last change.
   */
  after(readerId: number, afterSeq: number, limit: number): Promise<MessageRow[]>;
  /** The newest message the reader may see in a conversation. */
  latest(readerId: number, conversationId: number): Promise<MessageRow | null>;
  /** One message as it is now (a tombstone if deleted), whoever asks: callers check who may. */
  find(messageId: number): Promise<MessageRow | null>;
  /**
   * Replaces its text, keeps the replaced one in its history, and moves the message to the next
   * seq, in one step. Applied once per `by` (user and clientId): a repeat returns the message as
   * it is now, marked duplicate, and changes nothing. A deleted message is not changed: then
   * "deleted"; no such message: null.
   */
  edit(
    messageId: number,
    text: string,
    at: number,
    by: ChangeBy,
  ): Promise<StoredMessage | "deleted" | null>;
  /**
   * Makes it a tombstone at the next seq, in one step: its text, every earlier version and its
   * reactions are gone from the store. Applied once per `by`, as edit; deleting a tombstone again changes
   * nothing and returns it, marked duplicate. No such message: null.
   */
  remove(messageId: number, at: number, by: ChangeBy): Promise<StoredMessage | null>;
  /**
   * Adds (`on`) or takes back the user's reaction with this emoji, at the next seq, in one step;
   * once per `by`, as edit. Reacting as one has already, or taking back what is not there,
   * changes nothing and returns the message, marked duplicate. A message holds at most
   * `maxEmoji` different emoji: a new one beyond is "too_many". Deleted: "deleted"; none: null.
   */
  react(
    messageId: number,
    userId: number,
    emoji: string,
    on: boolean,
    at: number,
    by: ChangeBy,
    maxEmoji: number,
  ): Promise<StoredMessage | "deleted" | "too_many" | null>;
  /** The earlier versions of an edited message's text, oldest first (none once deleted). */
  earlierTexts(messageId: number): Promise<EarlierText[]>;
  /** The highest message id stored (0 when none). */
  maxId(): Promise<number>;
  /** The highest seq committed (0 when none). */
  lastSeq(): Promise<number>;
};

/**
 * How far a member of a direct conversation has read it, told to the other member: when their
 * read position last moved, and its place on the event sequence.
 */
export type Receipt = {
  conversationId: number;
  userId: number;
  lastReadId: number;
  at: number;
  seq: number;
};

export type ReadStore = {
  /** The last message id the user read in a conversation, or null when never recorded. */
  position(userId: number, conversationId: number): Promise<number | null>;
  /** Moves the read position forward (never back); returns the position now stored. */
  markRead(userId: number, conversationId: number, messageId: number): Promise<number>;
  /**
   * In a direct conversation, moves the position forward as markRead does; when it moves, records
   * when (`at`) and gives it the next seq, in one step: a receipt. Returns the position now
   * stored, and the receipt (null when the position did not move).
   */
  readDirect(
    userId: number,
    conversationId: number,
    messageId: number,
    at: number,
  ): Promise<{ lastReadId: number; receipt: Receipt | null }>;
  /**
   * The other member's receipt in a direct conversation of the reader's, as the reader may see
   * it: null unless both send read receipts, neither blocked the other, and the other has read.
   */
  receiptFor(readerId: number, conversationId: number): Promise<Receipt | null>;
  /** The receipts the reader may see now with seq above `afterSeq`, by seq; at most `limit`. */
  receiptsAfter(readerId: number, afterSeq: number, limit: number): Promise<Receipt[]>;
  /** Messages from others after `afterId` the reader may see, counted up to `cap`. */
  unreadCount(
    userId: number,
    conversationId: number,
    afterId: number,
    cap: number,
  ): Promise<number>;
  /** Of those, the ones that mention the reader, counted up to `cap`. */
  mentionCount(
    userId: number,
    conversationId: number,
    afterId: number,
    cap: number,
  ): Promise<number>;
};

/** What a search asks of the store: its words, and its filters resolved to ids and times. */
export type SearchFilter = {
  /** Every one must match; none: the filters alone choose (newest first). */
  phrases: readonly Phrase[];
  senderId?: number;
  conversationId?: number;
  /** Written at or after (ms). */
  since?: number;
  /** Written before (ms). */
  until?: number;
  /** A later page: only messages with a smaller id. */
  beforeId?: number;
};

export type SearchStore = {
  /**
   * Up to `limit` messages matching, newest first, among those the reader may see now: the
   * Lobby's, their direct conversations', those of the rooms they are in; never a deleted one
   * and never one from someone they blocked or who blocked them. A message is found by its
   * text as it is now (see lib/search_text.ts for words and prefixes).
   */
  search(readerId: number, filter: SearchFilter, limit: number): Promise<MessageRow[]>;
  /** Builds the index again from every message; resolves how many messages it holds. */
  reindex(): Promise<number>;
};

export type Store = {
  users: UserStore;
  sessions: SessionStore;
  friends: FriendStore;
  blocks: BlockStore;
  conversations: ConversationStore;
  rooms: RoomStore;
  messages: MessageStore;
  reads: ReadStore;
  search: SearchStore;
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** Writes a consistent copy of the live database to a new file. */
  backupTo(path: string): Promise<void>;
  /** Closes the database; safe to call twice. */
  close(): Promise<void>;
};
