// Messages, and the one event sequence they travel on. Inserts arriving in one turn of the
// event loop share one transaction (group commit): a burst costs one commit, not one each.
import type { ChangeBy, MessageRow, MessageStore, NewMessage, StoredMessage } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { attachReactions } from "../reactions.ts";
import {
  MEMBER_OF,
  MENTIONED,
  MESSAGE_COLUMNS,
  type MessageRecord,
  NOT_BLOCKED,
  rejectingPart,
  REPLY_JOINS,
  toMessage,
} from "./sql.ts";

type PendingInsert = {
  message: NewMessage;
  resolve: (stored: StoredMessage) => void;
  reject: (e: unknown) => void;
};

export function sqliteMessages(db: Db): MessageStore {
  const FROM_MESSAGES = `FROM messages m JOIN users u ON u.id = m.sender_id ${REPLY_JOINS}`;
  const sql = {
    // Seqs are taken for a whole batch at once; a duplicate leaves its seq unused (a gap).
    takeSeqs: db.prepare(
      "UPDATE event_sequence SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq",
    ),
    insert: db.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_id, body, created_at, seq, reply_to)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sender_id, client_id) DO NOTHING`,
    ),
    // A user gone since the send was checked is no reason to refuse the message.
    mention: db.prepare(
      `INSERT OR IGNORE INTO mentions (user_id, conversation_id, message_id)
       SELECT id, ?, ? FROM users WHERE id = ?`,
    ),
    byClientId: db.prepare(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE m.sender_id = ? AND m.client_id = ?`,
    ),
    history: db.prepare(
      `SELECT * FROM (SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES}
       WHERE m.conversation_id = :conversation AND m.id < :before AND ${NOT_BLOCKED}
       ORDER BY m.id DESC LIMIT :limit) ORDER BY id`,
    ),
    newer: db.prepare(
      `SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES}
       WHERE m.conversation_id = :conversation AND m.id > :after AND ${NOT_BLOCKED}
       ORDER BY m.id LIMIT :limit`,
    ),
    after: db.prepare(
      `SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES} JOIN conversations c ON c.id = m.conversation_id
       WHERE m.seq > :after AND ${MEMBER_OF} AND ${NOT_BLOCKED} ORDER BY m.seq LIMIT :limit`,
    ),
    latest: db.prepare(
      `SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES}
       WHERE m.conversation_id = :conversation AND ${NOT_BLOCKED} ORDER BY m.id DESC LIMIT 1`,
    ),
    find: db.prepare(`SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE m.id = ?`),
    applied: db.prepare(
      "SELECT message_id FROM message_changes WHERE user_id = ? AND client_id = ?",
    ),
    recordChange: db.prepare(
      "INSERT INTO message_changes (user_id, client_id, message_id) VALUES (?, ?, ?)",
    ),
    keepEarlier: db.prepare(
      `INSERT INTO message_edits (message_id, version, body, written_at)
       SELECT id, (SELECT COUNT(*) FROM message_edits WHERE message_id = :id), body,
         COALESCE(edited_at, created_at)
       FROM messages WHERE id = :id`,
    ),
    setText: db.prepare(
      "UPDATE messages SET body = ?, edited_at = ?, seq = ? WHERE id = ? AND deleted_at IS NULL",
    ),
    forgetEarlier: db.prepare("DELETE FROM message_edits WHERE message_id = ?"),
    tombstone: db.prepare(
      "UPDATE messages SET body = '', edited_at = NULL, deleted_at = ?, seq = ? WHERE id = ?",
    ),
    reactionsOf: db.prepare(
      `SELECT r.message_id, r.emoji, u.id, u.username FROM reactions r
       JOIN users u ON u.id = r.user_id JOIN messages m ON m.id = r.message_id
       WHERE r.message_id IN (SELECT value FROM json_each(:ids))
       AND (NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = :reader AND b.blocked_id = r.user_id)
         OR EXISTS (SELECT 1 FROM conversations dc WHERE dc.id = m.conversation_id AND dc.kind = 'direct'))
       ORDER BY r.message_id, r.created_at, r.user_id`,
    ),
    hasReaction: db.prepare(
      "SELECT 1 FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?",
    ),
    emojiCount: db.prepare(
      "SELECT COUNT(DISTINCT emoji) AS n, MAX(emoji = ?) AS has FROM reactions WHERE message_id = ?",
    ),
    addReaction: db.prepare(
      "INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?)",
    ),
    dropReaction: db.prepare(
      "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?",
    ),
    dropReactions: db.prepare("DELETE FROM reactions WHERE message_id = ?"),
    touch: db.prepare("UPDATE messages SET seq = ? WHERE id = ?"),
    earlier: db.prepare(
      "SELECT body, written_at FROM message_edits WHERE message_id = ? ORDER BY version",
    ),
    maxId: db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM messages"),
    lastSeq: db.prepare("SELECT last_seq FROM event_sequence WHERE id = 1"),
  };
  const byClientId = (senderId: number, clientId: string) => {
    const row = sql.byClientId.get(senderId, clientId) as MessageRecord | undefined;
    return row ? toMessage(row) : null;
  };

  const find = (id: number) => {
    const row = sql.find.get(id) as MessageRecord | undefined;
    return row ? toMessage(row) : null;
  };
  const nextSeq = () => (sql.takeSeqs.get(1) as { last_seq: number }).last_seq;

  /**
   * One change to a message in one transaction, once per `by`: a repeat finds the message as
   * it is now. `apply` returns false when it changed nothing (then nothing is recorded).
   */
  function change(
    messageId: number,
    by: ChangeBy,
    apply: (now: MessageRow) => boolean,
  ): StoredMessage | null | "unchanged" {
    return transaction(db, () => {
      const applied = sql.applied.get(by.userId, by.clientId) as { message_id: number } | undefined;
      if (applied) {
        const now = find(applied.message_id);
        return now && { message: now, duplicate: true };
      }
      const now = find(messageId);
      if (!now) return null;
      if (!apply(now)) return "unchanged";
      sql.recordChange.run(by.userId, by.clientId, messageId);
      return { message: find(messageId)!, duplicate: false };
    });
  }

  /** The rows with their reactions as `reader` sees them. */
  function withReactions(reader: number, rows: MessageRow[]): MessageRow[] {
    if (!rows.length) return rows;
    const found = sql.reactionsOf.all({
      reader,
      ids: JSON.stringify(rows.map((row) => row.id)),
    }) as { message_id: number; emoji: string; id: number; username: string }[];
    if (!found.length) return rows;
    return attachReactions(rows, found);
  }

  let pending: PendingInsert[] = [];
  function flush() {
    const batch = pending;
    pending = [];
    let stored: (MessageRow | undefined)[];
    try {
      stored = transaction(db, () => {
        const { last_seq } = sql.takeSeqs.get(batch.length) as { last_seq: number };
        return batch.map(({ message: m }, i) => {
          const seq = last_seq - batch.length + 1 + i;
          const { changes, lastInsertRowid } = sql.insert.run(
            m.conversationId,
            m.senderId,
            m.clientId,
            m.text,
            m.at,
            seq,
            m.replyTo ?? null,
          );
          if (!changes) return undefined;
          const id = Number(lastInsertRowid);
          for (const userId of m.mentions ?? []) sql.mention.run(m.conversationId, id, userId);
          const { mentions: _, replyTo: __, ...row } = m;
          return { ...row, id, seq };
        });
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ message: m, resolve, reject }, i) => {
      const row = stored[i];
      if (row) return resolve({ message: row, duplicate: false });
      try {
        resolve({ message: byClientId(m.senderId, m.clientId)!, duplicate: true }); // stored before
      } catch (error) {
        reject(error);
      }
    });
  }

  return rejectingPart<MessageStore>({
    insert: (message) =>
      new Promise<StoredMessage>((resolve, reject) => {
        pending.push({ message, resolve, reject });
        // The first of a batch schedules the commit for after this turn of the event loop:
        // every frame that arrived in the same turn shares it, and nothing waits on a timer.
        if (pending.length === 1) setImmediate(flush);
      }),
    findByClientId: (senderId, clientId) => Promise.resolve(byClientId(senderId, clientId)),
    history: (readerId, conversationId, beforeId, limit) =>
      Promise.resolve(
        withReactions(
          readerId,
          (sql.history.all({
            reader: readerId,
            conversation: conversationId,
            before: beforeId,
            limit,
          }) as MessageRecord[]).map(toMessage),
        ),
      ),
    newer: (readerId, conversationId, afterId, limit) =>
      Promise.resolve(
        withReactions(
          readerId,
          (sql.newer.all({
            reader: readerId,
            conversation: conversationId,
            after: afterId,
            limit,
          }) as MessageRecord[]).map(toMessage),
        ),
      ),
    after: (readerId, afterSeq, limit) =>
      Promise.resolve(
        withReactions(
          readerId,
          (sql.after.all({ reader: readerId, after: afterSeq, limit }) as MessageRecord[]).map(
            toMessage,
          ),
        ),
      ),
    latest: (readerId, conversationId) => {
      const row = sql.latest.get({ reader: readerId, conversation: conversationId }) as
        | MessageRecord
        | undefined;
      return Promise.resolve(row ? withReactions(readerId, [toMessage(row)])[0] : null);
    },
    find: (messageId) => Promise.resolve(find(messageId)),
    edit: (messageId, text, at, by) => {
      const done = change(messageId, by, (now) => {
        if (now.deleted) return false;
        sql.keepEarlier.run({ id: messageId });
        sql.setText.run(text, at, nextSeq(), messageId);
        return true;
      });
      return Promise.resolve(done === "unchanged" ? "deleted" : done);
    },
    remove: (messageId, at, by) => {
      const done = change(messageId, by, (now) => {
        if (now.deleted) return false;
        sql.forgetEarlier.run(messageId);
        sql.dropReactions.run(messageId);
        sql.tombstone.run(at, nextSeq(), messageId);
        return true;
      });
      if (done !== "unchanged") return Promise.resolve(done);
      return Promise.resolve({ message: find(messageId)!, duplicate: true });
    },
    react: (messageId, userId, emoji, on, at, by, maxEmoji) => {
      let tooMany = false;
      const done = change(messageId, by, (now) => {
        if (now.deleted) return false;
        const has = sql.hasReaction.get(messageId, emoji, userId) !== undefined;
        if (has === on) return false;
        if (on) {
          const { n, has: used } = sql.emojiCount.get(emoji, messageId) as {
            n: number;
            has: number;
          };
          if (!used && n >= maxEmoji) return !(tooMany = true);
          sql.addReaction.run(messageId, userId, emoji, at);
        } else sql.dropReaction.run(messageId, emoji, userId);
        sql.touch.run(nextSeq(), messageId);
        return true;
      });
      if (tooMany) return Promise.resolve("too_many" as const);
      if (done !== "unchanged") return Promise.resolve(done);
      const now = find(messageId)!;
      return Promise.resolve(now.deleted ? "deleted" as const : { message: now, duplicate: true });
    },
    earlierTexts: (messageId) =>
      Promise.resolve(
        (sql.earlier.all(messageId) as { body: string; written_at: number }[]).map((row) => ({
          text: row.body,
          at: row.written_at,
        })),
      ),
    maxId: () => Promise.resolve((sql.maxId.get() as { id: number }).id),
    lastSeq: () => Promise.resolve((sql.lastSeq.get() as { last_seq: number }).last_seq),
  });
}
