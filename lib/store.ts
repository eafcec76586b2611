// The storage boundary: domain verbs over the embedded SQLite database.
// A PostgreSQL store will implement the same interface for bigger deployments,
// which is why every verb returns a promise.
import { backup } from "node:sqlite";
import { type Checkpointer, startCheckpointer } from "./checkpointer.ts";
import { type Db, openDatabase, transaction } from "./db.ts";

export type User = { id: number; username: string };
export type UserWithPassword = User & { passwordHash: string };
export type SessionRow = {
  tokenHash: Uint8Array;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
};

export type PresenceFields = { lastSeenAt: number | null; appearOffline: boolean };
export type FriendRow = User & PresenceFields;
export type Relationship = {
  friends: boolean;
  /** a asked b, b asked a; a blocked b, b blocked a. */
  aAskedB: boolean;
  bAskedA: boolean;
  aBlockedB: boolean;
  bBlockedA: boolean;
};
export type ConversationRow = { id: number; kind: "lobby" | "direct"; with: User | null };
export type MessageRow = {
  id: number;
  conversationId: number;
  senderId: number;
  senderName: string;
  clientId: string;
  text: string;
  at: number;
};
export type NewMessage = {
  conversationId: number;
  senderId: number;
  senderName: string;
  clientId: string;
  text: string;
  at: number;
};
/** The stored message for a send, and whether that clientId had been stored before. */
export type StoredMessage = { message: MessageRow; duplicate: boolean };

export const LOBBY_ID = 1;
export type Store = {
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** Writes a consistent copy of the live database to a new file. */
  backupTo(path: string): Promise<void>;
  /** Closes the database (and its checkpoint worker); safe to call twice. */
  close(): Promise<void>;

  /** Creates a user; null when the (normalized) name is taken. */
  createUser(username: string, passwordHash: string, now: number): Promise<User | null>;
  findUserByName(username: string): Promise<UserWithPassword | null>;
  findUserById(id: number): Promise<UserWithPassword | null>;
  setPasswordHash(userId: number, passwordHash: string): Promise<void>;

  insertSession(session: SessionRow): Promise<void>;
  findSession(tokenHash: Uint8Array): Promise<SessionRow | null>;
  touchSession(tokenHash: Uint8Array, lastSeenAt: number): Promise<void>;
  deleteSession(tokenHash: Uint8Array): Promise<void>;
  /** Deletes every session of a user but the one kept; returns the deleted token hashes. */
  deleteSessionsOfUser(userId: number, keep?: Uint8Array): Promise<Uint8Array[]>;

  presenceFields(userId: number): Promise<PresenceFields>;
  setLastSeen(userId: number, at: number): Promise<void>;
  setAppearOffline(userId: number, appearOffline: boolean): Promise<void>;

  friendsOf(userId: number): Promise<FriendRow[]>;
  incomingRequests(userId: number): Promise<User[]>;
  outgoingRequests(userId: number): Promise<User[]>;
  blockedBy(userId: number): Promise<User[]>;
  /** Every block, as [blocker, blocked]: loaded once so that delivery needs no query. */
  allBlocks(): Promise<[number, number][]>;
  relationship(a: number, b: number): Promise<Relationship>;
  areFriends(a: number, b: number): Promise<boolean>;
  addFriendRequest(from: number, to: number, now: number): Promise<void>;
  /** True when there was such a request. */
  deleteFriendRequest(from: number, to: number): Promise<boolean>;
  /** Makes a and b friends, consuming any requests between them. */
  makeFriends(a: number, b: number, now: number): Promise<void>;
  removeFriendship(a: number, b: number): Promise<boolean>;
  /** a blocks b: ends their friendship and any requests between them. */
  block(a: number, b: number, now: number): Promise<void>;
  unblock(a: number, b: number): Promise<boolean>;

  /** The direct conversation of a and b, created when missing. */
  directConversation(a: number, b: number, now: number): Promise<{ id: number; created: boolean }>;
  conversationsOf(userId: number): Promise<ConversationRow[]>;
  /** The conversation if the user is in it, else null: ids of others' conversations do not leak. */
  findConversationFor(userId: number, conversationId: number): Promise<ConversationRow | null>;

  /**
   * Stores a message once per (sender, clientId); a repeat returns the first one. Resolves
   * once committed. Messages arriving in one event-loop tick share one transaction.
   */
  insertMessage(message: NewMessage): Promise<StoredMessage>;
  /** A conversation's kind and, for a direct one, its two members (they never change). */
  conversationMembers(
    conversationId: number,
  ): Promise<{ kind: "lobby" | "direct"; members: User[] } | null>;
  findMessageByClientId(senderId: number, clientId: string): Promise<MessageRow | null>;
  /** Up to `limit` messages before `beforeId`, oldest first, without senders the reader blocked. */
  history(
    readerId: number,
    conversationId: number,
    beforeId: number,
    limit: number,
  ): Promise<MessageRow[]>;
  /** Messages after `afterId` in every conversation of the user, in stored order. */
  messagesAfter(userId: number, afterId: number, limit: number): Promise<MessageRow[]>;
  latestMessage(readerId: number, conversationId: number): Promise<MessageRow | null>;
  readPosition(userId: number, conversationId: number): Promise<number | null>;
  /** Moves the read position forward (never back); returns the position now stored. */
  markRead(userId: number, conversationId: number, messageId: number): Promise<number>;
  /** Messages from others after `afterId`, counted up to `cap`. */
  unreadCount(
    userId: number,
    conversationId: number,
    afterId: number,
    cap: number,
  ): Promise<number>;
  maxMessageId(): Promise<number>;
};

