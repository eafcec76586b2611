// Rooms and their members. A change to who is in a room runs in one transaction with what it
// must keep true: the caps, one owner while there are members, no room without members. Such
// transactions first lock the room's row, then the user's (always in that order, so two never
// wait for each other), FOR NO KEY UPDATE: they take turns with each other, while messages and
// memberships referring to those rows (which only take KEY SHARE) carry on.
import type {
  PublicRoom,
  RoomMember,
  RoomRole,
  RoomRow,
  RoomStore,
  RoomVisibility,
} from "../types.ts";
import { containing, reached } from "../schema.ts";
import type postgres from "postgres";
import type { Sql } from "./db.ts";

type Tx = postgres.TransactionSql;

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

export function pgRooms(sql: Sql): RoomStore {
  const members = (q: Sql | Tx, conversationId: number, userId?: number) =>
    q<MemberRecord[]>`SELECT u.id, u.username, m.role, m.joined_at FROM room_members m
      JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ${conversationId}
      ${userId === undefined ? q`` : q`AND m.user_id = ${userId}`}
      ORDER BY m.joined_at, m.user_id`;
  const countOf = async (rows: Promise<{ n: number }[]>) => (await rows)[0].n;
  const joinedBy = (q: Sql | Tx, userId: number) =>
    countOf(q`SELECT COUNT(*) AS n FROM room_members WHERE user_id = ${userId}`);
  const createdBy = (q: Sql | Tx, userId: number) =>
    countOf(q`SELECT COUNT(*) AS n FROM rooms WHERE created_by = ${userId}`);
  const membersOf = (q: Sql | Tx, conversationId: number) =>
    countOf(q`SELECT COUNT(*) AS n FROM room_members WHERE conversation_id = ${conversationId}`);
  const lockUser = (tx: Tx, userId: number) =>
    tx`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
  const lockRoom = async (tx: Tx, conversationId: number) =>
    (await tx`SELECT 1 FROM rooms WHERE conversation_id = ${conversationId} FOR NO KEY UPDATE`)
      .length > 0;
  const join = async (
    tx: Tx,
    conversationId: number,
    userId: number,
    role: RoomRole,
    now: number,
  ) => {
    // joined_at strictly increases within a room (whose row this transaction holds): who
    // joined first never depends on the clock.
    await tx`INSERT INTO room_members (conversation_id, user_id, role, joined_at)
      SELECT ${conversationId}, ${userId}, ${role},
        GREATEST(${now}::bigint, COALESCE(MAX(joined_at) + 1, 0))
      FROM room_members WHERE conversation_id = ${conversationId}`;
    // A new member has read what was said before they came.
    await tx`INSERT INTO read_positions AS r (user_id, conversation_id, last_read_id)
      SELECT ${userId}, ${conversationId}, COALESCE(MAX(id), 0) FROM messages
      WHERE conversation_id = ${conversationId}
      ON CONFLICT (user_id, conversation_id)
      DO UPDATE SET last_read_id = GREATEST(r.last_read_id, excluded.last_read_id)`;
  };

  return {
    create: (room, now, caps = {}) =>
      sql.begin(async (tx) => {
        const creator = room.createdBy;
        await lockUser(tx, creator);
        if (reached(caps.createdPerUser, await createdBy(tx, creator))) {
          return "too_many_created" as const;
        }
        if (reached(caps.roomsPerUser, await joinedBy(tx, creator))) {
          return "too_many_rooms" as const;
        }
        const [{ id }] = await tx<{ id: number }[]>`
          INSERT INTO conversations (kind, created_at) VALUES ('room', ${now}) RETURNING id`;
        const [row] = await tx<RoomRecord[]>`
          INSERT INTO rooms (conversation_id, name, topic, visibility, created_by, created_at)
          VALUES (${id}, ${room.name}, ${room.topic}, ${room.visibility}, ${creator}, ${now})
          RETURNING *`;
        await join(tx, id, creator, "owner", now);
        return toRoom(row);
      }),
    find: async (conversationId) => {
      const [row] = await sql<RoomRecord[]>`
        SELECT * FROM rooms WHERE conversation_id = ${conversationId}`;
      return row ? toRoom(row) : null;
    },
    update: async (conversationId, changes) => {
      const [row] = await sql<RoomRecord[]>`UPDATE rooms
        SET name = COALESCE(${changes.name ?? null}::text, name),
          topic = COALESCE(${changes.topic ?? null}::text, topic)
        WHERE conversation_id = ${conversationId} RETURNING *`;
      return row ? toRoom(row) : null;
    },
    delete: async (conversationId) =>
      (await sql`DELETE FROM conversations WHERE id = ${conversationId} AND kind = 'room'`)
        .count > 0,
    members: async (conversationId) => (await members(sql, conversationId)).map(toMember),
    member: async (conversationId, userId) => {
      const [row] = await members(sql, conversationId, userId);
      return row ? toMember(row) : null;
    },
    roomIdsOf: async (userId) =>
      (await sql<{ conversation_id: number }[]>`SELECT conversation_id FROM room_members
        WHERE user_id = ${userId} ORDER BY conversation_id`).map((r) => r.conversation_id),
    add: (conversationId, userId, role, now, caps = {}) =>
      sql.begin(async (tx) => {
        if (!(await lockRoom(tx, conversationId))) return "no_room" as const;
        await lockUser(tx, userId);
        if ((await members(tx, conversationId, userId)).length) return "already_member" as const;
        if (reached(caps.membersPerRoom, await membersOf(tx, conversationId))) {
          return "room_full" as const;
        }
        if (reached(caps.roomsPerUser, await joinedBy(tx, userId))) {
          return "too_many_rooms" as const;
        }
        await join(tx, conversationId, userId, role, now);
        return "added" as const;
      }),
    setRole: async (conversationId, userId, role) =>
      (await sql`UPDATE room_members SET role = ${role} WHERE conversation_id = ${conversationId}
        AND user_id = ${userId} AND role != 'owner'`).count > 0,
    leave: (conversationId, userId) =>
      sql.begin(async (tx) => {
        const nothing = { left: false, newOwner: null, deleted: false };
        if (!(await lockRoom(tx, conversationId))) return nothing;
        const [gone] = await tx<{ role: RoomRole }[]>`DELETE FROM room_members
          WHERE conversation_id = ${conversationId} AND user_id = ${userId} RETURNING role`;
        if (!gone) return nothing;
        await tx`DELETE FROM read_positions
          WHERE user_id = ${userId} AND conversation_id = ${conversationId}`;
        // The longest-standing admin, else the longest-standing member.
        const [next] = await tx<{ user_id: number }[]>`SELECT user_id FROM room_members
          WHERE conversation_id = ${conversationId}
          ORDER BY (role = 'admin') DESC, joined_at, user_id LIMIT 1`;
        if (!next) {
          await tx`DELETE FROM conversations WHERE id = ${conversationId}`;
          return { left: true, newOwner: null, deleted: true };
        }
        if (gone.role !== "owner") return { left: true, newOwner: null, deleted: false };
        await tx`UPDATE room_members SET role = 'owner'
          WHERE conversation_id = ${conversationId} AND user_id = ${next.user_id}`;
        const [owner] = await members(tx, conversationId, next.user_id);
        return { left: true, newOwner: toMember(owner), deleted: false };
      }),
    listPublic: async (query, limit) => {
      const pattern = containing(query);
      const rows = await sql<(RoomRecord & { member_count: number })[]>`SELECT r.*,
          (SELECT COUNT(*) FROM room_members m WHERE m.conversation_id = r.conversation_id)
            AS member_count
        FROM rooms r WHERE r.visibility = 'public'
          AND (r.name ILIKE ${pattern} ESCAPE '\\' OR r.topic ILIKE ${pattern} ESCAPE '\\')
        ORDER BY member_count DESC, r.name, r.conversation_id LIMIT ${limit}`;
      return rows.map((row): PublicRoom => ({ ...toRoom(row), memberCount: row.member_count }));
    },
    countCreatedBy: (userId) => createdBy(sql, userId),
    countJoinedBy: (userId) => joinedBy(sql, userId),
    countMembers: (conversationId) => membersOf(sql, conversationId),
  };
}
