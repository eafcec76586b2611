// Friendships (stored both ways round, so either side is one index probe) and requests.
import type { FriendStore, Relationship } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { asUsers, ok, rejectingPart } from "./sql.ts";

export function sqliteFriends(db: Db): FriendStore {
  const sql = {
    friends: db.prepare(
      `SELECT u.id, u.username, u.last_seen_at, u.appear_offline FROM friendships f
       JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.username`,
    ),
    incoming: db.prepare(
      "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ? ORDER BY r.created_at",
    ),
    outgoing: db.prepare(
      "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ? ORDER BY r.created_at",
    ),
    areFriends: db.prepare("SELECT 1 AS yes FROM friendships WHERE user_id = ? AND friend_id = ?"),
    relationship: db.prepare(
      `SELECT
        EXISTS (SELECT 1 FROM friendships WHERE user_id = :a AND friend_id = :b) AS friends,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = :a AND to_id = :b) AS a_asked_b,
        EXISTS (SELECT 1 FROM friend_requests WHERE from_id = :b AND to_id = :a) AS b_asked_a,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :a AND blocked_id = :b) AS a_blocked_b,
        EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :b AND blocked_id = :a) AS b_blocked_a`,
    ),
    addRequest: db.prepare(
      "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    deleteRequest: db.prepare("DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?"),
    addFriendship: db.prepare(
      "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    deleteFriendship: db.prepare("DELETE FROM friendships WHERE user_id = ? AND friend_id = ?"),
  };
  return rejectingPart<FriendStore>({
    friendsOf: (userId) => {
      const rows = sql.friends.all(userId) as {
        id: number;
        username: string;
        last_seen_at: number | null;
        appear_offline: number;
      }[];
      return Promise.resolve(rows.map((row) => ({
        id: row.id,
        username: row.username,
        lastSeenAt: row.last_seen_at,
        appearOffline: row.appear_offline === 1,
      })));
    },
    incoming: (userId) => Promise.resolve(asUsers(sql.incoming.all(userId))),
    outgoing: (userId) => Promise.resolve(asUsers(sql.outgoing.all(userId))),
    relationship: (a, b) => {
      const row = sql.relationship.get({ a, b }) as Record<string, number>;
      const relationship: Relationship = {
        friends: row.friends === 1,
        aAskedB: row.a_asked_b === 1,
        bAskedA: row.b_asked_a === 1,
        aBlockedB: row.a_blocked_b === 1,
        bBlockedA: row.b_blocked_a === 1,
      };
      return Promise.resolve(relationship);
    },
    areFriends: (a, b) => Promise.resolve(sql.areFriends.get(a, b) !== undefined),
    request: (from, to, now) => {
      sql.addRequest.run(from, to, now);
      return ok;
    },
    deleteRequest: (from, to) =>
      Promise.resolve(Number(sql.deleteRequest.run(from, to).changes) > 0),
    befriend: (a, b, now) => {
      transaction(db, () => {
        sql.deleteRequest.run(a, b);
        sql.deleteRequest.run(b, a);
        sql.addFriendship.run(a, b, now);
        sql.addFriendship.run(b, a, now);
      });
      return ok;
    },
    unfriend: (a, b) =>
      Promise.resolve(transaction(db, () => {
        const removed = Number(sql.deleteFriendship.run(a, b).changes) > 0;
        sql.deleteFriendship.run(b, a);
        return removed;
      })),
  });
}
