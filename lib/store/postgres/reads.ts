// Read positions: the last message id each user read in each conversation, and in direct ones
// the receipts the other member is told.
import type { ReadStore, Receipt } from "../types.ts";
import type { Sql } from "./db.ts";
import { notBlocked } from "./sql.ts";

export function pgReads(sql: Sql): ReadStore {
  /**
   * The other members' receipts in the reader's direct conversations, as the reader may see
   * them: both send receipts, and neither blocked the other.
   */
  const receipts = (reader: number) =>
    sql`SELECT r.conversation_id, r.user_id, r.last_read_id, r.read_at, r.seq
      FROM conversations c
      JOIN read_positions r ON r.conversation_id = c.id AND r.user_id != ${reader}
      JOIN users other ON other.id = r.user_id
      JOIN users me ON me.id = ${reader}
      WHERE c.kind = 'direct' AND (c.user_low = ${reader} OR c.user_high = ${reader})
      AND r.seq IS NOT NULL AND me.send_receipts AND other.send_receipts
      AND NOT EXISTS (SELECT 1 FROM blocks b
        WHERE (b.blocker_id = ${reader} AND b.blocked_id = r.user_id)
        OR (b.blocker_id = r.user_id AND b.blocked_id = ${reader}))`;
  return {
    position: async (userId, conversationId) => {
      const [row] = await sql<{ last_read_id: number }[]>`SELECT last_read_id FROM read_positions
        WHERE user_id = ${userId} AND conversation_id = ${conversationId}`;
      return row?.last_read_id ?? null;
    },
    markRead: async (userId, conversationId, messageId) => {
      const [row] = await sql<{ last_read_id: number }[]>`
        INSERT INTO read_positions AS r (user_id, conversation_id, last_read_id)
        VALUES (${userId}, ${conversationId}, ${messageId})
        ON CONFLICT (user_id, conversation_id)
        DO UPDATE SET last_read_id = GREATEST(r.last_read_id, excluded.last_read_id)
        RETURNING last_read_id`;
      return row.last_read_id;
    },
    readDirect: (userId, conversationId, messageId, at) =>
      sql.begin(async (tx) => {
        const [now] = await tx<{ last_read_id: number }[]>`SELECT last_read_id FROM read_positions
          WHERE user_id = ${userId} AND conversation_id = ${conversationId} FOR UPDATE`;
        if (now && now.last_read_id >= messageId) {
          return { lastReadId: now.last_read_id, receipt: null };
        }
        // Taken under the event_sequence row's lock, held until commit: seqs become visible in
        // order, as for messages.
        const [{ last_seq: seq }] = await tx<{ last_seq: number }[]>`
          UPDATE event_sequence SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq`;
        // A first read racing another finds its row here: the further one stays.
        const [row] = await tx<{ last_read_id: number; seq: number; read_at: number }[]>`
          INSERT INTO read_positions AS r (user_id, conversation_id, last_read_id, read_at, seq)
          VALUES (${userId}, ${conversationId}, ${messageId}, ${at}, ${seq})
          ON CONFLICT (user_id, conversation_id) DO UPDATE SET
            last_read_id = excluded.last_read_id, read_at = excluded.read_at, seq = excluded.seq
          WHERE r.last_read_id < excluded.last_read_id
          RETURNING last_read_id, seq, read_at`;
        if (!row) {
          const [kept] = await tx<{ last_read_id: number }[]>`SELECT last_read_id
            FROM read_positions WHERE user_id = ${userId} AND conversation_id = ${conversationId}`;
          return { lastReadId: kept.last_read_id, receipt: null };
        }
        const receipt = { conversationId, userId, lastReadId: messageId, at, seq };
        return { lastReadId: messageId, receipt };
      }) as Promise<{ lastReadId: number; receipt: Receipt | null }>,
    receiptFor: async (readerId, conversationId) => {
      const [row] = await sql<ReceiptRecord[]>`${receipts(readerId)} AND c.id = ${conversationId}`;
      return row ? toReceipt(row) : null;
    },
    receiptsAfter: async (readerId, afterSeq, limit) => {
      const rows = await sql<ReceiptRecord[]>`${receipts(readerId)} AND r.seq > ${afterSeq}
        ORDER BY r.seq LIMIT ${limit}`;
      return rows.map(toReceipt);
    },
    unreadCount: async (userId, conversationId, afterId, cap) => {
      const [row] = await sql<{ n: number }[]>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages m
        WHERE m.conversation_id = ${conversationId} AND m.id > ${afterId}
        AND m.sender_id != ${userId} AND ${notBlocked(sql, userId)} LIMIT ${cap}) AS unread`;
      return row.n;
    },
    mentionCount: async (userId, conversationId, afterId, cap) => {
      const [row] = await sql<{ n: number }[]>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM mentions mn
        JOIN messages m ON m.id = mn.message_id
        WHERE mn.user_id = ${userId} AND mn.conversation_id = ${conversationId}
        AND mn.message_id > ${afterId} AND ${notBlocked(sql, userId)} LIMIT ${cap}) AS mentioned`;
      return row.n;
    },
  };
}

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
