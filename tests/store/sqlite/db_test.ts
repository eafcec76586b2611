import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  migrate,
  type Migration,
  openDatabase,
  SchemaTooNewError,
} from "../../../lib/store/sqlite/db.ts";
import {
  openSearchIndex,
  SEARCH_CATCH_UP,
  searchIndexPath,
} from "../../../lib/store/sqlite/search_index.ts";
import { openSqliteStore } from "../../../lib/store/sqlite/mod.ts";
import { MIGRATIONS } from "../../../lib/store/sqlite/migrations.ts";

async function tempPath() {
  return `${await Deno.makeTempDir({ prefix: "ugochat-db-" })}/test.db`;
}

Deno.test("the database opens in WAL mode with foreign keys on", async () => {
  const db = openDatabase(await tempPath());
  assert.equal(
    (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    "wal",
  );
  assert.equal(
    (db.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys,
    1,
  );
  assert.ok((db.prepare("PRAGMA busy_timeout").get() as { timeout: number }).timeout >= 1000);
  db.close();
});

Deno.test("each migration runs once, even when the database is opened again", async () => {
  const path = await tempPath();
  const migrations: Migration[] = [
    { version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER) STRICT; INSERT INTO a VALUES (1);" },
  ];
  openDatabase(path, migrations).close();
  const db = openDatabase(path, [...migrations, {
    version: 2,
    name: "b",
    sql: "INSERT INTO a VALUES (2);",
  }]);
  assert.deepEqual(db.prepare("SELECT x FROM a ORDER BY x").all().map((row) => row.x), [1, 2]);
  assert.deepEqual(
    db.prepare("SELECT version FROM schema_migrations").all().map((row) => row.version),
    [1, 2],
  );
  db.close();
});

Deno.test("a failing migration leaves nothing half-applied", async () => {
  const path = await tempPath();
  const broken: Migration[] = [
    {
      version: 1,
      name: "half",
      sql: "CREATE TABLE a (x INTEGER); INSERT INTO nowhere VALUES (1);",
    },
  ];
  assert.throws(() => openDatabase(path, broken), /nowhere/);
  const db = new DatabaseSync(path);
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'").get()!.n, 0);
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()!.n, 0);
  db.close();
});

const parentAndChild: Migration = {
  version: 1,
  name: "parent and child",
  sql: `CREATE TABLE parent (id INTEGER PRIMARY KEY, kind TEXT CHECK (kind IN ('a'))) STRICT;
    CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE) STRICT;
    INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1), (1);`,
};
const rebuildParent = (sql: string): Migration => ({
  version: 2,
  name: "rebuild parent",
  rebuildsTables: true,
  sql:
    `CREATE TABLE new_parent (id INTEGER PRIMARY KEY, kind TEXT CHECK (kind IN ('a', 'b'))) STRICT;
    ${sql}
    DROP TABLE parent;
    ALTER TABLE new_parent RENAME TO parent;`,
});

Deno.test("a migration that rebuilds a table runs with foreign keys off: its drop deletes no child rows", async () => {
  const path = await tempPath();
  openDatabase(path, [parentAndChild]).close();
  const db = openDatabase(path, [
    parentAndChild,
    rebuildParent("INSERT INTO new_parent SELECT * FROM parent;"),
  ]);
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM child").get()!.n, 2, "no cascade");
  db.exec("INSERT INTO parent VALUES (2, 'b')"); // the new CHECK holds
  assert.equal(db.prepare("PRAGMA foreign_keys").get()!.foreign_keys, 1, "on again");
  db.exec("DELETE FROM parent WHERE id = 1");
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM child").get()!.n, 0, "and enforced");
  db.close();
});

Deno.test("a rebuild that breaks a reference is rolled back, and foreign keys are on again", async () => {
  const path = await tempPath();
  const db = openDatabase(path, [parentAndChild]);
  assert.throws(
    () => migrate(db, [parentAndChild, rebuildParent("-- forgets to copy the rows")]),
    /would break 2 references/,
  );
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM parent").get()!.n, 1, "the old table stays");
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM child").get()!.n, 2);
  assert.equal(db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()!.v, 1);
  assert.equal(db.prepare("PRAGMA foreign_keys").get()!.foreign_keys, 1);
  db.close();
});

Deno.test("migrating a database from before rooms keeps every message, read position and the Lobby", async () => {
  const path = await tempPath();
  const before = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 3));
  before.exec(`
    INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1), (2, 'bob', 'h', 1);
    INSERT INTO conversations (id, kind, user_low, user_high, created_at) VALUES (2, 'direct', 1, 2, 5);
    INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (1, 1, 1, 'c1', 'hello lobby', 6, 1), (2, 2, 2, 'c2', 'hello alice', 7, 2);
    INSERT INTO read_positions (user_id, conversation_id, last_read_id) VALUES (1, 1, 1), (1, 2, 2);
  `);
  before.close();
  const db = openDatabase(path);
  const rows = (sql: string) => db.prepare(sql).all().map((row) => ({ ...row }));
  assert.deepEqual(rows("SELECT id, kind, user_low, user_high FROM conversations ORDER BY id"), [
    { id: 1, kind: "lobby", user_low: null, user_high: null },
    { id: 2, kind: "direct", user_low: 1, user_high: 2 },
  ]);
  assert.deepEqual(rows("SELECT id, conversation_id, body FROM messages ORDER BY id"), [
    { id: 1, conversation_id: 1, body: "hello lobby" },
    { id: 2, conversation_id: 2, body: "hello alice" },
  ]);
  assert.deepEqual(rows("SELECT conversation_id, last_read_id FROM read_positions ORDER BY 1"), [
    { conversation_id: 1, last_read_id: 1 },
    { conversation_id: 2, last_read_id: 2 },
  ]);
  assert.deepEqual(rows("PRAGMA foreign_key_check"), []);
  assert.equal(db.prepare("PRAGMA foreign_keys").get()!.foreign_keys, 1);
  db.exec("INSERT INTO conversations (kind, created_at) VALUES ('room', 8)");
  assert.ok(
    (db.prepare("SELECT MAX(id) AS id FROM conversations").get()!.id as number) > 2,
    "new conversations come after the copied ones",
  );
  assert.throws(() => db.exec("INSERT INTO conversations (kind, created_at) VALUES ('nope', 8)"));
  // The references still lead to the new table: deleting a conversation takes its messages.
  db.exec("DELETE FROM conversations WHERE id = 2");
  assert.deepEqual(rows("SELECT id FROM messages"), [{ id: 1 }]);
  db.close();
});

