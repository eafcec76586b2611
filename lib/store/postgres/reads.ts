// Read positions: the last message id each user read in each conversation.
import type { ReadStore } from "../types.ts";
import type { Sql } from "./db.ts";
import { notBlocked } from "./sql.ts";

export function pgReads(sql: Sql): ReadStore {
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
