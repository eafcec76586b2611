// What the PostgreSQL store parts share: the message row and fragments of SQL.
import { LOBBY_ID } from "../../wire.ts";
import type { MessageRow } from "../types.ts";
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
});

export const messageColumns = (sql: Sql) =>
  sql`m.id, m.seq, m.conversation_id, m.sender_id, u.username AS sender_name, m.client_id,
    m.body, m.created_at`;

/** A reader never sees Lobby messages from someone they blocked (direct history stays). */
export const notBlocked = (sql: Sql, reader: number) =>
  sql`(m.conversation_id != ${LOBBY_ID} OR NOT EXISTS (
    SELECT 1 FROM blocks b WHERE b.blocker_id = ${reader} AND b.blocked_id = m.sender_id))`;

/** Conversations a user is in: the Lobby, and direct ones naming them. */
export const memberOf = (sql: Sql, reader: number) =>
  sql`(c.kind = 'lobby' OR c.user_low = ${reader} OR c.user_high = ${reader})`;