Deno.test("a database written by a newer UgoChat is refused with a clear message", async () => {
  const path = await tempPath();
  const db = openDatabase(path);
  migrate(db, [{ version: 999, name: "future", sql: "SELECT 1" }]);
  db.close();
  assert.throws(() => openDatabase(path), (error: Error) => {
    assert.ok(error instanceof SchemaTooNewError);
    assert.match(error.message, /schema version 999/);
    assert.match(error.message, /newer UgoChat/);
    return true;
  });
});

Deno.test("a backup taken while the store is open is a complete, consistent database", async () => {
  const { openSqliteStore } = await import("../../../lib/store/sqlite/mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "ugochat-backup-" });
  const store = openSqliteStore(`${dir}/live.db`);
  await store.backupTo(`${dir}/copy.db`);
  await store.close();
  const copy = new DatabaseSync(`${dir}/copy.db`);
  assert.equal(copy.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
  assert.ok((copy.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()!.n as number) >= 1);
  copy.close();
});

Deno.test("the server's store checkpoints its log on a worker, so the log restarts instead of growing", async () => {
  const { openSqliteStore } = await import("../../../lib/store/sqlite/mod.ts");
  const { LOBBY_ID } = await import("../../../lib/wire.ts");
  const path = await tempPath();
  const errors: string[] = [];
  const store = openSqliteStore(path, {
    checkpointInBackground: (message) => errors.push(message),
  });
  let before = 0;
  let frames = Infinity;
  try {
    const user = (await store.users.create("writer", "hash", Date.now()))!;
    const say = (text: string) =>
      store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: user.id,
        senderName: user.username,
        clientId: crypto.randomUUID(),
        text,
        at: Date.now(),
      });
    for (let n = 0; n < 40; n++) await say("x".repeat(3000)); // one page and more per commit
    // Frames in the log, read from the WAL index header (mxFrame, bytes 16–19) without opening
    // a connection that might checkpoint by itself.
    const framesInLog = async () =>
      new DataView((await Deno.readFile(`${path}-shm`)).buffer).getUint32(16, true);
    before = await framesInLog();
    // The server's own connection would only checkpoint after 10 000 pages. Once the worker has
    // copied the log back, the next write starts it over from the beginning.
    for (let tries = 0; tries < 50 && frames > 10; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await say("after a pause");
      frames = await framesInLog();
    }
  } finally {
    await store.close();
  }
  assert.ok(before > 40, `the writes went to the log (${before} frames)`);
  assert.ok(frames <= 10, `the log restarted (${frames} frames)`);
  assert.deepEqual(errors, []);
});

