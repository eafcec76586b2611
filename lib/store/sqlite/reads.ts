// Read positions: the last message id each user read in each conversation, and in direct ones
// the receipts the other member is told.
import type { ReadStore, Receipt } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { NOT_BLOCKED, rejectingPart } from "./sql.ts";

export function sqliteReads(db: Db): ReadStore {
  const sql = {
    position: db.prepare(
      "SELECT last_read_id FROM read_positions WHERE user_id = ? AND conversation_id = ?",
    ),
    markRead: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)
       RETURNING last_read_id`,
    ),
    takeSeq: db.prepare(
      "UPDATE event_sequence SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
    ),
    readDirect: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id, read_at, seq)
       VALUES (:user, :conversation, :id, :at, :seq)
       ON CONFLICT DO UPDATE SET last_read_id = excluded.last_read_id, read_at = excluded.read_at,
       seq = excluded.seq`,
    ),
    receiptFor: db.prepare(`${RECEIPTS} AND c.id = :conversation`),
    receiptsAfter: db.prepare(`${RECEIPTS} AND r.seq > :after ORDER BY r.seq LIMIT :limit`),
    unread: db.prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages m
       WHERE m.conversation_id = :conversation AND m.id > :after AND m.sender_id != :reader AND ${NOT_BLOCKED}
       LIMIT :cap)`,
    ),
    mentions: db.prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM mentions mn JOIN messages m ON m.id = mn.message_id
       WHERE mn.user_id = :reader AND mn.conversation_id = :conversation AND mn.message_id > :after
       AND ${NOT_BLOCKED} LIMIT :cap)`,
    ),
  };
  return rejectingPart<ReadStore>({
    position: (userId, conversationId) => {
      const row = sql.position.get(userId, conversationId) as { last_read_id: number } | undefined;
      return Promise.resolve(row?.last_read_id ?? null);
    },
    markRead: (userId, conversationId, messageId) => {
      const row = sql.markRead.get(userId, conversationId, messageId) as { last_read_id: number };
      return Promise.resolve(row.last_read_id);
    },
    readDirect: (userId, conversationId, messageId, at) =>
      Promise.resolve(transaction(db, () => {
        const now = sql.position.get(userId, conversationId) as
          | { last_read_id: number }
          | undefined;
        if (now && now.last_read_id >= messageId) {
          return { lastReadId: now.last_read_id, receipt: null };
        }
        const { last_seq: seq } = sql.takeSeq.get() as { last_seq: number };
        sql.readDirect.run({ user: userId, conversation: conversationId, id: messageId, at, seq });
        const receipt = { conversationId, userId, lastReadId: messageId, at, seq };
        return { lastReadId: messageId, receipt };
      })),
    receiptFor: (readerId, conversationId) => {
      const row = sql.receiptFor.get({ reader: readerId, conversation: conversationId });
      return Promise.resolve(row ? toReceipt(row as ReceiptRecord) : null);
    },
    receiptsAfter: (readerId, afterSeq, limit) => {
      const rows = sql.receiptsAfter.all({ reader: readerId, after: afterSeq, limit });
      return Promise.resolve((rows as ReceiptRecord[]).map(toReceipt));
    },
    unreadCount: (userId, conversationId, afterId, cap) => {
      const row = sql.unread.get({
        reader: userId,
        conversation: conversationId,
        after: afterId,
        cap,
      }) as { n: number };
      return Promise.resolve(row.n);
    },
    mentionCount: (userId, conversationId, afterId, cap) => {
      const row = sql.mentions.get({
        reader: userId,
        conversation: conversationId,
        after: afterId,
        cap,
      }) as { n: number };
      return Promise.resolve(row.n);
    },
  });
}

/**
 * The other members' receipts in the reader's direct conversations, as the reader may see them:
 * both send receipts, and neither blocked the other.
 */
const RECEIPTS = `SELECT r.conversation_id, r.user_id, r.last_read_id, r.read_at, r.seq
  FROM conversations c
  JOIN read_positions r ON r.conversation_id = c.id AND r.user_id != :reader
  JOIN users other ON other.id = r.user_id
  JOIN users me ON me.id = :reader
  WHERE c.kind = 'direct' AND (c.user_low = :reader OR c.user_high = :reader)
  AND r.seq IS NOT NULL AND me.send_receipts = 1 AND other.send_receipts = 1
  AND NOT EXISTS (SELECT 1 FROM blocks b
    WHERE (b.blocker_id = :reader AND b.blocked_id = r.user_id)
    OR (b.blocker_id = r.user_id AND b.blocked_id = :reader))`;

type ReceiptRecord = {
  conversation_id: number;
  user_id: number;
  last_read_id: number;
  read_at: number;
  seq: number;
};
const toReceipt = (row: ReceiptRecord): Receipt => ({
  conversationId: row.conversation_id,
  userId: row.user_id,
  lastReadId: row.last_read_id,
  at: row.read_at,
  seq: row.seq,
});
