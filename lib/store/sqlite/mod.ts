// The embedded SQLite store: one database file, one connection, the parts built over it.
import { backup } from "node:sqlite";
import type { Store } from "../types.ts";
import { sqliteBlocks } from "./blocks.ts";
import { type Checkpointer, startCheckpointer } from "./checkpointer.ts";
import { sqliteConversations } from "./conversations.ts";
import { BUSY_TIMEOUT_MS, type Db, openDatabase } from "./db.ts";
import { sqliteFriends } from "./friends.ts";
import { sqliteMessages } from "./messages.ts";
import { sqliteReads } from "./reads.ts";
import { sqliteRooms } from "./rooms.ts";
import { openSearchIndex } from "./search_index.ts";
import { sqliteSearch } from "./search.ts";
import { sqliteSessions } from "./sessions.ts";
import { sqliteUsers } from "./users.ts";

export { SchemaTooNewError } from "./db.ts";

export type SqliteStoreOptions = {
  busyTimeoutMs?: number;
  /** Checkpoint the WAL on a worker thread (the server); errors go to this callback. */
  checkpointInBackground?: (message: string) => void;
};

/** Pages of log the server's own connection lets build up before it checkpoints itself. */
const SAFETY_NET_CHECKPOINT_PAGES = 10_000;

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db: Db = openDatabase(path, undefined, options.busyTimeoutMs);
  let index;
  try {
    index = openSearchIndex(db, path, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
  } catch (error) {
    db.close();
    throw error;
  }
  let checkpointer: Checkpointer | undefined;
  if (options.checkpointInBackground) {
    db.exec(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
    db.exec(`PRAGMA journal_size_limit = ${64 * 1024 * 1024}`); // give disk back after a burst
    checkpointer = startCheckpointer(path, options.checkpointInBackground, options.busyTimeoutMs);
  }
  const ping = db.prepare("SELECT 1 AS ok");
  return {
    users: sqliteUsers(db),
    sessions: sqliteSessions(db),
    friends: sqliteFriends(db),
    blocks: sqliteBlocks(db),
    conversations: sqliteConversations(db),
    rooms: sqliteRooms(db),
    messages: sqliteMessages(db),
    reads: sqliteReads(db),
    search: sqliteSearch(db, index),
    ping: () => {
      try {
        return Promise.resolve((ping.get() as { ok: number }).ok === 1);
      } catch {
        return Promise.resolve(false); // a closed or broken database: the health check says so
      }
    },
    // SQLite's online backup API copies a consistent snapshot while writers go on.
    backupTo: async (target) => {
      await backup(db, target);
    },
    close: async () => {
      await checkpointer?.stop();
      if (!db.isOpen) return;
      try {
        index.catchUp(); // deleted words leave the index before the files are left alone
      } finally {
        index.close();
        db.close();
      }
    },
  };
}
