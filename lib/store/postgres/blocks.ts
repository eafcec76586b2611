// Blocks: a block ends the friendship and any requests between the two.
import type { BlockStore, User } from "../types.ts";
import type { Sql } from "./db.ts";

export function pgBlocks(sql: Sql): BlockStore {
  return {
    blockedBy: async (blocker) => [
      ...await sql<User[]>`SELECT u.id, u.username FROM blocks b
        JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ${blocker} ORDER BY u.username`,
    ],
    all: async () => {
      const rows = await sql<{ blocker_id: number; blocked_id: number }[]>`
        SELECT blocker_id, blocked_id FROM blocks`;
      return rows.map((row): [number, number] => [row.blocker_id, row.blocked_id]);
    },
    block: async (a, b, now) => {
      await sql.begin(async (tx) => {
        await tx`INSERT INTO blocks (blocker_id, blocked_id, created_at)
          VALUES (${a}, ${b}, ${now}) ON CONFLICT DO NOTHING`;
        await tx`DELETE FROM friendships
          WHERE (user_id = ${a} AND friend_id = ${b}) OR (user_id = ${b} AND friend_id = ${a})`;
        await tx`DELETE FROM friend_requests
          WHERE (from_id = ${a} AND to_id = ${b}) OR (from_id = ${b} AND to_id = ${a})`;
      });
    },
    unblock: async (a, b) =>
      (await sql`DELETE FROM blocks WHERE blocker_id = ${a} AND blocked_id = ${b}`).count > 0,
  };
}
