// Conversations: the Lobby (id LOBBY_ID, everyone's), direct ones (two members, lower id first)
// and rooms (their members in room_members: see rooms.ts).
import type {
  ConversationKind,
  ConversationRow,
  ConversationStore,
  RoomRole,
  RoomVisibility,
  User,
} from "../types.ts";
import type { Sql } from "./db.ts";
import { memberOf } from "./sql.ts";

type ConversationRecord = {
  id: number;
  kind: ConversationKind;
  with_id: number | null;
  with_name: string | null;
  room_name: string | null;
  room_topic: string;
  room_visibility: RoomVisibility;
  room_role: RoomRole;
};
const toConversation = (row: ConversationRecord): ConversationRow => ({
  id: row.id,
  kind: row.kind,
  with: row.with_id === null ? null : { id: row.with_id, username: row.with_name! },
  room: row.room_name === null ? null : {
    name: row.room_name,
    topic: row.room_topic,
    visibility: row.room_visibility,
    role: row.room_role,
  },
});

export function pgConversations(sql: Sql): ConversationStore {
  const asSeenBy = (reader: number) =>
    sql`SELECT c.id, c.kind, u.id AS with_id, u.username AS with_name, r.name AS room_name,
        r.topic AS room_topic, r.visibility AS room_visibility, me.role AS room_role
      FROM conversations c
      LEFT JOIN users u
        ON u.id = CASE WHEN c.user_low = ${reader} THEN c.user_high ELSE c.user_low END
      LEFT JOIN rooms r ON r.conversation_id = c.id
      LEFT JOIN room_members me ON me.conversation_id = c.id AND me.user_id = ${reader}`;
  return {
    direct: async (a, b, now) => {
      const [low, high] = a < b ? [a, b] : [b, a];
      // Two instances opening it at once: one inserts, the other finds the row it made.
      const [created] = await sql<{ id: number }[]>`
        INSERT INTO conversations (kind, user_low, user_high, created_at)
        VALUES ('direct', ${low}, ${high}, ${now})
        ON CONFLICT (user_low, user_high) DO NOTHING RETURNING id`;
      if (created) return { id: created.id, created: true };
      const [found] = await sql<{ id: number }[]>`
        SELECT id FROM conversations WHERE user_low = ${low} AND user_high = ${high}`;
      return { id: found.id, created: false };
    },
    listFor: async (userId) =>
      (await sql<ConversationRecord[]>`${asSeenBy(userId)} WHERE ${memberOf(sql, userId)}
        ORDER BY c.id`).map(toConversation),
    findFor: async (userId, conversationId) => {
      const [row] = await sql<ConversationRecord[]>`${asSeenBy(userId)}
        WHERE c.id = ${conversationId} AND ${memberOf(sql, userId)}`;
      return row ? toConversation(row) : null;
    },
    members: async (conversationId) => {
      const [row] = await sql<
        {
          kind: ConversationKind;
          low_id: number | null;
          low_name: string;
          high_id: number;
          high_name: string;
        }[]
      >`SELECT c.kind, lo.id AS low_id, lo.username AS low_name, hi.id AS high_id,
          hi.username AS high_name
        FROM conversations c LEFT JOIN users lo ON lo.id = c.user_low
        LEFT JOIN users hi ON hi.id = c.user_high WHERE c.id = ${conversationId}`;
      if (!row) return null;
      if (row.kind === "room") {
        const members = await sql<User[]>`SELECT u.id, u.username FROM room_members m
          JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ${conversationId}
          ORDER BY m.joined_at, m.user_id`;
        return { kind: row.kind, members: members.map(({ id, username }) => ({ id, username })) };
      }
      const members = row.low_id === null ? [] : [
        { id: row.low_id, username: row.low_name },
        { id: row.high_id, username: row.high_name },
      ];
      return { kind: row.kind, members };
    },
  };
}
