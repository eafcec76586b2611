// Read positions: the last message id each user read in each conversation.
import type { ReadStore } from "../types.ts";
import type { Db } from "./db.ts";
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
