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
    db.exec("PRAGMA secure_delete = ON"); // a deleted message's text is overwritten, not left in free pages
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs each migration not yet applied, once, each inside its own transaction; one that
 * rebuilds tables with foreign keys off, as https://sqlite.org/lang_altertable.html#otheralter
 * describes (and then on again, as they were).
 */
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
    const keysWere = foreignKeysOn(db);
    if (migration.rebuildsTables) db.exec("PRAGMA foreign_keys = OFF");
    try {
      transaction(db, () => {
        db.exec(migration.sql);
        if (migration.rebuildsTables) checkForeignKeys(db, migration);
        record.run(migration.version, migration.name, Date.now());
      });
    } finally {
      if (migration.rebuildsTables && keysWere) db.exec("PRAGMA foreign_keys = ON");
    }
  }
}

const foreignKeysOn = (db: Db) =>
  (db.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys === 1;

/** With foreign keys off nothing enforced them: a reference the migration broke refuses it. */
function checkForeignKeys(db: Db, migration: Migration) {
  const broken = db.prepare("PRAGMA foreign_key_check").all();
  if (broken.length === 0) return;
  throw new Error(
    `Migration ${migration.version} (${migration.name}) would break ${broken.length} references, ` +
      `the first: ${JSON.stringify(broken[0])}`,
  );
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
