// Sessions: only the SHA-256 of each token is stored.
import type { SessionRow, SessionStore } from "../types.ts";
import type { Db } from "./db.ts";
import { ok, rejectingPart } from "./sql.ts";

type SessionRecord = {
  token_hash: Uint8Array;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
};
const toSession = (row: SessionRecord): SessionRow => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export function sqliteSessions(db: Db): SessionStore {
  const sql = {
    insert: db.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    find: db.prepare("SELECT * FROM sessions WHERE token_hash = ?"),
    touch: db.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"),
    delete: db.prepare("DELETE FROM sessions WHERE token_hash = ?"),
    deleteAllOf: db.prepare(
      "DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ? RETURNING token_hash",
    ),
  };
  return rejectingPart<SessionStore>({
    insert: (s) => {
      sql.insert.run(s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
      return ok;
    },
    find: (tokenHash) => {
      const row = sql.find.get(tokenHash) as SessionRecord | undefined;
      return Promise.resolve(row ? toSession(row) : null);
    },
    touch: (tokenHash, lastSeenAt) => {
      sql.touch.run(lastSeenAt, tokenHash);
      return ok;
    },
    delete: (tokenHash) => {
      sql.delete.run(tokenHash);
      return ok;
    },
    deleteAllOf: (userId, keep) => {
      const rows = sql.deleteAllOf.all(userId, keep ?? null) as { token_hash: Uint8Array }[];
      return Promise.resolve(rows.map((row) => row.token_hash));
    },
  });
}
