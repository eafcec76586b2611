// Conversations: the Lobby (id LOBBY_ID, everyone's), direct ones (two members, lower id first)
// and rooms (their members in room_members: see rooms.ts).
import type {
  ConversationKind,
  ConversationRow,
  ConversationStore,
  RoomRole,
  RoomVisibility,
} from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { asUsers, MEMBER_OF, rejectingPart } from "./sql.ts";

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
const AS_SEEN_BY_READER = `SELECT c.id, c.kind, u.id AS with_id, u.username AS with_name,
    r.name AS room_name, r.topic AS room_topic, r.visibility AS room_visibility, me.role AS room_role
  FROM conversations c
  LEFT JOIN users u ON u.id = CASE WHEN c.user_low = :reader THEN c.user_high ELSE c.user_low END
  LEFT JOIN rooms r ON r.conversation_id = c.id
  LEFT JOIN room_members me ON me.conversation_id = c.id AND me.user_id = :reader`;

export function sqliteConversations(db: Db): ConversationStore {
  const sql = {
    findDirect: db.prepare("SELECT id FROM conversations WHERE user_low = ? AND user_high = ?"),
    createDirect: db.prepare(
      "INSERT INTO conversations (kind, user_low, user_high, created_at) VALUES ('direct', ?, ?, ?) RETURNING id",
    ),
    listFor: db.prepare(`${AS_SEEN_BY_READER} WHERE ${MEMBER_OF} ORDER BY c.id`),
    findFor: db.prepare(`${AS_SEEN_BY_READER} WHERE c.id = :id AND ${MEMBER_OF}`),
    members: db.prepare(
      `SELECT c.kind, lo.id AS low_id, lo.username AS low_name, hi.id AS high_id, hi.username AS high_name
       FROM conversations c LEFT JOIN users lo ON lo.id = c.user_low LEFT JOIN users hi ON hi.id = c.user_high
       WHERE c.id = ?`,
    ),
    roomMembers: db.prepare(
      `SELECT u.id, u.username FROM room_members m JOIN users u ON u.id = m.user_id
       WHERE m.conversation_id = ? ORDER BY m.joined_at, m.user_id`,
    ),
  };
  return rejectingPart<ConversationStore>({
    direct: (a, b, now) => {
      const [low, high] = a < b ? [a, b] : [b, a];
      return Promise.resolve(transaction(db, () => {
        const found = sql.findDirect.get(low, high) as { id: number } | undefined;
        if (found) return { id: found.id, created: false };
        const row = sql.createDirect.get(low, high, now) as { id: number };
        return { id: row.id, created: true };
      }));
    },
    listFor: (userId) =>
      Promise.resolve(
        (sql.listFor.all({ reader: userId }) as ConversationRecord[]).map(toConversation),
      ),
    findFor: (userId, conversationId) => {
      const row = sql.findFor.get({ reader: userId, id: conversationId }) as
        | ConversationRecord
        | undefined;
      return Promise.resolve(row ? toConversation(row) : null);
    },
    members: (conversationId) => {
      const row = sql.members.get(conversationId) as
        | {
          kind: ConversationKind;
          low_id: number | null;
          low_name: string;
          high_id: number;
          high_name: string;
        }
        | undefined;
      if (!row) return Promise.resolve(null);
      if (row.kind === "room") {
        return Promise.resolve({
          kind: row.kind,
          members: asUsers(sql.roomMembers.all(conversationId)),
        });
      }
      const members = row.low_id === null ? [] : [
        { id: row.low_id, username: row.low_name },
        { id: row.high_id, username: row.high_name },
      ];
      return Promise.resolve({ kind: row.kind, members });
    },
  });
}