/** What the index file holds for an FTS5 query, by message id. */
function indexed(path: string, match: string): number[] {
  const index = new DatabaseSync(searchIndexPath(path), { readOnly: true });
  try {
    return index.prepare(
      "SELECT rowid AS id FROM message_search WHERE message_search MATCH ? ORDER BY rowid",
    )
      .all(match).map((row) => row.id as number);
  } finally {
    index.close();
  }
}

Deno.test("a database from before search gets its index built, without the deleted messages", async () => {
  const path = await tempPath();
  const before = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 7));
  before.exec(`
    INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1);
    INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq, deleted_at)
      VALUES (1, 1, 1, 'c1', 'Crème brûlée tonight', 6, 1, NULL), (2, 1, 1, 'c2', '', 7, 2, 9),
             (3, 1, 1, 'c3', 'creme again', 8, 3, NULL);
  `);
  before.close();
  const db = openDatabase(path);
  const index = openSearchIndex(db, path, 5_000);
  assert.equal(index.catchUp(), 3, "every message read once");
  assert.deepEqual(indexed(path, '"creme"'), [1, 3]);
  assert.deepEqual(indexed(path, '"brul"*'), [1]);
  assert.equal(index.count(), 2);
  assert.equal(index.catchUp(), 0, "nothing new");
  index.close();
  db.close();
});

Deno.test("the index follows edits, deletions and a deleted room's messages, and an id taken anew", async () => {
  const path = await tempPath();
  const db = openDatabase(path);
  const index = openSearchIndex(db, path, 5_000);
  db.exec(`INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1);
    INSERT INTO conversations (id, kind, created_at) VALUES (5, 'room', 1);
    INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (1, 1, 1, 'c1', 'first words', 1, 1), (2, 1, 1, 'c2', 'second words', 2, 2),
             (3, 5, 1, 'c3', 'room words', 3, 3);`);
  index.catchUp();
  assert.deepEqual(indexed(path, '"words"'), [1, 2, 3]);
  db.exec(`UPDATE messages SET body = 'edited text', seq = 4 WHERE id = 1;
    UPDATE messages SET body = '', deleted_at = 5, seq = 5 WHERE id = 2;
    DELETE FROM conversations WHERE id = 5;`);
  index.catchUp();
  assert.deepEqual(indexed(path, '"words"'), []);
  assert.deepEqual(indexed(path, '"edited"'), [1]);
  // The deleted room's last message's id, taken by a new one: the new one's words stay.
  db.exec(`INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
    VALUES (3, 1, 1, 'c4', 'new words', 6, 6)`);
  index.catchUp();
  assert.deepEqual(indexed(path, '"new"'), [3]);
  assert.equal(db.prepare("SELECT COUNT(*) AS n FROM search_gone").get()!.n, 0);
  index.close();
  db.close();
});

