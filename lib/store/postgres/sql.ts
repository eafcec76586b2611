// What the PostgreSQL store parts share: the message row and fragments of SQL.
import { type MessageRow, QUOTE_CHARS } from "../types.ts";
import type { Sql } from "./db.ts";

export type MessageRecord = {
  id: number;
  seq: number;
  conversation_id: number;
  sender_id: number;
  sender_name: string;
  client_id: string;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  reply_id: number | null;
  reply_sender_id: number | null;
  reply_sender_name: string | null;
  reply_body: string | null;
  reply_deleted_at: number | null;
  /** Whether the message mentions the reader (the verbs that read for one reader). */
  mentioned?: boolean;
};

export const toMessage = (row: MessageRecord): MessageRow => ({
  id: row.id,
  seq: row.seq,
  conversationId: row.conversation_id,
  senderId: row.sender_id,
  senderName: row.sender_name,
  clientId: row.client_id,
  text: row.body,
  at: row.created_at,
  ...(row.mentioned ? { mentioned: true } : {}),
  ...(row.edited_at != null ? { editedAt: row.edited_at } : {}),
  ...(row.deleted_at != null ? { deleted: true } : {}),
  ...(row.reply_id != null
    ? {
      replyTo: {
        id: row.reply_id,
        sender: { id: row.reply_sender_id!, username: row.reply_sender_name! },
        snippet: row.reply_body ?? "",
        ...(row.reply_deleted_at != null ? { deleted: true } : {}),
      },
    }
    : {}),
});

export const messageColumns = (sql: Sql) =>
  sql`m.id, m.seq, m.conversation_id, m.sender_id, u.username AS sender_name, m.client_id,
    m.body, m.created_at, m.edited_at, m.deleted_at, p.id AS reply_id,
    p.sender_id AS reply_sender_id, pu.username AS reply_sender_name,
    substr(p.body, 1, ${QUOTE_CHARS}) AS reply_body, p.deleted_at AS reply_deleted_at`;

/** Messages with their senders, and the message each replies to (p) with its sender (pu). */
export const messagesFrom = (sql: Sql) =>
  sql`messages m JOIN users u ON u.id = m.sender_id
    LEFT JOIN messages p ON p.id = m.reply_to LEFT JOIN users pu ON pu.id = p.sender_id`;

/** Whether the message mentions the reader, as the column `mentioned`. */
export const mentioned = (sql: Sql, reader: number) =>
  sql`EXISTS (SELECT 1 FROM mentions mn WHERE mn.user_id = ${reader}
    AND mn.conversation_id = m.conversation_id AND mn.message_id = m.id) AS mentioned`;

/**
 * A reader never sees Lobby or room messages from someone they blocked (direct history stays).
 * The block is looked up first: without one, the conversation's kind is not needed.
 */
export const notBlocked = (sql: Sql, reader: number) =>
  sql`(NOT EXISTS (
      SELECT 1 FROM blocks b WHERE b.blocker_id = ${reader} AND b.blocked_id = m.sender_id)
    OR EXISTS (
      SELECT 1 FROM conversations dc WHERE dc.id = m.conversation_id AND dc.kind = 'direct'))`;

/** Conversations a user is in: the Lobby, direct ones naming them, rooms they are a member of. */
export const memberOf = (sql: Sql, reader: number) =>
  sql`(c.kind = 'lobby' OR c.user_low = ${reader} OR c.user_high = ${reader}
    OR (c.kind = 'room' AND EXISTS (
      SELECT 1 FROM room_members rm WHERE rm.conversation_id = c.id AND rm.user_id = ${reader})))`;
