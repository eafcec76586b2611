// Blocks: a block ends the friendship and any requests between the two.
import type { BlockStore } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { asUsers, ok, rejectingPart } from "./sql.ts";

export function sqliteBlocks(db: Db): BlockStore {
  const sql = {
    blockedBy: db.prepare(
      "SELECT u.id, u.username FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? ORDER BY u.username",
    ),
    all: db.prepare("SELECT blocker_id, blocked_id FROM blocks"),
    add: db.prepare(
      "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    delete: db.prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?"),
    deleteFriendship: db.prepare("DELETE FROM friendships WHERE user_id = ? AND friend_id = ?"),
    deleteRequest: db.prepare("DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?"),
  };
  return rejectingPart<BlockStore>({
    blockedBy: (blocker) => Promise.resolve(asUsers(sql.blockedBy.all(blocker))),
    all: () => {
      const rows = sql.all.all() as { blocker_id: number; blocked_id: number }[];
      return Promise.resolve(rows.map((row): [number, number] => [row.blocker_id, row.blocked_id]));
    },
    block: (a, b, now) => {
      transaction(db, () => {
        sql.add.run(a, b, now);
        sql.deleteFriendship.run(a, b);
        sql.deleteFriendship.run(b, a);
        sql.deleteRequest.run(a, b);
        sql.deleteRequest.run(b, a);
      });
      return ok;
    },
    unblock: (a, b) => Promise.resolve(Number(sql.delete.run(a, b).changes) > 0),
  });
}
