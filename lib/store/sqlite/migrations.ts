// The schema's history. Append only: a released migration never changes.
/** One step of the schema, applied once, inside a transaction (see db.ts). */
export type Migration = {
  version: number;
  name: string;
  sql: string;
  /**
   * It rebuilds a table (SQLite cannot alter a CHECK): run it with foreign keys off, which can
   * only be switched outside a transaction, so that dropping the old table does not delete
   * (ON DELETE CASCADE) every row referring to it; a foreign key check refuses it before
   * commit if it broke a reference. SQLite only: PostgreSQL alters constraints in place.
   */
  rebuildsTables?: boolean;
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "accounts",
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_by_user ON sessions(user_id);
    `,
  },
  {
    version: 2,
    name: "chat",
    sql: `
      ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
      ALTER TABLE users ADD COLUMN appear_offline INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE friend_requests (
        from_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        to_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (from_id, to_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX friend_requests_to ON friend_requests(to_id);
      -- One row per friendship, stored both ways round so either side is one index probe.
      CREATE TABLE friendships (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        friend_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, friend_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE blocks (
        blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX blocks_blocked ON blocks(blocked_id);
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('lobby', 'direct')),
        -- For a direct conversation: its two members, lower id first.
        user_low INTEGER REFERENCES users(id) ON DELETE CASCADE,
        user_high INTEGER REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        UNIQUE (user_low, user_high)
      ) STRICT;
      CREATE INDEX conversations_high ON conversations(user_high);
      INSERT INTO conversations (id, kind, created_at) VALUES (1, 'lobby', 0);
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        sender_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (sender_id, client_id)
      ) STRICT;
      CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
      CREATE TABLE read_positions (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        last_read_id INTEGER NOT NULL,
        PRIMARY KEY (user_id, conversation_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: "event sequence",
    sql: `
      -- One counter for every change a client must learn (see MessageStore in lib/store/types.ts).
      CREATE TABLE event_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL
      ) STRICT;
      INSERT INTO event_sequence (id, last_seq) SELECT 1, COALESCE(MAX(id), 0) FROM messages;
      ALTER TABLE messages ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
      UPDATE messages SET seq = id;
      CREATE UNIQUE INDEX messages_by_seq ON messages(seq);
    `,
  },
  {
    version: 4,
    name: "rooms",
    // conversations.kind must admit 'room', and SQLite cannot alter a CHECK: the table is built
    // again and the rows copied over. Without rebuildsTables, dropping the old table would
    // delete every message and read position (ON DELETE CASCADE).
    rebuildsTables: true,
    sql: `
      CREATE TABLE new_conversations (
        -- AUTOINCREMENT: a deleted room's id is never handed out again.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('lobby', 'direct', 'room')),
        -- For a direct conversation: its two members, lower id first.
        user_low INTEGER REFERENCES users(id) ON DELETE CASCADE,
        user_high INTEGER REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        UNIQUE (user_low, user_high)
      ) STRICT;
      INSERT INTO new_conversations (id, kind, user_low, user_high, created_at)
        SELECT id, kind, user_low, user_high, created_at FROM conversations;
      DROP TABLE conversations;
      ALTER TABLE new_conversations RENAME TO conversations;
      CREATE INDEX conversations_high ON conversations(user_high);
      CREATE TABLE rooms (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        topic TEXT NOT NULL DEFAULT '',
        visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX rooms_by_creator ON rooms(created_by);
      CREATE TABLE room_members (
        conversation_id INTEGER NOT NULL REFERENCES rooms(conversation_id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX room_members_by_user ON room_members(user_id);
    `,
  },
  {
    version: 5,
    name: "mentions",
    sql: `
      -- Who a message mentions, resolved when it was sent: one row per mentioned user.
      CREATE TABLE mentions (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, conversation_id, message_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX mentions_by_message ON mentions(message_id);
    `,
  },
  {
    version: 6,
    name: "messages that change: edits, deletions, reactions",
    sql: `
      ALTER TABLE messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
      -- The message this one replies to (in the same conversation).
      ALTER TABLE messages ADD COLUMN reply_to INTEGER REFERENCES messages(id) ON DELETE SET NULL;
      CREATE INDEX messages_by_reply ON messages(reply_to) WHERE reply_to IS NOT NULL;
      -- The texts an edited message had before, each with when it was written: its history,
      -- readable by whoever may read the message, and gone when the message is deleted.
      CREATE TABLE message_edits (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        written_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, version)
      ) STRICT, WITHOUT ROWID;
      -- Changes applied, by who asked and the id their client gave: a retry is applied once.
      CREATE TABLE message_changes (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, client_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX message_changes_by_message ON message_changes(message_id);
      -- Who reacted to a message with which emoji; gone with the message's deletion.
      CREATE TABLE reactions (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        emoji TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, emoji, user_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: "read receipts",
    sql: `
      ALTER TABLE users ADD COLUMN send_receipts INTEGER NOT NULL DEFAULT 1;
      -- In a direct conversation, when the position last moved and its seq: a receipt.
      ALTER TABLE read_positions ADD COLUMN read_at INTEGER;
      ALTER TABLE read_positions ADD COLUMN seq INTEGER;
      CREATE INDEX read_positions_by_seq ON read_positions(seq) WHERE seq IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: "search",
    sql: `
      -- The search index lives in a file of its own (lib/store/sqlite/search_index.ts), which
      -- follows the messages by seq. A message that goes without a seq of its own (a deleted
      -- room's, by cascade) is named here, so that the index lets its words go too.
      CREATE TABLE search_gone (message_id INTEGER PRIMARY KEY) STRICT;
      CREATE TRIGGER search_gone_delete AFTER DELETE ON messages BEGIN
        INSERT OR IGNORE INTO search_gone (message_id) VALUES (old.id);
      END;
    `,
  },
];
