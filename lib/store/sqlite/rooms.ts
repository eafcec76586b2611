// Rooms and their members. A change to who is in a room runs in one transaction with what it
// must keep true: the caps, one owner while there are members, no room without members. On
// the one connection of this store a transaction is never interleaved with another.
import type {
  PublicRoom,
  RoomMember,
  RoomRole,
  RoomRow,
  RoomStore,
  RoomVisibility,
} from "../types.ts";
import { containing, reached } from "../schema.ts";
import { type Db, transaction } from "./db.ts";
import { rejectingPart } from "./sql.ts";

type RoomRecord = {
  conversation_id: number;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  created_by: number | null;
  created_at: number;
};
type MemberRecord = { id: number; username: string; role: RoomRole; joined_at: number };

const toRoom = (row: RoomRecord): RoomRow => ({
  id: row.conversation_id,
  name: row.name,
  topic: row.topic,
  visibility: row.visibility,
  createdBy: row.created_by,
  createdAt: row.created_at,
});
const toMember = (row: MemberRecord): RoomMember => ({
  id: row.id,
  username: row.username,
  role: row.role,
  joinedAt: row.joined_at,
});

export function sqliteRooms(db: Db): RoomStore {
  const MEMBERS = `SELECT u.id, u.username, m.role, m.joined_at FROM room_members m
    JOIN users u ON u.id = m.user_id`;
  const sql = {
    createConversation: db.prepare(
      "INSERT INTO conversations (kind, created_at) VALUES ('room', ?) RETURNING id",
    ),
    createRoom: db.prepare(
      `INSERT INTO rooms (conversation_id, name, topic, visibility, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    find: db.prepare("SELECT * FROM rooms WHERE conversation_id = ?"),
    update: db.prepare(
      `UPDATE rooms SET name = COALESCE(:name, name), topic = COALESCE(:topic, topic)
       WHERE conversation_id = :id RETURNING *`,
    ),
    delete: db.prepare("DELETE FROM conversations WHERE id = ? AND kind = 'room'"),
    members: db.prepare(`${MEMBERS} WHERE m.conversation_id = ? ORDER BY m.joined_at, m.user_id`),
    member: db.prepare(`${MEMBERS} WHERE m.conversation_id = ? AND m.user_id = ?`),
    roomIdsOf: db.prepare(
      "SELECT conversation_id FROM room_members WHERE user_id = ? ORDER BY conversation_id",
    ),
    // joined_at strictly increases within a room: who joined first never depends on the clock.
    insertMember: db.prepare(
      `INSERT INTO room_members (conversation_id, user_id, role, joined_at)
       VALUES (:room, :user, :role, MAX(:now, (SELECT COALESCE(MAX(joined_at) + 1, 0)
         FROM room_members WHERE conversation_id = :room)))`,
    ),
    // A new member has read what was said before they came.
    startRead: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id)
       VALUES (:user, :room, (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = :room))
       ON CONFLICT DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)`,
    ),
    forgetRead: db.prepare("DELETE FROM read_positions WHERE user_id = ? AND conversation_id = ?"),
    setRole: db.prepare(
      `UPDATE room_members SET role = ? WHERE conversation_id = ? AND user_id = ? AND role != 'owner'`,
    ),
    makeOwner: db.prepare(
      "UPDATE room_members SET role = 'owner' WHERE conversation_id = ? AND user_id = ?",
    ),
    removeMember: db.prepare(
      "DELETE FROM room_members WHERE conversation_id = ? AND user_id = ? RETURNING role",
    ),
    // The longest-standing admin, else the longest-standing member.
    successor: db.prepare(
      `SELECT user_id FROM room_members WHERE conversation_id = ?
       ORDER BY role = 'admin' DESC, joined_at, user_id LIMIT 1`,
    ),
    countMembers: db.prepare("SELECT COUNT(*) AS n FROM room_members WHERE conversation_id = ?"),
    countJoined: db.prepare("SELECT COUNT(*) AS n FROM room_members WHERE user_id = ?"),
    countCreated: db.prepare("SELECT COUNT(*) AS n FROM rooms WHERE created_by = ?"),
    listPublic: db.prepare(
      `SELECT r.*, (SELECT COUNT(*) FROM room_members m WHERE m.conversation_id = r.conversation_id)
         AS member_count
       FROM rooms r WHERE r.visibility = 'public'
         AND (r.name LIKE :pattern ESCAPE '\\' OR r.topic LIKE :pattern ESCAPE '\\')
       ORDER BY member_count DESC, r.name, r.conversation_id LIMIT :limit`,
    ),
  };
  const count = (statement: { get(...args: number[]): unknown }, id: number) =>
    (statement.get(id) as { n: number }).n;
  const member = (conversationId: number, userId: number) => {
    const row = sql.member.get(conversationId, userId) as MemberRecord | undefined;
    return row ? toMember(row) : null;
  };
  const join = (conversationId: number, userId: number, role: RoomRole, now: number) => {
    sql.insertMember.run({ room: conversationId, user: userId, role, now });
    sql.startRead.run({ user: userId, room: conversationId });
  };

  return rejectingPart<RoomStore>({
    create: (room, now, caps = {}) =>
      Promise.resolve(transaction(db, () => {
        const creator = room.createdBy;
        if (reached(caps.createdPerUser, count(sql.countCreated, creator))) {
          return "too_many_created" as const;
        }
        if (reached(caps.roomsPerUser, count(sql.countJoined, creator))) {
          return "too_many_rooms" as const;
        }
        const { id } = sql.createConversation.get(now) as { id: number };
        const row = sql.createRoom.get(id, room.name, room.topic, room.visibility, creator, now);
        join(id, creator, "owner", now);
        return toRoom(row as RoomRecord);
      })),
    find: (conversationId) => {
      const row = sql.find.get(conversationId) as RoomRecord | undefined;
      return Promise.resolve(row ? toRoom(row) : null);
    },
    update: (conversationId, changes) => {
      const row = sql.update.get({
        id: conversationId,
        name: changes.name ?? null,
        topic: changes.topic ?? null,
      }) as RoomRecord | undefined;
      return Promise.resolve(row ? toRoom(row) : null);
    },
    delete: (conversationId) => Promise.resolve(Number(sql.delete.run(conversationId).changes) > 0),
    members: (conversationId) =>
      Promise.resolve((sql.members.all(conversationId) as MemberRecord[]).map(toMember)),
    member: (conversationId, userId) => Promise.resolve(member(conversationId, userId)),
    roomIdsOf: (userId) =>
      Promise.resolve(
        (sql.roomIdsOf.all(userId) as { conversation_id: number }[]).map((r) => r.conversation_id),
      ),
    add: (conversationId, userId, role, now, caps = {}) =>
      Promise.resolve(transaction(db, () => {
        if (!sql.find.get(conversationId)) return "no_room" as const;
        if (member(conversationId, userId)) return "already_member" as const;
        if (reached(caps.membersPerRoom, count(sql.countMembers, conversationId))) {
          return "room_full" as const;
        }
        if (reached(caps.roomsPerUser, count(sql.countJoined, userId))) {
          return "too_many_rooms" as const;
        }
        join(conversationId, userId, role, now);
        return "added" as const;
      })),
    setRole: (conversationId, userId, role) =>
      Promise.resolve(Number(sql.setRole.run(role, conversationId, userId).changes) > 0),
    leave: (conversationId, userId) =>
      Promise.resolve(transaction(db, () => {
        const gone = sql.removeMember.get(conversationId, userId) as { role: RoomRole } | undefined;
        if (!gone) return { left: false, newOwner: null, deleted: false };
        sql.forgetRead.run(userId, conversationId);
        if (count(sql.countMembers, conversationId) === 0) {
          sql.delete.run(conversationId);
          return { left: true, newOwner: null, deleted: true };
        }
        if (gone.role !== "owner") return { left: true, newOwner: null, deleted: false };
        const { user_id } = sql.successor.get(conversationId) as { user_id: number };
        sql.makeOwner.run(conversationId, user_id);
        return { left: true, newOwner: member(conversationId, user_id), deleted: false };
      })),
    listPublic: (query, limit) =>
      Promise.resolve(
        (sql.listPublic.all({ pattern: containing(query), limit }) as (
          RoomRecord & { member_count: number }
        )[]).map((row): PublicRoom => ({ ...toRoom(row), memberCount: row.member_count })),
      ),
    countCreatedBy: (userId) => Promise.resolve(count(sql.countCreated, userId)),
    countJoinedBy: (userId) => Promise.resolve(count(sql.countJoined, userId)),
    countMembers: (conversationId) => Promise.resolve(count(sql.countMembers, conversationId)),
  });
}
