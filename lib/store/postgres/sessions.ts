// Sessions: only the SHA-256 of each token is stored.
import { Buffer } from "node:buffer";
import type { SessionRow, SessionStore } from "../types.ts";
import type { Sql } from "./db.ts";

type SessionRecord = {
  token_hash: Uint8Array;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
};
const toSession = (row: SessionRecord): SessionRow => ({
  tokenHash: new Uint8Array(row.token_hash),
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});
// postgres sends a Buffer as bytea; a plain Uint8Array would go as text.
const bytes = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength);

export function pgSessions(sql: Sql): SessionStore {
  return {
    insert: async (s) => {
      await sql`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
        VALUES (${
        bytes(s.tokenHash)
      }, ${s.userId}, ${s.createdAt}, ${s.lastSeenAt}, ${s.expiresAt})`;
    },
    find: async (tokenHash) => {
      const [row] = await sql<SessionRecord[]>`
        SELECT * FROM sessions WHERE token_hash = ${bytes(tokenHash)}`;
      return row ? toSession(row) : null;
    },
    touch: async (tokenHash, lastSeenAt) => {
      await sql`UPDATE sessions SET last_seen_at = ${lastSeenAt}
        WHERE token_hash = ${bytes(tokenHash)}`;
    },
    delete: async (tokenHash) => {
      await sql`DELETE FROM sessions WHERE token_hash = ${bytes(tokenHash)}`;
    },
    deleteAllOf: async (userId, keep) => {
      const rows = await sql<{ token_hash: Uint8Array }[]>`
        DELETE FROM sessions WHERE user_id = ${userId}
        AND token_hash IS DISTINCT FROM ${keep ? bytes(keep) : null} RETURNING token_hash`;
      return rows.map((row) => new Uint8Array(row.token_hash));
    },
  };
}
