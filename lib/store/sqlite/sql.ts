// What the SQLite store parts share: row shapes, fragments of SQL, and the async wrapper.
import { type MessageRow, QUOTE_CHARS, type User } from "../types.ts";

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
  /** 1 when the message mentions the reader (the verbs that read for one reader). */
  mentioned?: number;
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

export const asUsers = (rows: unknown[]): User[] =>
  (rows as User[]).map(({ id, username }) => ({ id, username }));

export const MESSAGE_COLUMNS =
  `m.id, m.seq, m.conversation_id, m.sender_id, u.username AS sender_name, m.client_id, m.body, m.created_at, m.edited_at, m.deleted_at, p.id AS reply_id, p.sender_id AS reply_sender_id, pu.username AS reply_sender_name, substr(p.body, 1, ${QUOTE_CHARS}) AS reply_body, p.deleted_at AS reply_deleted_at`;

/** The message a row replies to (p) and its sender (pu), for MESSAGE_COLUMNS. */
export const REPLY_JOINS =
  `LEFT JOIN messages p ON p.id = m.reply_to LEFT JOIN users pu ON pu.id = p.sender_id`;

/** Whether the message mentions :reader, as the column `mentioned`. */
export const MENTIONED = `EXISTS (SELECT 1 FROM mentions mn WHERE mn.user_id = :reader
  AND mn.conversation_id = m.conversation_id AND mn.message_id = m.id) AS mentioned`;

// A reader never sees Lobby or room messages from someone they blocked (direct history stays).
// The block is looked up first: without one, the conversation's kind is not needed.
export const NOT_BLOCKED = `(NOT EXISTS (
    SELECT 1 FROM blocks b WHERE b.blocker_id = :reader AND b.blocked_id = m.sender_id)
  OR EXISTS (SELECT 1 FROM conversations dc WHERE dc.id = m.conversation_id AND dc.kind = 'direct'))`;

// Conversations a user is in: the Lobby, direct ones naming them, rooms they are a member of.
export const MEMBER_OF = `(c.kind = 'lobby' OR c.user_low = :reader OR c.user_high = :reader
  OR (c.kind = 'room' AND EXISTS (
    SELECT 1 FROM room_members rm WHERE rm.conversation_id = c.id AND rm.user_id = :reader)))`;

export const ok = Promise.resolve();

/**
 * node:sqlite throws; store verbs report failures as rejected promises, as an async store
 * would, so that a caller's `.catch` sees every failure.
 */
export function rejectingPart<T extends object>(part: T): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, verb] of Object.entries(part)) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        return (verb as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return wrapped as T;
}
