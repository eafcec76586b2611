// Users: accounts, password hashes, and the presence fields kept with them.
import { LOBBY_ID } from "../../wire.ts";
import type { User, UserStore, UserWithPassword } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { ok, rejectingPart } from "./sql.ts";

type UserRecord = { id: number; username: string; password_hash: string };
const toUser = (row: UserRecord): UserWithPassword => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
});

export function sqliteUsers(db: Db): UserStore {
  const sql = {
    insert: db.prepare(
      "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id, username",
    ),
    startLobbyRead: db.prepare(
      `INSERT INTO read_positions (user_id, conversation_id, last_read_id) SELECT ?, ${LOBBY_ID}, COALESCE(MAX(id), 0) FROM messages`,
    ),
    byName: db.prepare("SELECT id, username, password_hash FROM users WHERE username = ?"),
    byId: db.prepare("SELECT id, username, password_hash FROM users WHERE id = ?"),
    setPassword: db.prepare("UPDATE users SET password_hash = ? WHERE id = ?"),
    presence: db.prepare("SELECT last_seen_at, appear_offline FROM users WHERE id = ?"),
    setLastSeen: db.prepare("UPDATE users SET last_seen_at = ? WHERE id = ?"),
    setAppearOffline: db.prepare("UPDATE users SET appear_offline = ? WHERE id = ?"),
    receipts: db.prepare("SELECT send_receipts FROM users WHERE id = ?"),
    setReceipts: db.prepare("UPDATE users SET send_receipts = ? WHERE id = ?"),
  };
  const found = (row: unknown) => Promise.resolve(row ? toUser(row as UserRecord) : null);
  return rejectingPart<UserStore>({
    // A newcomer starts with the Lobby read: its whole past is not "unread" to them.
    create: (username, passwordHash, now) =>
      Promise.resolve(transaction(db, () => {
        const row = sql.insert.get(username, passwordHash, now) as User | undefined;
        if (!row) return null;
        sql.startLobbyRead.run(row.id);
        return { id: row.id, username: row.username };
      })),
    findByName: (username) => found(sql.byName.get(username)),
    findById: (id) => found(sql.byId.get(id)),
    setPasswordHash: (userId, passwordHash) => {
      sql.setPassword.run(passwordHash, userId);
      return ok;
    },
    presenceFields: (userId) => {
      const row = sql.presence.get(userId) as
        | { last_seen_at: number | null; appear_offline: number }
        | undefined;
      return Promise.resolve({
        lastSeenAt: row?.last_seen_at ?? null,
        appearOffline: row?.appear_offline === 1,
      });
    },
    setLastSeen: (userId, at) => {
      sql.setLastSeen.run(at, userId);
      return ok;
    },
    setAppearOffline: (userId, appearOffline) => {
      sql.setAppearOffline.run(appearOffline ? 1 : 0, userId);
      return ok;
    },
    sendsReceipts: (userId) => {
      const row = sql.receipts.get(userId) as { send_receipts: number } | undefined;
      return Promise.resolve(row?.send_receipts !== 0);
    },
    setSendsReceipts: (userId, on) => {
      sql.setReceipts.run(on ? 1 : 0, userId);
      return ok;
    },
  });
}
