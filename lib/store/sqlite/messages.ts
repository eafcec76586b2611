// Messages, and the one event sequence they travel on. Inserts arriving in one turn of the
// event loop share one transaction (group commit): a burst costs one commit, not one each.
import type { MessageRow, MessageStore, NewMessage, StoredMessage } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import {
  MEMBER_OF,
  MENTIONED,
  MESSAGE_COLUMNS,
  type MessageRecord,
  NOT_BLOCKED,
  rejectingPart,
  toMessage,
} from "./sql.ts";

type PendingInsert = {
  message: NewMessage;
  resolve: (stored: StoredMessage) => void;
  reject: (e: unknown) => void;
};

export function sqliteMessages(db: Db): MessageStore {
  const FROM_MESSAGES = `FROM messages m JOIN users u ON u.id = m.sender_id`;
  const sql = {
    // Seqs are taken for a whole batch at once; a duplicate leaves its seq unused (a gap).
    takeSeqs: db.prepare(
      "UPDATE event_sequence SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq",
    ),
    insert: db.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_id, body, created_at, seq)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sender_id, client_id) DO NOTHING`,
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
    after: db.prepare(
      `SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES} JOIN conversations c ON c.id = m.conversation_id
       WHERE m.seq > :after AND ${MEMBER_OF} AND ${NOT_BLOCKED} ORDER BY m.seq LIMIT :limit`,
    ),
    latest: db.prepare(
      `SELECT ${MESSAGE_COLUMNS}, ${MENTIONED} ${FROM_MESSAGES}
       WHERE m.conversation_id = :conversation AND ${NOT_BLOCKED} ORDER BY m.id DESC LIMIT 1`,
    ),
    maxId: db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM messages"),
    lastSeq: db.prepare("SELECT last_seq FROM event_sequence WHERE id = 1"),
  };
  const byClientId = (senderId: number, clientId: string) => {
    const row = sql.byClientId.get(senderId, clientId) as MessageRecord | undefined;
    return row ? toMessage(row) : null;
  };

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
          );
          if (!changes) return undefined;
          const id = Number(lastInsertRowid);
          for (const userId of m.mentions ?? []) sql.mention.run(m.conversationId, id, userId);
          const { mentions: _, ...row } = m;
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
        (sql.history.all({
          reader: readerId,
          conversation: conversationId,
          before: beforeId,
          limit,
        }) as MessageRecord[]).map(toMessage),
      ),
    after: (readerId, afterSeq, limit) =>
      Promise.resolve(
        (sql.after.all({ reader: readerId, after: afterSeq, limit }) as MessageRecord[]).map(
          toMessage,
        ),
      ),
    latest: (readerId, conversationId) => {
      const row = sql.latest.get({ reader: readerId, conversation: conversationId }) as
        | MessageRecord
        | undefined;
      return Promise.resolve(row ? toMessage(row) : null);
    },
    maxId: () => Promise.resolve((sql.maxId.get() as { id: number }).id),
    lastSeq: () => Promise.resolve((sql.lastSeq.get() as { last_seq: number }).last_seq),
  });
}
