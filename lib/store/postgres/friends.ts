// Friendships (stored both ways round, so either side is one index probe) and requests.
import type { FriendStore, User } from "../types.ts";
import type { Sql } from "./db.ts";

export function pgFriends(sql: Sql): FriendStore {
  return {
    friendsOf: async (userId) => {
      const rows = await sql<
        { id: number; username: string; last_seen_at: number | null; appear_offline: boolean }[]
      >`SELECT u.id, u.username, u.last_seen_at, u.appear_offline FROM friendships f
        JOIN users u ON u.id = f.friend_id WHERE f.user_id = ${userId} ORDER BY u.username`;
      return rows.map((row) => ({
        id: row.id,
        username: row.username,
        lastSeenAt: row.last_seen_at,
        appearOffline: row.appear_offline,
      }));
    },
    incoming: async (userId) => [
      ...await sql<User[]>`SELECT u.id, u.username FROM friend_requests r
        JOIN users u ON u.id = r.from_id WHERE r.to_id = ${userId} ORDER BY r.created_at, r.from_id`,
    ],
    outgoing: async (userId) => [
      ...await sql<User[]>`SELECT u.id, u.username FROM friend_requests r
        JOIN users u ON u.id = r.to_id WHERE r.from_id = ${userId} ORDER BY r.created_at, r.to_id`,
    ],
    relationship: async (a, b) => {
      const [row] = await sql<Record<string, boolean>[]>`SELECT
        EXISTS (SELECT 1 FROM friendships WHERE user_id = ${a} AND friend_id = ${b}) AS friends,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = ${a} AND to_id = ${b}) AS a_asked_b,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = ${b} AND to_id = ${a}) AS b_asked_a,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${a} AND blocked_id = ${b}) AS a_blocked_b,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${b} AND blocked_id = ${a}) AS b_blocked_a`;
      return {
        friends: row.friends,
        aAskedB: row.a_asked_b,
        bAskedA: row.b_asked_a,
        aBlockedB: row.a_blocked_b,
        bBlockedA: row.b_blocked_a,
      };
    },
    areFriends: async (a, b) =>
      (await sql`SELECT 1 FROM friendships WHERE user_id = ${a} AND friend_id = ${b}`).length > 0,
    request: async (from, to, now) => {
      await sql`INSERT INTO friend_requests (from_id, to_id, created_at)
        VALUES (${from}, ${to}, ${now}) ON CONFLICT DO NOTHING`;
    },
    deleteRequest: async (from, to) =>
      (await sql`DELETE FROM friend_requests WHERE from_id = ${from} AND to_id = ${to}`).count > 0,
    befriend: async (a, b, now) => {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM friend_requests
          WHERE (from_id = ${a} AND to_id = ${b}) OR (from_id = ${b} AND to_id = ${a})`;
        await tx`INSERT INTO friendships (user_id, friend_id, created_at)
          VALUES (${a}, ${b}, ${now}), (${b}, ${a}, ${now}) ON CONFLICT DO NOTHING`;
      });
    },
    unfriend: (a, b) =>
      sql.begin(async (tx) => {
        const removed = await tx`DELETE FROM friendships
          WHERE (user_id = ${a} AND friend_id = ${b}) OR (user_id = ${b} AND friend_id = ${a})`;
        return removed.count > 0;
      }),
  };
}