Deno.test("a deleted message's words leave the search index's pages at once, not at a later merge", async () => {
  const path = await tempPath();
  const db = openDatabase(path);
  const index = openSearchIndex(db, path, 5_000);
  db.exec(`INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1);
    INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (1, 1, 1, 'c1', 'the quokkaword stays secret', 6, 1);`);
  index.catchUp(); // one segment of the index
  db.exec(`INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (2, 1, 1, 'c2', 'something else', 7, 2);`);
  index.catchUp(); // a second
  db.exec("UPDATE messages SET body = '', deleted_at = 8, seq = 3 WHERE id = 1");
  index.catchUp(); // and the deletion: too few segments for FTS5 to merge them
  index.close();
  db.close();
  const bytes = new TextDecoder("latin1").decode(await Deno.readFile(searchIndexPath(path)));
  assert.ok(!bytes.includes("quokkaword"), "the deleted word is gone");
  assert.ok(bytes.includes("something"), "the index holds whole words (the check can fail)");
});

Deno.test("a search indexes at most so many new messages itself, and never stalls on them all", async () => {
  const path = await tempPath();
  const before = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 7));
  before.exec(
    "INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1)",
  );
  const insert = before.prepare(
    "INSERT INTO messages (conversation_id, sender_id, client_id, body, created_at, seq) VALUES (1, 1, ?, ?, ?, ?)",
  );
  const total = 2 * SEARCH_CATCH_UP + 500; // three searches to catch up with
  before.exec("BEGIN");
  for (let i = 1; i <= total; i++) {
    insert.run(`c${i}`, i === total ? "the newest words" : "chatter", i, i);
  }
  before.exec("COMMIT");
  before.close();
  const store = openSqliteStore(path);
  try {
    const find = async () =>
      (await store.search.search(1, { phrases: [{ tokens: ["newest"], prefix: false }] }, 5))
        .map((m) => m.text);
    assert.deepEqual(await find(), [], "not yet: the background worker's to index");
    assert.deepEqual(await find(), [], "nor yet");
    assert.deepEqual(await find(), ["the newest words"], "each search went on");
  } finally {
    await store.close();
  }
});

Deno.test("an index ahead of its database (a backup put back) is built again, and misses nothing new", async () => {
  const path = await tempPath();
  const db = openDatabase(path);
  db.exec(`INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1);
    INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (1, 1, 1, 'c1', 'kept words', 1, 1);
    UPDATE event_sequence SET last_seq = 1;`);
  db.exec(`VACUUM INTO '${path}.backup'`); // the backup, taken here
  const index = openSearchIndex(db, path, 5_000);
  db.exec(`INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (2, 1, 1, 'c2', 'lost words', 2, 2), (3, 1, 1, 'c3', 'more lost words', 3, 3);
    UPDATE event_sequence SET last_seq = 3;`);
  index.catchUp();
  index.close();
  db.close();
  await Deno.rename(`${path}.backup`, path); // put back under the index, which saw seq 3
  const restored = openDatabase(path);
  restored.exec(
    `INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq)
      VALUES (2, 1, 1, 'c4', 'said after the restore', 4, 2); UPDATE event_sequence SET last_seq = 2;`,
  );
  const again = openSearchIndex(restored, path, 5_000);
  again.catchUp();
  assert.deepEqual(indexed(path, '"words"'), [1]);
  assert.deepEqual(indexed(path, '"restore"'), [2], "seq 2 again, read although the index saw 3");
  again.close();
  restored.close();
});