type UserRecord = { id: number; username: string; password_hash: string };
type SessionRecord = {
  token_hash: Uint8Array;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
};

type MessageRecord = {
  id: number;
  conversation_id: number;
  sender_id: number;
  sender_name: string;
  client_id: string;
  body: string;
  created_at: number;
};
const toMessage = (row: MessageRecord): MessageRow => ({
  id: row.id,
  conversationId: row.conversation_id,
  senderId: row.sender_id,
  senderName: row.sender_name,
  clientId: row.client_id,
  text: row.body,
  at: row.created_at,
});
type ConversationRecord = {
  id: number;
  kind: "lobby" | "direct";
  with_id: number | null;
  with_name: string | null;
};
const toConversation = (row: ConversationRecord): ConversationRow => ({
  id: row.id,
  kind: row.kind,
  with: row.with_id === null ? null : { id: row.with_id, username: row.with_name! },
});
const asUsers = (rows: unknown[]) => (rows as User[]).map(({ id, username }) => ({ id, username }));

// A reader never sees Lobby messages from someone they blocked (direct history stays).
const NOT_BLOCKED = `(m.conversation_id != ${LOBBY_ID} OR NOT EXISTS (
  SELECT 1 FROM blocks b WHERE b.blocker_id = :reader AND b.blocked_id = m.sender_id))`;
const MESSAGE_COLUMNS =
  `m.id, m.conversation_id, m.sender_id, u.username AS sender_name, m.client_id, m.body, m.created_at`;
// Conversations a user is in: the Lobby, and direct ones naming them.
const MEMBER_OF = "(c.kind = 'lobby' OR c.user_low = :reader OR c.user_high = :reader)";

const toUser = (row: UserRecord): UserWithPassword => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
});
const toSession = (row: SessionRecord): SessionRow => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export type SqliteStoreOptions = {
  busyTimeoutMs?: number;
  /** Checkpoint the WAL on a worker thread (the server); errors go to this callback. */
  checkpointInBackground?: (message: string) => void;
};

