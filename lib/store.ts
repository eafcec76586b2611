// The storage boundary: domain verbs over the embedded SQLite database.
// A PostgreSQL store will implement the same interface for bigger deployments,
// which is why every verb returns a promise.
import { backup } from "node:sqlite";
import { type Db, openDatabase } from "./db.ts";

export type User = { id: number; username: string };
export type UserWithPassword = User & { passwordHash: string };
export type SessionRow = {
  tokenHash: Uint8Array;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
};

export type Store = {
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** Writes a consistent copy of the live database to a new file. */
  backupTo(path: string): Promise<void>;
  close(): void;

  /** Creates a user; null when the (normalized) name is taken. */
  createUser(username: string, passwordHash: string, now: number): Promise<User | null>;
  findUserByName(username: string): Promise<UserWithPassword | null>;
  findUserById(id: number): Promise<UserWithPassword | null>;
  setPasswordHash(userId: number, passwordHash: string): Promise<void>;

  insertSession(session: SessionRow): Promise<void>;
  findSession(tokenHash: Uint8Array): Promise<SessionRow | null>;
  touchSession(tokenHash: Uint8Array, lastSeenAt: number): Promise<void>;
  deleteSession(tokenHash: Uint8Array): Promise<void>;
  /** Deletes every session of a user but the one kept; returns the deleted token hashes. */
  deleteSessionsOfUser(userId: number, keep?: Uint8Array): Promise<Uint8Array[]>;
};

type UserRecord = { id: number; username: string; password_hash: string };
type SessionRecord = {
  token_hash: Uint8Array;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
};

const toUser = (row: UserRecord): UserWithPassword => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
});
const toSession = (row: SessionRecord): SessionRow => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export function openSqliteStore(path: string): Store {
  const db: Db = openDatabase(path);
  const sql = {
    ping: db.prepare("SELECT 1 AS ok"),
    insertUser: db.prepare(
      "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id, username",
    ),
    userByName: db.prepare("SELECT id, username, password_hash FROM users WHERE username = ?"),
    userById: db.prepare("SELECT id, username, password_hash FROM users WHERE id = ?"),
    setPassword: db.prepare("UPDATE users SET password_hash = ? WHERE id = ?"),
    insertSession: db.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    session: db.prepare("SELECT * FROM sessions WHERE token_hash = ?"),
    touchSession: db.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE token_hash = ?"),
    deleteSessionsOfUser: db.prepare(
      "DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ? RETURNING token_hash",
    ),
  };
  const done = Promise.resolve();
  return {
    ping: () => {
      try {
        return Promise.resolve((sql.ping.get() as { ok: number }).ok === 1);
      } catch {
        return Promise.resolve(false);
      }
    },
    // SQLite's online backup API copies a consistent snapshot while writers go on.
    backupTo: async (target) => {
      await backup(db, target);
    },
    close: () => {
      if (db.isOpen) db.close();
    },

    createUser: (username, passwordHash, now) => {
      const row = sql.insertUser.get(username, passwordHash, now) as User | undefined;
      return Promise.resolve(row ? { id: row.id, username: row.username } : null);
    },
    findUserByName: (username) => {
      const row = sql.userByName.get(username) as UserRecord | undefined;
      return Promise.resolve(row ? toUser(row) : null);
    },
    findUserById: (id) => {
      const row = sql.userById.get(id) as UserRecord | undefined;
      return Promise.resolve(row ? toUser(row) : null);
    },
    setPasswordHash: (userId, passwordHash) => {
      sql.setPassword.run(passwordHash, userId);
      return done;
    },

    insertSession: (s) => {
      sql.insertSession.run(s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
      return done;
    },
    findSession: (tokenHash) => {
      const row = sql.session.get(tokenHash) as SessionRecord | undefined;
      return Promise.resolve(row ? toSession(row) : null);
    },
    touchSession: (tokenHash, lastSeenAt) => {
      sql.touchSession.run(lastSeenAt, tokenHash);
      return done;
    },
    deleteSession: (tokenHash) => {
      sql.deleteSession.run(tokenHash);
      return done;
    },
    deleteSessionsOfUser: (userId, keep) => {
      const rows = sql.deleteSessionsOfUser.all(userId, keep ?? null) as {
        token_hash: Uint8Array;
      }[];
      return Promise.resolve(rows.map((row) => row.token_hash));
    },
  };
}
