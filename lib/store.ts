// The storage boundary: domain verbs over the embedded SQLite database.
// A PostgreSQL store will implement the same interface for bigger deployments,
// which is why every verb returns a promise.
import { backup } from "node:sqlite";
import { type Db, openDatabase } from "./db.ts";

export type Store = {
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** Writes a consistent copy of the live database to a new file. */
  backupTo(path: string): Promise<void>;
  close(): void;
};

export function openSqliteStore(path: string): Store {
  const db: Db = openDatabase(path);
  const ping = db.prepare("SELECT 1 AS ok");
  return {
    ping: () => {
      try {
        return Promise.resolve((ping.get() as { ok: number }).ok === 1);
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
  };
}
