// Users: accounts, password hashes, and the presence fields kept with them.
import { LOBBY_ID } from "../../wire.ts";
import type { UserStore, UserWithPassword } from "../types.ts";
import type { Sql } from "./db.ts";

type UserRecord = { id: number; username: string; password_hash: string };
const toUser = (row: UserRecord | undefined): UserWithPassword | null =>
  row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;

export function pgUsers(sql: Sql): UserStore {
  return {
    // A newcomer starts with the Lobby read: its whole past is not "unread" to them.
    create: (username, passwordHash, now) =>
      sql.begin(async (tx) => {
        const [row] = await tx<{ id: number; username: string }[]>`
          INSERT INTO users (username, password_hash, created_at)
          VALUES (${username}, ${passwordHash}, ${now})
          ON CONFLICT (username) DO NOTHING RETURNING id, username`;
        if (!row) return null;
        await tx`INSERT INTO read_positions (user_id, conversation_id, last_read_id)
          SELECT ${row.id}, ${LOBBY_ID}, COALESCE(MAX(id), 0) FROM messages`;
        return { id: row.id, username: row.username };
      }),
    // PostgreSQL text cannot hold NUL, so no name with one exists (and asking must not fail).
    findByName: async (username) =>
      username.includes("\0") ? null : toUser(
        (await sql<UserRecord[]>`
          SELECT id, username, password_hash FROM users WHERE username = ${username}`)[0],
      ),
    findById: async (id) =>
      toUser(
        (await sql<UserRecord[]>`
          SELECT id, username, password_hash FROM users WHERE id = ${id}`)[0],
      ),
    setPasswordHash: async (userId, passwordHash) => {
      await sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${userId}`;
    },
    presenceFields: async (userId) => {
      const [row] = await sql<{ last_seen_at: number | null; appear_offline: boolean }[]>`
        SELECT last_seen_at, appear_offline FROM users WHERE id = ${userId}`;
      return { lastSeenAt: row?.last_seen_at ?? null, appearOffline: row?.appear_offline ?? false };
    },
    setLastSeen: async (userId, at) => {
      await sql`UPDATE users SET last_seen_at = ${at} WHERE id = ${userId}`;
    },
    setAppearOffline: async (userId, appearOffline) => {
      await sql`UPDATE users SET appear_offline = ${appearOffline} WHERE id = ${userId}`;
    },
    sendsReceipts: async (userId) => {
      const [row] = await sql<{ send_receipts: boolean }[]>`
        SELECT send_receipts FROM users WHERE id = ${userId}`;
      return row?.send_receipts ?? true;
    },
    setSendsReceipts: async (userId, on) => {
      await sql`UPDATE users SET send_receipts = ${on} WHERE id = ${userId}`;
    },
  };
}
