// Opens the embedded SQLite database and brings its schema up to date.
import { DatabaseSync } from "node:sqlite";
import { schemaTooNew } from "../schema.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";

export type Db = DatabaseSync;
export type { Migration };

export const BUSY_TIMEOUT_MS = 5_000; // long enough to ride out a backup or a checkpoint

export { SchemaTooNewError } from "../schema.ts";

export function openDatabase(
  path: string,
  migrations = MIGRATIONS,
  busyTimeoutMs = BUSY_TIMEOUT_MS,
): Db {
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL"); // with WAL: durable across app crashes, fast commits
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs each migration not yet applied, once, each inside its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const latest = migrations.at(-1)?.version ?? 0;
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_migrations").get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  if (current > latest) {
    throw schemaTooNew(current, latest);
  }
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    transaction(db, () => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    });
  }
}

export function transaction<T>(db: Db, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