/** Pages of log the server's own connection lets build up before it checkpoints itself. */
const SAFETY_NET_CHECKPOINT_PAGES = 10_000;

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db: Db = openDatabase(path, undefined, options.busyTimeoutMs);
  let checkpointer: Checkpointer | undefined;
  if (options.checkpointInBackground) {
    db.exec(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
    db.exec(`PRAGMA journal_size_limit = ${64 * 1024 * 1024}`); // give disk back after a burst
    checkpointer = startCheckpointer(path, options.checkpointInBackground, options.busyTimeoutMs);
  }
  const sql = {
    ping: db.prepare("SELECT 1 AS ok"),
    startLobbyRead: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id) SELECT ?, ${LOBBY_ID}, COALESCE(MAX(id), 0) FROM messages`,
    ),
    insertUser: db.prepare(
      "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id, username",
    ),
    userByName: db.prepare("SELECT id, username, password_hash FROM users WHERE username = ?"),
    userById: db.prepare("SELECT id, username, password_hash FROM users WHERE id = ?"),
    setPassword: db.prepare("UPDATE users SET password_hash = ? WHERE id = ?"),
    insertSession: db.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    session: db.prepare("SELECT * FROM sessions WHERE token_hash = ?"),
    touchSession: db.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE token_hash = ?"),
    deleteSessionsOfUser: db.prepare(
      "DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ? RETURNING token_hash",
    ),
  };
  const chat = {
    presence: db.prepare("SELECT last_seen_at, appear_offline FROM users WHERE id = ?"),
    setLastSeen: db.prepare("UPDATE users SET last_seen_at = ? WHERE id = ?"),
    setAppearOffline: db.prepare("UPDATE users SET appear_offline = ? WHERE id = ?"),
    friends: db.prepare(
      `SELECT u.id, u.username, u.last_seen_at, u.appear_offline FROM friendships f
       JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.username`,
    ),
    incoming: db.prepare(
      "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ? ORDER BY r.created_at",
    ),
    outgoing: db.prepare(
      "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ? ORDER BY r.created_at",
    ),
    blocked: db.prepare(
      "SELECT u.id, u.username FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? ORDER BY u.username",
    ),
    allBlocks: db.prepare("SELECT blocker_id, blocked_id FROM blocks"),
    areFriends: db.prepare("SELECT 1 AS yes FROM friendships WHERE user_id = ? AND friend_id = ?"),
    relationship: db.prepare(
      `SELECT
        EXISTS (SELECT 1 FROM friendships WHERE user_id = :a AND friend_id = :b) AS friends,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = :a AND to_id = :b) AS a_asked_b,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = :b AND to_id = :a) AS b_asked_a,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :a AND blocked_id = :b) AS a_blocked_b,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :b AND blocked_id = :a) AS b_blocked_a`,
    ),
    addRequest: db.prepare(
      "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    deleteRequest: db.prepare("DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?"),
    addFriendship: db.prepare(
      "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    deleteFriendship: db.prepare("DELETE FROM friendships WHERE user_id = ? AND friend_id = ?"),
    addBlock: db.prepare(
      "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    deleteBlock: db.prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?"),
    findDirect: db.prepare("SELECT id FROM conversations WHERE user_low = ? AND user_high = ?"),
    createDirect: db.prepare(
      "INSERT INTO conversations (kind, user_low, user_high, created_at) VALUES ('direct', ?, ?, ?) RETURNING id",
    ),
    conversationsOf: db.prepare(
      `SELECT c.id, c.kind, u.id AS with_id, u.username AS with_name FROM conversations c
       LEFT JOIN users u ON u.id = CASE WHEN c.user_low = :reader THEN c.user_high ELSE c.user_low END
       WHERE ${MEMBER_OF} ORDER BY c.id`,
    ),
    conversationFor: db.prepare(
      `SELECT c.id, c.kind, u.id AS with_id, u.username AS with_name FROM conversations c
       LEFT JOIN users u ON u.id = CASE WHEN c.user_low = :reader THEN c.user_high ELSE c.user_low END
       WHERE c.id = :id AND ${MEMBER_OF}`,
    ),
    insertMessage: db.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id`,
    ),
    messageByClientId: db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.sender_id = ? AND m.client_id = ?`,
    ),
    history: db.prepare(
      `SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.conversation_id = :conversation AND m.id < :before AND ${NOT_BLOCKED}
       ORDER BY m.id DESC LIMIT :limit) ORDER BY id`,
    ),
    messagesAfter: db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       JOIN conversations c ON c.id = m.conversation_id
       WHERE m.id > :after AND ${MEMBER_OF} AND ${NOT_BLOCKED}
       ORDER BY m.id LIMIT :limit`,
    ),
    latest: db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.conversation_id = :conversation AND ${NOT_BLOCKED} ORDER BY m.id DESC LIMIT 1`,
    ),
    readPosition: db.prepare(
      "SELECT last_read_id FROM read_positions WHERE user_id = ? AND conversation_id = ?",
    ),
    markRead: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)
       RETURNING last_read_id`,
    ),
    unread: db.prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages m
       WHERE m.conversation_id = :conversation AND m.id > :after AND m.sender_id != :reader AND ${NOT_BLOCKED}
       LIMIT :cap)`,
    ),
    maxMessageId: db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM messages"),
    conversationMembers: db.prepare(
      `SELECT c.kind, lo.id AS low_id, lo.username AS low_name, hi.id AS high_id, hi.username AS high_name
       FROM conversations c LEFT JOIN users lo ON lo.id = c.user_low LEFT JOIN users hi ON hi.id = c.user_high
       WHERE c.id = ?`,
    ),
  };
  const messageByClientId = (senderId: number, clientId: string) => {
    const row = chat.messageByClientId.get(senderId, clientId) as MessageRecord | undefined;
    return row ? toMessage(row) : null;
  };
  // Group commit: the messages that arrive in one turn of the event loop go into one
  // transaction, so that a burst costs one commit instead of one each. Each resolves only once
  // committed.
  type PendingInsert = {
    message: NewMessage;
    resolve: (stored: StoredMessage) => void;
    reject: (e: unknown) => void;
  };
  let pendingInserts: PendingInsert[] = [];
  function flushInserts() {
    const batch = pendingInserts;
    pendingInserts = [];
    let ids: (number | undefined)[];
    try {
      ids = transaction(db, () =>
        batch.map(({ message: m }) => {
          const row = chat.insertMessage.get(
            m.conversationId,
            m.senderId,
            m.clientId,
            m.text,
            m.at,
          ) as
            | { id: number }
            | undefined;
          return row?.id;
        }));
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ message: m, resolve, reject }, i) => {
      const id = ids[i];
      if (id !== undefined) {
        const { conversationId, senderId, senderName, clientId, text, at } = m;
        return resolve({
          message: { id, conversationId, senderId, senderName, clientId, text, at },
          duplicate: false,
        });
      }
      try {
        resolve({ message: messageByClientId(m.senderId, m.clientId)!, duplicate: true }); // stored before
      } catch (error) {
        reject(error);
      }
    });
  }
  const done = Promise.resolve();
  return rejectInsteadOfThrow({
    ping: () => {
      try {
        return Promise.resolve((sql.ping.get() as { ok: number }).ok === 1);
      } catch {
        return Promise.resolve(false);
      }
    },
    // SQLite's online backup API copies a consistent snapshot while writers go on.
    backupTo: async (target) => {
      await backup(db, target);
    },
    close: async () => {
      await checkpointer?.stop();
      if (db.isOpen) db.close();
    },

    // A newcomer starts with the Lobby read: its whole past is not "unread" to them.
    createUser: (username, passwordHash, now) =>
      Promise.resolve(transaction(db, () => {
        const row = sql.insertUser.get(username, passwordHash, now) as User | undefined;
        if (!row) return null;
        sql.startLobbyRead.run(row.id);
        return { id: row.id, username: row.username };
      })),
    findUserByName: (username) => {
      const row = sql.userByName.get(username) as UserRecord | undefined;
      return Promise.resolve(row ? toUser(row) : null);
    },
    findUserById: (id) => {
      const row = sql.userById.get(id) as UserRecord | undefined;
      return Promise.resolve(row ? toUser(row) : null);
    },
    setPasswordHash: (userId, passwordHash) => {
      sql.setPassword.run(passwordHash, userId);
      return done;
    },

    insertSession: (s) => {
      sql.insertSession.run(s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
      return done;
    },
    findSession: (tokenHash) => {
      const row = sql.session.get(tokenHash) as SessionRecord | undefined;
      return Promise.resolve(row ? toSession(row) : null);
    },
    touchSession: (tokenHash, lastSeenAt) => {
      sql.touchSession.run(lastSeenAt, tokenHash);
      return done;
    },
    deleteSession: (tokenHash) => {
      sql.deleteSession.run(tokenHash);
      return done;
    },
    deleteSessionsOfUser: (userId, keep) => {
      const rows = sql.deleteSessionsOfUser.all(userId, keep ?? null) as {
        token_hash: Uint8Array;
      }[];
      return Promise.resolve(rows.map((row) => row.token_hash));
    },

    presenceFields: (userId) => {
      const row = chat.presence.get(userId) as {
        last_seen_at: number | null;
        appear_offline: number;
      };
      return Promise.resolve({
        lastSeenAt: row?.last_seen_at ?? null,
        appearOffline: row?.appear_offline === 1,
      });
    },
    setLastSeen: (userId, at) => {
      chat.setLastSeen.run(at, userId);
      return done;
    },
    setAppearOffline: (userId, appearOffline) => {
      chat.setAppearOffline.run(appearOffline ? 1 : 0, userId);
      return done;
    },

    friendsOf: (userId) => {
      const rows = chat.friends.all(
        userId,
      ) as (UserRecord & { last_seen_at: number | null; appear_offline: number })[];
      return Promise.resolve(rows.map((row) => ({
        id: row.id,
        username: row.username,
        lastSeenAt: row.last_seen_at,
        appearOffline: row.appear_offline === 1,
      })));
    },
    incomingRequests: (userId) => Promise.resolve(asUsers(chat.incoming.all(userId))),
    outgoingRequests: (userId) => Promise.resolve(asUsers(chat.outgoing.all(userId))),
    blockedBy: (userId) => Promise.resolve(asUsers(chat.blocked.all(userId))),
    allBlocks: () => {
      const rows = chat.allBlocks.all() as { blocker_id: number; blocked_id: number }[];
      return Promise.resolve(
        rows.map((row) => [row.blocker_id, row.blocked_id] as [number, number]),
      );
    },
    areFriends: (a, b) => Promise.resolve(chat.areFriends.get(a, b) !== undefined),
    relationship: (a, b) => {
      const row = chat.relationship.get({ a, b }) as Record<string, number>;
      return Promise.resolve({
        friends: row.friends === 1,
        aAskedB: row.a_asked_b === 1,
        bAskedA: row.b_asked_a === 1,
        aBlockedB: row.a_blocked_b === 1,
        bBlockedA: row.b_blocked_a === 1,
      });
    },
    addFriendRequest: (from, to, now) => {
      chat.addRequest.run(from, to, now);
      return done;
    },
    deleteFriendRequest: (from, to) =>
      Promise.resolve(Number(chat.deleteRequest.run(from, to).changes) > 0),
    makeFriends: (a, b, now) => {
      transaction(db, () => {
        chat.deleteRequest.run(a, b);
        chat.deleteRequest.run(b, a);
        chat.addFriendship.run(a, b, now);
        chat.addFriendship.run(b, a, now);
      });
      return done;
    },
    removeFriendship: (a, b) =>
      Promise.resolve(transaction(db, () => {
        const removed = Number(chat.deleteFriendship.run(a, b).changes) > 0;
        chat.deleteFriendship.run(b, a);
        return removed;
      })),
    block: (a, b, now) => {
      transaction(db, () => {
        chat.addBlock.run(a, b, now);
        chat.deleteFriendship.run(a, b);
        chat.deleteFriendship.run(b, a);
        chat.deleteRequest.run(a, b);
        chat.deleteRequest.run(b, a);
      });
      return done;
    },
    unblock: (a, b) => Promise.resolve(Number(chat.deleteBlock.run(a, b).changes) > 0),

    directConversation: (a, b, now) => {
      const [low, high] = a < b ? [a, b] : [b, a];
      return Promise.resolve(transaction(db, () => {
        const found = chat.findDirect.get(low, high) as { id: number } | undefined;
        if (found) return { id: found.id, created: false };
        const row = chat.createDirect.get(low, high, now) as { id: number };
        return { id: row.id, created: true };
      }));
    },
    conversationsOf: (userId) =>
      Promise.resolve(
        (chat.conversationsOf.all({ reader: userId }) as ConversationRecord[]).map(toConversation),
      ),
    findConversationFor: (userId, conversationId) => {
      const row = chat.conversationFor.get({ reader: userId, id: conversationId }) as
        | ConversationRecord
        | undefined;
      return Promise.resolve(row ? toConversation(row) : null);
    },

    insertMessage: (m) =>
      new Promise<StoredMessage>((resolve, reject) => {
        pendingInserts.push({ message: m, resolve, reject });
        // The first of a batch schedules the commit for after this turn of the event loop:
        // every frame that arrived in the same turn shares it, and nothing waits on a timer.
        if (pendingInserts.length === 1) setImmediate(flushInserts);
      }),
    conversationMembers: (conversationId) => {
      const row = chat.conversationMembers.get(conversationId) as
        | {
          kind: "lobby" | "direct";
          low_id: number | null;
          low_name: string;
          high_id: number;
          high_name: string;
        }
        | undefined;
      if (!row) return Promise.resolve(null);
      const members = row.low_id === null ? [] : [{ id: row.low_id, username: row.low_name }, {
        id: row.high_id,
        username: row.high_name,
      }];
      return Promise.resolve({ kind: row.kind, members });
    },
    findMessageByClientId: (senderId, clientId) =>
      Promise.resolve(messageByClientId(senderId, clientId)),
    history: (readerId, conversationId, beforeId, limit) =>
      Promise.resolve(
        (chat.history.all({
          reader: readerId,
          conversation: conversationId,
          before: beforeId,
          limit,
        }) as MessageRecord[])
          .map(toMessage),
      ),
    messagesAfter: (userId, afterId, limit) =>
      Promise.resolve(
        (chat.messagesAfter.all({ reader: userId, after: afterId, limit }) as MessageRecord[]).map(
          toMessage,
        ),
      ),
    latestMessage: (readerId, conversationId) => {
      const row = chat.latest.get({ reader: readerId, conversation: conversationId }) as
        | MessageRecord
        | undefined;
      return Promise.resolve(row ? toMessage(row) : null);
    },
    readPosition: (userId, conversationId) => {
      const row = chat.readPosition.get(userId, conversationId) as
        | { last_read_id: number }
        | undefined;
      return Promise.resolve(row?.last_read_id ?? null);
    },
    markRead: (userId, conversationId, messageId) => {
      const row = chat.markRead.get(userId, conversationId, messageId) as { last_read_id: number };
      return Promise.resolve(row.last_read_id);
    },
    unreadCount: (userId, conversationId, afterId, cap) => {
      const row = chat.unread.get({
        reader: userId,
        conversation: conversationId,
        after: afterId,
        cap,
      }) as { n: number };
      return Promise.resolve(row.n);
    },
    maxMessageId: () => Promise.resolve((chat.maxMessageId.get() as { id: number }).id),
  });
}

/** Store verbs report failures as rejected promises, as an async store would, never by throwing. */
function rejectInsteadOfThrow(store: Store): Store {
  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, verb] of Object.entries(store)) {
    if (name === "close") continue;
    wrapped[name] = (...args: unknown[]) => {
      try {
        return (verb as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return wrapped as Store;
}
